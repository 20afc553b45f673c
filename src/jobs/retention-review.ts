import { londonDateOf } from "../domain/calendar/local-date.ts";
import type { WorkingCalendar } from "../domain/calendar/working-calendar.ts";
import type { ErasureService } from "../domain/privacy/erasure.ts";
import { postToManagerChannels, type ChannelReportDeps } from "./channel-report-job.ts";
import type { DeliveryOutcome } from "./claim-once.ts";
import { workingDaySlots, type ScheduledJob } from "./scheduler.ts";

/**
 * The monthly retention review: closed cases older than the retention period, listed to
 * the manager channels on the first working day of each month for a person to review and
 * erase. Nothing is erased automatically: erasure needs a manager's confirmation.
 */
export class RetentionReviewJob implements ScheduledJob {
  readonly name = "retention-review";
  /** It rides the digest's slots: each run claims the period's deliveries, so each channel gets it once. */
  readonly schedules: string[];

  constructor(private readonly deps: ChannelReportDeps & { erasure: ErasureService; calendar: WorkingCalendar; digestTime: string }) {
    this.schedules = workingDaySlots(deps.digestTime);
  }

  async run(now: Date = this.deps.clock.now()): Promise<DeliveryOutcome & { skipped?: string }> {
    const day = londonDateOf(now);
    if (!this.deps.calendar.isWorkingDay(day)) return { sent: [], failed: [], skipped: "not a working day" };
    return postToManagerChannels(this.deps, "retention-review", `${day.slice(0, 7)}-01`, false, async () => ({ kind: "retention", review: await this.deps.erasure.dueForReview(null) }));
  }
}
