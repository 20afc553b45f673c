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

const REASON_ORDER = Object.keys(UNREACHED_REASONS) as UnreachedReason[];

/** What puts each reason right, in the words of whoever reads `staff list` or sets up the digest. */
export const UNREACHED_FIXES: Record<UnreachedReason, (name: string) => string> = {
  no_platform_id: (name) => `link their Slack or Teams account: staff link "${name}" --slack U… or --teams <Entra object id>.`,
  slack_not_installed: () => "Postbag is not in the Slack workspace any more (removed, or its token revoked): a Slack admin installs it for the workspace again.",
  slack_failed: (name) =>
    `check their Slack id is theirs and in this workspace (staff link "${name}" --slack U…), and ask them to open Postbag in Slack once (Apps → Postbag) so Slack lets it message them.`,
  teams_not_installed: () =>
    "Postbag must be installed for them in Teams: they add it once (Apps → Postbag → Add), or a Teams admin pre-installs it for everyone in the Teams admin centre (Teams apps → Setup policies → Installed apps).",
  teams_failed: (name) =>
    `check their Teams id (staff link "${name}" --teams <Entra object id>) and that Postbag is still installed for them; a Teams admin can pre-install it in the Teams admin centre (Teams apps → Setup policies → Installed apps).`,
};

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
  /** What puts it right, in plain words (UNREACHED_FIXES), one sentence per reason. */
  fix: string;
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
  private readonly messengers: PersonalMessenger[] = [];

  constructor(
    private readonly store: ReachabilityStore,
    private readonly clock: Clock,
    private readonly listStaff: () => Promise<StaffRecord[]>,
  ) {}

  /** A connected platform, asked (by `unreachable` with `askNow`) whether it can reach a person before anything is sent. */
  use(messenger: PersonalMessenger): void {
    this.messengers.push(messenger);
  }

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
   *
   * With `askNow` (`staff list`, setting up the digest), the connected platforms are also
   * asked whether they could reach each caseworker and manager now, so that someone for whom
   * the app was never installed is named before a message to them is lost: one a platform
   * reaches now is no longer named for the app having been missing then, only for a send that
   * failed. A platform not connected in this process is not asked.
   */
  async unreachable(staff?: readonly StaffRecord[], options: { askNow?: boolean } = {}): Promise<UnreachableStaff[]> {
    const [people, failures] = await Promise.all([staff ?? this.listStaff(), this.store.listFailed()]);
    const failed = new Map(failures.map((failure) => [failure.staffId, failure]));
    const found: UnreachableStaff[] = [];
    for (const person of people) {
      if (!person.active) continue;
      const failure = failed.get(person.id);
      const unlinked = !person.slackUserId && !person.teamsUserId;
      let reasons: UnreachedReason[] = unlinked && (failure || hasRole(person, "caseworker", "manager")) ? ["no_platform_id"] : (failure?.reasons ?? []);
      if (options.askNow && !unlinked && hasRole(person, "caseworker", "manager")) {
        const now = await this.askNow(person);
        if (now) reasons = now.length ? [...reasons, ...now] : reasons.filter((reason) => reason.endsWith("_failed"));
      }
      // The app missing on a platform explains a failed send there; each reason once, in one order.
      reasons = REASON_ORDER.filter((reason) => reasons.includes(reason) && !(reason.endsWith("_failed") && reasons.includes(reason.replace("_failed", "_not_installed") as UnreachedReason)));
      if (reasons.length === 0) continue;
      found.push({
        id: person.id,
        name: person.name,
        reasons,
        why: reasons.map((reason) => UNREACHED_REASONS[reason]).join("; "),
        fix: reasons.map((reason) => capitalise(UNREACHED_FIXES[reason](person.name))).join(" "),
        failedAt: failure?.failedAt ?? null,
      });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The managers who would not receive their own digest, and why, the platforms asked now: what setting up the digest warns of. */
  async managersUnreachable(): Promise<UnreachableStaff[]> {
    const managers = (await this.listStaff()).filter((person) => person.active && hasRole(person, "manager"));
    return managers.length ? this.unreachable(managers, { askNow: true }) : [];
  }

  /** Whether a connected platform the person is linked on can reach them now: [] if one can, else why not; null when none is connected to ask. */
  private async askNow(person: StaffRecord): Promise<UnreachedReason[] | null> {
    const linked = this.messengers.filter((messenger) => (messenger.platform === "slack" ? person.slackUserId : person.teamsUserId));
    if (linked.length === 0) return null;
    const reasons: UnreachedReason[] = [];
    for (const messenger of linked) {
      try {
        if (await messenger.canReach(person)) return [];
      } catch {
        // A platform that cannot answer now says nothing about the person.
        continue;
      }
      reasons.push(`${messenger.platform}_not_installed`);
    }
    return reasons.length ? reasons : null;
  }
}

function capitalise(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
