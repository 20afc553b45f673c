import type { LocalDate } from "../calendar/local-date.ts";
import type { ConstituentKeys } from "../constituents/constituent-keys.ts";
import type { MergeFill } from "../constituents/constituent-store.ts";
import type { Platform } from "../ports.ts";
import type { CaseFileRecord, NewCaseFile } from "../files/case-files.ts";
import type { OutgoingItem, OutgoingWrite } from "../letters/outgoing.ts";
import type { RelatedRecords } from "./related-cases.ts";
import type { CaseClock } from "../clocks/case-clock.ts";
import type { ClockType } from "../clocks/clock.ts";
import type { Channel, EntryType, Kind, LinkKind, Outcome, Status } from "./vocabulary.ts";

/** A case as the rules see it, whatever stores it. */
export interface CaseRecord {
  id: number;
  reference: string;
  channel: Channel;
  receivedOn: LocalDate;
  loggedAt: Date;
  subject: string;
  summary: string;
  kind: Kind;
  themes: string[];
  sensitive: boolean;
  status: Status;
  constituent: ConstituentRecord;
  assignee: { id: number; name: string } | null;
  cycle: number;
  cycleStartedOn: LocalDate;
  acknowledgeBy: LocalDate;
  respondBy: LocalDate;
  acknowledgedAt: Date | null;
  respondedAt: Date | null;
  closedAt: Date | null;
  outcome: Outcome | null;
  lastActionAt: Date;
  staleFlaggedAt: Date | null;
  /** The last holding reply to the constituent (see holdingReplyDueBy). */
  lastHoldingReplyAt: Date | null;
  version: number;
  referrals: ReferralRecord[];
  /** The statutory clock the case runs on (domain/clocks/case-clock.ts); null: the office's own standard. */
  clock: CaseClock | null;
  /** Whether that clock is stopped: its response date is then not due. */
  clockStopped: boolean;
  /** The team whose queue a manager moved it to; null: the team its type routes to, if any (domain/teams). */
  teamId: number | null;
  /** When it was erased under the retention policy (privacy): nothing more is recorded on it. Unset: not erased. */
  erasedAt?: Date | null;
}

export interface ConstituentRecord {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
}

export interface ReferralRecord {
  id: number;
  partner: string;
  cycle: number;
  sentAt: Date;
  expectedBy: LocalDate;
  repliedAt: Date | null;
  chaseCount: number;
  lastChasedAt: Date | null;
}

export interface TimelineEntryRecord {
  seq: number;
  cycle: number;
  /** When it happened: what clocks and reports use. */
  at: Date;
  /** When it was written, if later than it happened (an imported history); null otherwise. */
  recordedAt: Date | null;
  type: EntryType;
  actor: { id: number; name: string } | null;
  platform: Platform;
  text: string;
  detail: Record<string, unknown>;
}

/** The fields a lifecycle step may change. */
export type CasePatch = Partial<
  Pick<
    CaseRecord,
    | "status" | "acknowledgedAt" | "respondedAt" | "closedAt" | "outcome" | "cycle" | "cycleStartedOn" | "respondBy"
    | "receivedOn" | "acknowledgeBy" | "sensitive" | "subject" | "summary" | "kind" | "channel" | "themes" | "clock" | "clockStopped" | "teamId"
  > & { assigneeId: number | null; constituentId: number; staleFlaggedAt: Date; lastHoldingReplyAt: Date | null; forceAnswerDue: LocalDate | null; constituent: Omit<ConstituentRecord, "id"> & { keys: ConstituentKeys } }
>;

export type ReferralChange =
  /** A referral to a partner of the directory, by its id. */
  | { kind: "create"; partnerId: number; expectedBy: LocalDate }
  | { kind: "reply"; referralId: number }
  | { kind: "chase"; referralId: number };

export interface NewEntry {
  type: EntryType;
  text: string;
  detail: Record<string, unknown>;
  /** When it happened, if not when it is written: an imported history keeps its own dates (the entry records both). */
  at?: Date;
}

/** What one operation does to a case: decided by pure rules, written in one transaction. */
export interface CaseChange {
  patch: CasePatch;
  entry: NewEntry;
  /** Whether this counts as action on the case, resetting its staleness clock. */
  countsAsAction: boolean;
  referral?: ReferralChange;
  /** A link to another case, written with the change. */
  link?: { linkedCaseId: number; kind: LinkKind };
  /** A file attached with the change: its row is written with the entry (the bytes are in the file store already). */
  file?: NewCaseFile;
  /** More files written with the change: an email's attachments, kept as the case's files. */
  files?: readonly NewCaseFile[];
  /** A letter or email of the case (drafted, signed off, sent): written with the entry. */
  outgoing?: OutgoingWrite;
  /** When it happened, if before it is written (a step recorded late): the entry keeps both. */
  at?: Date;
}

export interface NewCase {
  /** The reference before its number (reference.ts), and how many digits the number has at least. */
  referenceStem: string;
  referenceDigits: number;
  year: number;
  /** The known constituent this case is for (domain/constituents/matching.ts), or null for a new one with these keys. */
  constituentId: number | null;
  constituentKeys: ConstituentKeys;
  /** Details the known record lacks, given with this case: written on it. */
  constituentFill?: MergeFill;
  channel: Channel;
  receivedOn: LocalDate;
  loggedAt: Date;
  subject: string;
  summary: string;
  kind: Kind;
  themes: string[];
  sensitive: boolean;
  constituent: Omit<ConstituentRecord, "id">;
  assigneeId: number | null;
  acknowledgeBy: LocalDate;
  respondBy: LocalDate;
  status: Status;
  acknowledgedAt: Date | null;
  respondedAt: Date | null;
  closedAt: Date | null;
  outcome: Outcome | null;
  lastActionAt: Date;
  /** A case logged with its statutory type: its clock, written with it (the dates above are the clock's). */
  clock?: CaseClock | null;
  clockStopped?: boolean;
}

export interface EntryMeta {
  actorId: number | null;
  platform: Platform;
  /** When it happened. */
  at: Date;
  requestKey?: string;
  /** What the request was (requestFingerprint): kept with the key, compared when the key comes again. */
  requestFingerprint?: string;
}

/** Filters for listing open cases; every date bound is a London calendar date. */
export interface CaseFilter {
  assigneeId?: number;
  unassigned?: boolean;
  /** Unacknowledged with acknowledgement deadline before this date. */
  acknowledgeByBefore?: LocalDate;
  /** Awaiting a full response, deadline before this date. */
  respondByBefore?: LocalDate;
  /** Either of the two above: unacknowledged or unanswered past its deadline, before this date. */
  overdueBefore?: LocalDate;
  /** Awaiting a full response, deadline on or before this date. */
  respondByOnOrBefore?: LocalDate;
  /** Awaiting a full response, deadline on or after this date. */
  respondByFrom?: LocalDate;
  /** No action since before this instant. */
  lastActionBefore?: Date;
  /** …and not flagged stale since that last action. */
  notFlaggedSinceLastAction?: boolean;
  /** Logged at or after this instant. */
  loggedSince?: Date;
  /** With a referral still unanswered past an expected reply date before this date. */
  referralOverdueBefore?: LocalDate;
  /** On a statutory clock (any type). */
  clocked?: boolean;
  /** Whose statutory clock is stopped, awaiting the requester. */
  clockStopped?: boolean;
  /** In a team's queue: moved there, or moved nowhere and of a type routed there (null: the office's own standard). */
  queue?: { teamId: number; routedTypes: (ClockType | null)[] };
  limit?: number;
}

/** A case's timeline as loaded with it: the latest entries, oldest first, and how many there are in all. */
export interface CaseTimeline {
  entries: TimelineEntryRecord[];
  total: number;
}

/** A case with its timeline, as the store loads it in one go. */
export interface LoadedCase {
  record: CaseRecord;
  timeline: CaseTimeline;
  /** Its files, oldest first, when the store read them with the case (in the same statement); absent: not read. */
  files?: CaseFileRecord[];
  /** Its letters and emails, in their order on the case, when the store read them with the case; absent: not read. */
  outgoing?: OutgoingItem[];
  /** Its related cases, when the store read them with the case; absent: not read. */
  related?: RelatedRecords;
}

/** How much of the timeline to load with a case: the latest `last` entries, all when omitted. */
export interface TimelineWindow {
  last?: number;
}

/** What the core needs from whatever stores cases. Only src/db knows it is Prisma. */
export interface CaseStore {
  /**
   * Allocates the next reference of `year` and writes the case with its first entries,
   * atomically. A request key seen before returns the case it produced, unwritten again
   * (`created` false).
   */
  insertCase(draft: NewCase, entries: NewEntry[], meta: EntryMeta, window?: TimelineWindow): Promise<LoadedCase & { created: boolean }>;
  /**
   * Loads the case, lets `decide` compute the change from it, and writes the change
   * and its timeline entry in one transaction. Refuses with `changed_meanwhile` when
   * `expectedVersion` is stale or another writer got there first.
   */
  changeCase(
    reference: string,
    decide: (current: CaseRecord) => CaseChange,
    meta: EntryMeta & { expectedVersion?: number },
    window?: TimelineWindow,
  ): Promise<LoadedCase>;
  /**
   * The case a request key already produced, if the request was seen before. Refuses with
   * `request_reused` when the key came with a different request (`fingerprint`).
   */
  findByRequestKey(requestKey: string, window?: TimelineWindow, fingerprint?: string): Promise<LoadedCase | null>;
  /** The detail of the entry a request key wrote (which item a draft made), if it wrote one. */
  entryDetailByRequestKey(requestKey: string): Promise<Record<string, unknown> | null>;
  findCase(reference: string, window?: TimelineWindow): Promise<LoadedCase | null>;
  /** findCase's, with the case's related cases (as `related` gives them) read in the same statement: for a card shown in full. */
  findCaseWithRelated(reference: string, window?: TimelineWindow): Promise<(LoadedCase & { related: RelatedRecords }) | null>;
  timeline(caseId: number, window?: TimelineWindow): Promise<CaseTimeline>;
  listOpen(filter: CaseFilter): Promise<CaseRecord[]>;
  /**
   * Complaint reviews, closed ones too (never voided or erased), owing the force's answer to a
   * recommendation since before `before` (the stored forceAnswerDue), earliest first.
   */
  listForceAnswersDue(before: LocalDate, filter?: { assigneeId?: number }): Promise<CaseRecord[]>;
  /** How many open cases match, however many that is. */
  countOpen(filter: CaseFilter): Promise<number>;
  search(query: CaseSearch, limit: number): Promise<CaseRecord[]>;
  /** The constituent's earlier cases and the case's links, for its card. */
  related(record: Pick<CaseRecord, "id" | "constituent">): Promise<RelatedRecords>;
}

/** What a search looks for: the text as typed, and the comparison keys it could be (constituent-keys.ts). */
export interface CaseSearch {
  text: string;
  nameKey: string;
  emailKey: string | null;
  phoneKey: string | null;
}
