import type { LocalDate } from "../calendar/local-date.ts";
import type { CaseRecord } from "../cases/case-record.ts";
import { assertCanHandleIntake, caseAccess } from "../cases/permissions.ts";
import type { ChatPlatform } from "../cases/posted-cards.ts";
import { FINISHED, STATUSES, type Status } from "../cases/vocabulary.ts";
import { emailKey } from "../constituents/constituent-keys.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { Clock } from "../ports.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import { UNDECIDED, type IntakeRecord, type IntakeState } from "./intake-message.ts";
import { messageNumberSchema } from "./intake.schema.ts";

/**
 * Triage on Slack and Teams: every email awaiting a decision is posted as a card to each
 * triage channel (`intake here`), with its three decisions as buttons; once decided (from the
 * card or by a command anywhere), each card is updated in place to say what became of it.
 */

/** A Slack channel or a Teams conversation where new emails are posted for triage. */
export interface TriageChannel {
  platform: ChatPlatform;
  channelId: string;
}

/** A triage card posted in a channel, and the email state it shows. */
export interface TriageCard {
  id: number;
  intakeId: number;
  platform: ChatPlatform;
  channelId: string;
  /** Where it is: Slack `{ channel }`, or the Teams conversation reference. */
  conversation: Record<string, unknown>;
  /** The posted message: a Slack ts, a Teams activity id. */
  postedId: string;
  shownState: IntakeState;
  /**
   * Whether the email's sender, subject and words had been erased when the card was read:
   * the card is then to show it as erased. A card still showing an erased email's details is out of date.
   */
  erased: boolean;
}

/** One of the open cases an email's sender has on record, as the person choosing may see it. */
export interface SenderCase {
  reference: string;
  /** Null when withheld: a sensitive case the person may not read in full is named by its reference alone. */
  subject: string | null;
  receivedOn: LocalDate;
}

/** How a chat platform posts and updates triage cards; each adapter implements one. */
export interface IntakePublisher {
  platform: ChatPlatform;
  /** Posts the email's card in the channel; answers where it now sits. Throws when the platform refuses. */
  announce(channelId: string, record: IntakeRecord): Promise<{ conversation: Record<string, unknown>; postedId: string }>;
  /** Shows the card as the email now stands: once decided, the outcome and no buttons; once erased (`card.erased`), nothing of the sender. */
  update(card: TriageCard, record: IntakeRecord): Promise<void>;
}

/** Where triage channels and posted cards are kept. Only src/db knows the tables. */
export interface TriageStore {
  addChannel(channel: TriageChannel, createdById: number): Promise<boolean>;
  removeChannel(channel: TriageChannel): Promise<boolean>;
  channels(): Promise<TriageChannel[]>;
  /** Emails in one of `states`, not yet announced, with no card in `channel`: oldest first. */
  pending(channel: TriageChannel, states: readonly IntakeState[], limit: number): Promise<number[]>;
  recordCard(card: Omit<TriageCard, "id" | "erased">, at: Date): Promise<void>;
  /** For each email, the channels holding its card (`platform:channelId`). */
  cardChannels(intakeIds: readonly number[]): Promise<Map<number, Set<string>>>;
  markAnnounced(intakeIds: readonly number[], at: Date): Promise<void>;
  /** Cards whose email's state is no longer the one they show, or whose email was erased since they were shown. */
  outOfDate(limit: number): Promise<TriageCard[]>;
  markShown(id: number, state: IntakeState, erased: boolean): Promise<void>;
  /**
   * Cases in one of `statuses` whose constituent (or a record merged into it) has this email
   * key: newest first, at most `limit`.
   */
  casesOfAddress(emailKey: string, statuses: readonly Status[], limit: number): Promise<CaseRecord[]>;
}

/** Cards posted per channel per run: a backlog (a new channel, an outage) drains over a few polls within the platforms' rate limits. */
const PER_RUN = 20;
const REFRESH_BATCH = 50;
/** The sender's open cases offered by Add to case…: enough to find the one meant, few enough to read. */
const SENDER_CASES = 10;
const OPEN_STATUSES: readonly Status[] = STATUSES.filter((status) => !FINISHED.includes(status));

const key = (channel: TriageChannel) => `${channel.platform}:${channel.channelId}`;

export interface TriageFailure {
  channel: string;
  intakeId?: number;
  error: unknown;
}

export class TriageService {
  private readonly publishers: IntakePublisher[] = [];
  /** Refreshes run one after another, so a card is never updated twice for one decision. */
  private refreshing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: TriageStore,
    private readonly find: (id: number) => Promise<IntakeRecord | null>,
    private readonly clock: Clock,
  ) {}

  /** A platform that posts and updates triage cards (each chat adapter registers one). */
  use(publisher: IntakePublisher): void {
    this.publishers.push(publisher);
  }

  /** `intake here`: new emails are posted in this channel for triage. Managers choose, as for the digest. */
  async here(actor: Actor, channel: TriageChannel): Promise<string> {
    assertManager(actor);
    const added = await this.store.addChannel(channel, actor.id);
    return added ? "New emails will be posted in this channel for triage, each with Log as new case, Add to case… and Not casework." : "This channel already receives new emails for triage.";
  }

  /** `intake off`: no more triage cards in this channel (those posted stay, and are still updated). */
  async off(actor: Actor, channel: TriageChannel): Promise<string> {
    assertManager(actor);
    const removed = await this.store.removeChannel(channel);
    return removed ? "New emails will no longer be posted in this channel." : "This channel was not receiving new emails.";
  }

  /**
   * Add to case…: the open cases of this email's sender — cases of a constituent on record with
   * the sender's address (or merged with one who has it) — newest first, at most `limit`. A
   * sensitive case the person may not read in full is offered by its reference alone, as every
   * case list shows it. Slack's form and Teams' card both offer these, and any reference typed.
   */
  async senderCases(actor: Actor, rawId: unknown, limit = SENDER_CASES): Promise<{ record: IntakeRecord; cases: SenderCase[] }> {
    assertCanHandleIntake(actor);
    const id = parseInput(messageNumberSchema, rawId);
    const record = await this.find(id);
    if (!record) throw new DomainError("invalid_input", `There is no message #${id}. See the messages awaiting triage with: intake list.`);
    const key = emailKey(record.fromAddress);
    if (!key) return { record, cases: [] };
    const found = await this.store.casesOfAddress(key, OPEN_STATUSES, limit);
    return {
      record,
      cases: found.map((open) => ({
        reference: open.reference,
        subject: caseAccess(actor, open, "private", "list") === "full" ? open.subject : null,
        receivedOn: open.receivedOn,
      })),
    };
  }

  /**
   * Posts every undecided email not yet announced to each triage channel, oldest first, a
   * bounded number a run. Each card is recorded as soon as it is posted and the email marked
   * announced once every channel has it, so a stop between the two posts a card again at most
   * once, and never loses one. A channel that refuses is left for the next run; the others go on.
   */
  async announce(publishers: readonly IntakePublisher[] = this.publishers): Promise<{ announced: number; failures: TriageFailure[] }> {
    const channels = await this.store.channels();
    if (channels.length === 0) return { announced: 0, failures: [] };
    const failures: TriageFailure[] = [];
    const touched = new Set<number>();
    let announced = 0;
    for (const channel of channels) {
      const publisher = publishers.find((candidate) => candidate.platform === channel.platform);
      if (!publisher) continue;
      for (const id of await this.store.pending(channel, UNDECIDED, PER_RUN)) {
        const record = await this.find(id);
        if (!record) continue;
        try {
          const posted = await publisher.announce(channel.channelId, record);
          await this.store.recordCard({ intakeId: id, platform: channel.platform, channelId: channel.channelId, ...posted, shownState: record.state }, this.clock.now());
          touched.add(id);
          announced += 1;
        } catch (error) {
          failures.push({ channel: key(channel), intakeId: id, error });
          break;
        }
      }
    }
    // Announced once every channel a publisher serves holds its card.
    const served = channels.filter((channel) => publishers.some((publisher) => publisher.platform === channel.platform)).map(key);
    const holding = await this.store.cardChannels([...touched]);
    const complete = [...touched].filter((id) => served.every((channel) => holding.get(id)?.has(channel)));
    if (complete.length) await this.store.markAnnounced(complete, this.clock.now());
    return { announced, failures };
  }

  /**
   * Updates every posted card whose email has been decided (or otherwise changed) since it was
   * shown, and every card still showing the sender of an email since erased. A card that cannot
   * be updated now is left for the next run and reported; never throws.
   */
  refresh(publishers: readonly IntakePublisher[] = this.publishers): Promise<{ updated: number; failures: TriageFailure[] }> {
    const run = this.refreshing.then(() => this.refreshOnce(publishers));
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async refreshOnce(publishers: readonly IntakePublisher[]): Promise<{ updated: number; failures: TriageFailure[] }> {
    let updated = 0;
    const failures: TriageFailure[] = [];
    let cards: TriageCard[];
    try {
      cards = await this.store.outOfDate(REFRESH_BATCH);
    } catch (error) {
      return { updated, failures: [{ channel: "*", error }] };
    }
    for (const card of cards) {
      const publisher = publishers.find((candidate) => candidate.platform === card.platform);
      if (!publisher) continue;
      try {
        const record = await this.find(card.intakeId);
        if (!record) continue;
        await publisher.update(card, record);
        // Erased as the card was read, so the record read after shows it erased; erased later, the card is read again next time.
        await this.store.markShown(card.id, record.state, card.erased);
        updated += 1;
      } catch (error) {
        failures.push({ channel: `${card.platform}:${card.channelId}`, intakeId: card.intakeId, error });
      }
    }
    return { updated, failures };
  }
}

function assertManager(actor: Actor): void {
  if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can choose where new emails are triaged.");
}
