import { londonDateOf } from "../domain/calendar/local-date.ts";
import type { WorkingCalendar } from "../domain/calendar/working-calendar.ts";
import type { AuditService } from "../domain/audit/audit-service.ts";
import { weekOf } from "../domain/reports/figures.ts";
import { auditText } from "../bots/shared/report-text.ts";
import { postToManagerChannels, type ChannelReportDeps, type ChannelReportOutcome } from "./channel-report-job.ts";

/**
 * The weekly no-loss audit, posted to the manager digest channels on the first working
 * day of each week (a catch-up run later that week posts it if that morning was missed).
 */
export class WeeklyAuditJob {
  readonly name = "weekly-audit";

  constructor(private readonly deps: ChannelReportDeps & { audit: AuditService; calendar: WorkingCalendar }) {}

  async run(now: Date = this.deps.clock.now()): Promise<ChannelReportOutcome & { skipped?: string }> {
    const day = londonDateOf(now);
    if (!this.deps.calendar.isWorkingDay(day)) return { sent: [], failed: [], skipped: "not a working day" };
    const week = weekOf(day);
    const outcome = await postToManagerChannels(this.deps, "weekly-audit", week, false, async () => {
      const report = await this.deps.audit.audit(day);
      return { title: `No-loss audit: ${report.exceptionCount} exception${report.exceptionCount === 1 ? "" : "s"}`, text: auditText(report) };
    });
    if (outcome.sent.length || outcome.failed.length) this.deps.logger.info({ week, sent: outcome.sent.length, failed: outcome.failed.length }, "weekly audit run");
    return outcome;
  }
}
