import type { IntakeService } from "../domain/intake/intake-service.ts";
import type { MailSource } from "../domain/intake/intake-message.ts";
import type { IntakePublisher, TriageService } from "../domain/intake/triage.ts";
import type { Logger } from "../logger.ts";
import type { ScheduledJob } from "./scheduler.ts";

/**
 * Reads each watched mailbox on an interval: every batch of messages is recorded with the
 * mailbox's cursor in one transaction before the next is read, then replies are threaded onto
 * their cases, and every other email awaiting triage is posted to the triage channels (through
 * each platform's publisher) and cards already posted are brought up to date. A mailbox that
 * cannot be reached is tried again next time; the others still run.
 */
export class MailIntakeJob implements ScheduledJob {
  readonly name = "mail-intake";
  readonly schedules: string[];

  constructor(
    private readonly sources: readonly MailSource[],
    private readonly intake: IntakeService,
    private readonly logger: Logger,
    pollSeconds: number,
    /** Where triage cards go: the core's triage and each connected platform's publisher. */
    private readonly triage?: { service: Pick<TriageService, "announce" | "refresh">; publishers: readonly IntakePublisher[] },
  ) {
    this.schedules = [pollSchedule(pollSeconds)];
  }

  async run(): Promise<{ recorded: number; attached: string[]; announced: number; failed: string[] }> {
    let recorded = 0;
    const failed: string[] = [];
    for (const source of this.sources) {
      try {
        for await (const batch of source.read(await this.intake.cursor(source.name))) {
          recorded += (await this.intake.receive(source.name, batch)).length;
        }
        await this.intake.sourceChecked(source.name);
      } catch (error) {
        failed.push(source.name);
        this.logger.warn({ err: error, source: source.name }, "could not read the mailbox; it is read again at the next poll");
        // Kept, so a mailbox that stays unreadable is in intake list and the manager's digest, not only in a log.
        await this.intake.sourceChecked(source.name, error).catch((stored) => this.logger.error({ err: stored, source: source.name }, "could not record that the mailbox failed"));
      }
    }
    const { attached, failed: unthreaded } = await this.intake.threadReplies();
    for (const { id, error } of unthreaded) this.logger.error({ err: error, intakeId: id }, "could not thread an email onto its case; it waits in triage for a person");
    let announced = 0;
    if (this.triage?.publishers.length) {
      const posted = await this.triage.service.announce(this.triage.publishers);
      const refreshed = await this.triage.service.refresh(this.triage.publishers);
      announced = posted.announced;
      for (const failure of [...posted.failures, ...refreshed.failures]) {
        failed.push(failure.channel);
        this.logger.warn({ err: failure.error, channel: failure.channel, intakeId: failure.intakeId }, "could not post or update a triage card; it is tried again at the next poll");
      }
    }
    if (recorded || attached.length || announced) this.logger.info({ recorded, threaded: attached.length, announced }, "mail intake");
    return { recorded, attached, announced, failed };
  }
}

/** node-cron's expression for polling every `seconds` (a divisor of a minute, or whole minutes dividing an hour). */
export function pollSchedule(seconds: number): string {
  if (seconds < 60) return `*/${seconds} * * * * *`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
}
