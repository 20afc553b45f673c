import type { Clock } from "../ports.ts";
import { hasRole } from "./roles.ts";
import type { StaffRecord } from "./staff-record.ts";

/** Why a message for one person reached them on no platform, in the words a manager reads. */
export const UNREACHED_REASONS = {
  no_platform_id: "no Slack or Teams id",
  slack_not_installed: "Slack: app not installed for them",
  slack_failed: "Slack: DM failed",
  teams_not_installed: "Teams: app not installed for them",
  teams_failed: "Teams: message failed",
} as const;
export type UnreachedReason = keyof typeof UNREACHED_REASONS;

/** A person's last personal delivery that reached nobody, not since cleared by one that arrived. */
export interface FailedDelivery {
  staffId: number;
  reasons: UnreachedReason[];
  failedAt: Date;
}

/** Where failed personal deliveries are kept. It stores; who counts as unreachable is decided here. */
export interface ReachabilityStore {
  /** The person's latest personal delivery reached nobody, for these reasons. */
  recordFailure(staffId: number, reasons: UnreachedReason[], at: Date): Promise<void>;
  /** A later delivery arrived (or their platform ids changed): any recorded failure no longer stands. */
  clear(staffId: number, at: Date): Promise<void>;
  /** Every failure not cleared since. */
  listFailed(): Promise<FailedDelivery[]>;
}

/** A member of staff Postbag cannot message, for the manager digest and `staff list`. */
export interface UnreachableStaff {
  id: number;
  name: string;
  reasons: UnreachedReason[];
  /** The reasons in plain words, e.g. "Slack: DM failed". */
  why: string;
  /** When their last delivery failed; null when nothing was tried (they have no platform id). */
  failedAt: Date | null;
}

/** What each chat platform offers for reaching one person (a DigestPublisher has it). */
export interface PersonalMessenger {
  platform: "slack" | "teams";
  canReach(person: StaffRecord): boolean | Promise<boolean>;
}

export type DeliveryResult = { delivered: true; platform: "slack" | "teams" } | { delivered: false; reasons: UnreachedReason[] };

/**
 * Whether Postbag can reach each member of staff on their own platform. Every personal
 * message (an assignment notice, a daily digest) goes through `deliver`, which tries each
 * platform the person is linked on and records the outcome, so that nobody who cannot be
 * told is silently skipped: the manager digest and `staff list` name them.
 */
export class Reachability {
  constructor(
    private readonly store: ReachabilityStore,
    private readonly clock: Clock,
    private readonly listStaff: () => Promise<StaffRecord[]>,
  ) {}

  /**
   * Sends by the first platform that takes it, of those the person is linked on; a failure
   * on one tries the next. Records a failure when none took it, clears one when a platform did.
   * A platform not connected in this process (no messenger for it) is neither tried nor blamed.
   */
  async deliver<M extends PersonalMessenger>(person: StaffRecord, messengers: readonly M[], send: (messenger: M) => Promise<void>): Promise<DeliveryResult> {
    const reasons: UnreachedReason[] = [];
    if (!person.slackUserId && !person.teamsUserId) reasons.push("no_platform_id");
    for (const messenger of reasons.length ? [] : messengers) {
      const { platform } = messenger;
      if (!(platform === "slack" ? person.slackUserId : person.teamsUserId)) continue;
      try {
        if (!(await messenger.canReach(person))) {
          reasons.push(`${platform}_not_installed`);
          continue;
        }
        await send(messenger);
      } catch {
        reasons.push(`${platform}_failed`);
        continue;
      }
      await this.store.clear(person.id, this.clock.now());
      return { delivered: true, platform };
    }
    const distinct = [...new Set(reasons)];
    if (distinct.length) await this.store.recordFailure(person.id, distinct, this.clock.now());
    return { delivered: false, reasons: distinct };
  }

  /** Their platform ids changed: an old failure no longer says anything about them. */
  async forget(staffId: number): Promise<void> {
    await this.store.clear(staffId, this.clock.now());
  }

  /**
   * The active staff who cannot be messaged: anyone who would get a digest or be assigned
   * cases (a caseworker or manager) with no Slack and no Teams id, and anyone whose last
   * personal delivery reached them nowhere. By name.
   */
  async unreachable(staff?: readonly StaffRecord[]): Promise<UnreachableStaff[]> {
    const [people, failures] = await Promise.all([staff ?? this.listStaff(), this.store.listFailed()]);
    const failed = new Map(failures.map((failure) => [failure.staffId, failure]));
    const found: UnreachableStaff[] = [];
    for (const person of people) {
      if (!person.active) continue;
      const failure = failed.get(person.id);
      const unlinked = !person.slackUserId && !person.teamsUserId;
      const reasons: UnreachedReason[] = unlinked && (failure || hasRole(person, "caseworker", "manager")) ? ["no_platform_id"] : (failure?.reasons ?? []);
      if (reasons.length === 0) continue;
      found.push({ id: person.id, name: person.name, reasons, why: reasons.map((reason) => UNREACHED_REASONS[reason]).join("; "), failedAt: failure?.failedAt ?? null });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }
}
