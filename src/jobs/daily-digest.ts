import { londonDateOf, londonTimeOn } from "../domain/calendar/local-date.ts";
import type { WorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { isEmptyDigest, type Digest } from "../domain/digest/digest.ts";
import type { DigestPublisher } from "../domain/digest/digest-publisher.ts";
import type { DigestService } from "../domain/digest/digest-service.ts";
import type { DigestChannelStore, JobName, JobRunStore } from "../domain/jobs/job-runs.ts";
import type { Clock } from "../domain/ports.ts";
import { hasRole } from "../domain/staff/roles.ts";
import type { StaffService } from "../domain/staff/staff-service.ts";
import { UNREACHED_REASONS, type Reachability } from "../domain/staff/reachability.ts";
import type { Logger } from "../logger.ts";
import { claimOnce, type DeliveryOutcome } from "./claim-once.ts";
import { workingDaySlots, type ScheduledJob } from "./scheduler.ts";

/** A run this much after the scheduled time is marked late. */
const LATE_AFTER_MS = 15 * 60_000;

export interface DailyDigestDeps {
  digests: DigestService;
  staff: StaffService;
  /** Records whom a personal digest reached nowhere, for the next manager digest. */
  reachability: Reachability;
  runs: JobRunStore;
  channels: DigestChannelStore;
  publishers: DigestPublisher[];
  calendar: WorkingCalendar;
  clock: Clock;
  logger: Logger;
  /** `HH:MM`, London time. */
  digestTime: string;
}

export interface DailyDigestOutcome extends DeliveryOutcome {
  day: string;
  skipped?: string;
}

/**
 * The working-morning job: flag stale cases, post the manager digest to every chosen
 * channel, and message each caseworker who has something due. Safe to run at any time
 * from any number of processes: each delivery is claimed in the database first, so it
 * happens once; a run after the scheduled time catches up, marked late.
 */
export class DailyDigestJob implements ScheduledJob {
  readonly name = "daily-digest";
  /** At the digest time on weekdays, and every quarter hour after it through the working day to catch up. */
  readonly schedules: string[];

  constructor(private readonly deps: DailyDigestDeps) {
    this.schedules = workingDaySlots(deps.digestTime);
  }

  async run(now: Date = this.deps.clock.now()): Promise<DailyDigestOutcome> {
    const { calendar, digests, runs, logger } = this.deps;
    const day = londonDateOf(now);
    const outcome: DailyDigestOutcome = { day, sent: [], failed: [] };
    if (!calendar.isWorkingDay(day)) return { ...outcome, skipped: "not a working day" };
    const scheduled = londonTimeOn(day, this.deps.digestTime);
    if (now < scheduled) return { ...outcome, skipped: "before the scheduled time" };
    const late = now.getTime() - scheduled.getTime() > LATE_AFTER_MS;

    await this.deliver("stale-flagging", day, "office", late, outcome, async () => {
      const flagged = await digests.flagStaleCases(day);
      return `${flagged.length} case(s) flagged stale`;
    });

    const since = (await runs.lastSent("manager-digest", day)) ?? undefined;
    let managerDigest: Promise<Digest> | undefined;
    for (const publisher of this.deps.publishers) {
      for (const channel of await this.deps.channels.list(publisher.platform)) {
        await this.deliver("manager-digest", day, `${publisher.platform}:${channel.channelId}`, late, outcome, async () => {
          managerDigest ??= digests.managerDigest(day, { late, since, audience: "shared" });
          await publisher.postChannelDigest(channel.channelId, await managerDigest);
          return "posted";
        });
      }
    }

    for (const person of await this.deps.staff.list()) {
      if (!person.active || !hasRole(person, "caseworker", "manager")) continue;
      const digest = await digests.personalDigest(person, day, { late });
      if (isEmptyDigest(digest)) continue;
      await this.deliver("personal-digest", day, `person:${person.id}`, late, outcome, async () => {
        const result = await this.deps.reachability.deliver(person, this.deps.publishers, (publisher) => publisher.postPersonalDigest(person, digest));
        if (result.delivered) return `sent by ${result.platform}`;
        const why = result.reasons.map((reason) => UNREACHED_REASONS[reason]).join("; ") || "no connected platform for their Slack or Teams id";
        throw new Error(`could not message this person: ${why}`);
      });
    }
    logger.info({ day, sent: outcome.sent.length, failed: outcome.failed.length, late }, "daily digest run");
    return outcome;
  }

  private deliver(job: JobName, day: string, recipient: string, late: boolean, outcome: DailyDigestOutcome, work: () => Promise<string>): Promise<void> {
    return claimOnce(this.deps, { job, day, recipient }, late, outcome, work);
  }
}
