import type { IntakeService } from "../domain/intake/intake-service.ts";
import type { MailSource } from "../domain/intake/intake-message.ts";
import type { Logger } from "../logger.ts";
import type { ScheduledJob } from "./scheduler.ts";

/**
 * Reads each watched mailbox on an interval: every batch of messages is recorded with the
 * mailbox's cursor in one transaction before the next is read, then replies are threaded onto
 * their cases. A mailbox that cannot be reached is tried again next time; the others still run.
 */
export class MailIntakeJob implements ScheduledJob {
  readonly name = "mail-intake";
  readonly schedules: string[];

  constructor(
    private readonly sources: readonly MailSource[],
    private readonly intake: IntakeService,
    private readonly logger: Logger,
    pollSeconds: number,
  ) {
    this.schedules = [pollSchedule(pollSeconds)];
  }

  async run(): Promise<{ recorded: number; attached: string[]; failed: string[] }> {
    let recorded = 0;
    const failed: string[] = [];
    for (const source of this.sources) {
      try {
        for await (const batch of source.read(await this.intake.cursor(source.name))) {
          recorded += (await this.intake.receive(source.name, batch)).length;
        }
      } catch (error) {
        failed.push(source.name);
        this.logger.warn({ err: error, source: source.name }, "could not read the mailbox; it is read again at the next poll");
      }
    }
    const { attached } = await this.intake.threadReplies();
    if (recorded || attached.length) this.logger.info({ recorded, threaded: attached.length }, "mail intake");
    return { recorded, attached, failed };
  }
}

/** node-cron's expression for polling every `seconds` (a divisor of a minute, or whole minutes dividing an hour). */
export function pollSchedule(seconds: number): string {
  if (seconds < 60) return `*/${seconds} * * * * *`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
}
