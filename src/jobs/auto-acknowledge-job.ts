import type { AutoAcknowledger } from "../domain/letters/auto-acknowledge.ts";
import type { Logger } from "../logger.ts";
import type { ScheduledJob } from "./scheduler.ts";

/**
 * Every minute, when the office has turned it on (POSTBAG_AUTO_ACK=email): acknowledges the cases
 * logged from email that Postbag may acknowledge itself, from the office mailbox. Each case's
 * acknowledgement is claimed by its own request key, so it goes once however many processes run.
 */
export class AutoAcknowledgeJob implements ScheduledJob {
  readonly name = "auto-acknowledge";
  readonly schedules = ["* * * * *"];

  constructor(
    private readonly acknowledger: Pick<AutoAcknowledger, "run">,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<{ sent: number; failed: number }> {
    const { sent, failed } = await this.acknowledger.run();
    for (const failure of failed) this.logger.warn({ reference: failure.reference }, "automatic acknowledgement not sent; the draft is kept for a person");
    if (sent.length) this.logger.info({ references: sent }, "acknowledged automatically");
    return { sent: sent.length, failed: failed.length };
  }
}
