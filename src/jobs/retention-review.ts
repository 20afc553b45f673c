import { londonDateOf } from "../domain/calendar/local-date.ts";
import type { WorkingCalendar } from "../domain/calendar/working-calendar.ts";
import type { ErasureService } from "../domain/privacy/erasure.ts";
import { retentionText } from "../bots/shared/report-text.ts";
import { postToManagerChannels, type ChannelReportDeps, type ChannelReportOutcome } from "./channel-report-job.ts";

/**
 * The monthly retention review: closed cases older than the retention period, listed to
 * the manager channels on the first working day of each month for a person to review and
 * erase. Nothing is erased automatically: erasure needs a manager's confirmation.
 */
export class RetentionReviewJob {
  readonly name = "retention-review";

  constructor(private readonly deps: ChannelReportDeps & { erasure: ErasureService; calendar: WorkingCalendar }) {}

  async run(now: Date = this.deps.clock.now()): Promise<ChannelReportOutcome & { skipped?: string }> {
    const day = londonDateOf(now);
    if (!this.deps.calendar.isWorkingDay(day)) return { sent: [], failed: [], skipped: "not a working day" };
    return postToManagerChannels(this.deps, "retention-review", `${day.slice(0, 7)}-01`, false, async () => {
      const review = await this.deps.erasure.dueForReview(null);
      return { title: `Retention review: ${review.total} closed case${review.total === 1 ? "" : "s"} past the retention period`, text: retentionText(review) };
    });
  }
}
