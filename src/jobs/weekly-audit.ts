import { londonDateOf } from "../domain/calendar/local-date.ts";
import type { WorkingCalendar } from "../domain/calendar/working-calendar.ts";
import type { AuditService } from "../domain/audit/audit-service.ts";
import { weekOf } from "../domain/reports/figures.ts";
import { postToManagerChannels, type ChannelReportDeps } from "./channel-report-job.ts";
import type { DeliveryOutcome } from "./claim-once.ts";
import { workingDaySlots, type ScheduledJob } from "./scheduler.ts";

/**
 * The weekly no-loss audit, posted to the manager digest channels on the first working
 * day of each week (a catch-up run later that week posts it if that morning was missed).
 */
export class WeeklyAuditJob implements ScheduledJob {
  readonly name = "weekly-audit";
  /** It rides the digest's slots: each run claims the period's deliveries, so each channel gets it once. */
  readonly schedules: string[];

  constructor(private readonly deps: ChannelReportDeps & { audit: AuditService; calendar: WorkingCalendar; digestTime: string }) {
    this.schedules = workingDaySlots(deps.digestTime);
  }

  async run(now: Date = this.deps.clock.now()): Promise<DeliveryOutcome & { skipped?: string }> {
    const day = londonDateOf(now);
    if (!this.deps.calendar.isWorkingDay(day)) return { sent: [], failed: [], skipped: "not a working day" };
    const week = weekOf(day);
    const outcome = await postToManagerChannels(this.deps, "weekly-audit", week, false, async () => ({ kind: "audit", report: await this.deps.audit.audit(day) }));
    if (outcome.sent.length || outcome.failed.length) this.deps.logger.info({ week, sent: outcome.sent.length, failed: outcome.failed.length }, "weekly audit run");
    return outcome;
  }
}
