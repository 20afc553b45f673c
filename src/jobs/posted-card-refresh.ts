import type { PostedCards } from "../domain/cases/posted-cards.ts";
import type { Logger } from "../logger.ts";
import type { ScheduledJob } from "./scheduler.ts";

/**
 * Every minute, updates case cards posted in channels whose case's sensitive marker changed
 * where this process could not update them at once (a change made at the CLI, a platform
 * that refused for a moment).
 */
export class PostedCardRefreshJob implements ScheduledJob {
  readonly name = "posted-card-refresh";
  readonly schedules = ["* * * * *"];

  constructor(
    private readonly postedCards: PostedCards,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<{ updated: number; failed: number }> {
    const { updated, failures } = await this.postedCards.refresh();
    for (const { platform, reference, error } of failures) this.logger.warn({ err: error, reference, platform }, "could not update a posted case card; will retry");
    if (updated) this.logger.info({ updated }, "posted case cards updated");
    return { updated, failed: failures.length };
  }
}
