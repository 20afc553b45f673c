import type { IntakeCounts, IntakeDecision, IntakeRecord, IntakeState, NewIntakeMessage, SourceCursor, SourceHealth } from "./intake-message.ts";

/** Who decided: a member of staff, or Postbag itself (null id) threading a reply. */
export interface Decider {
  id: number | null;
  name: string;
}

/** Where recorded messages and mailbox cursors are kept. Only src/db knows the tables. */
export interface IntakeStore {
  cursor(source: string): Promise<SourceCursor | null>;
  /**
   * Writes the messages not recorded before (same place in the source, or same Message-ID with
   * the same content: skipped, whoever wrote them first) and moves the source's cursor forward,
   * in one transaction. Answers the ids of the rows it wrote.
   */
  record(source: string, messages: readonly NewIntakeMessage[], cursor: SourceCursor, at: Date): Promise<number[]>;
  find(id: number): Promise<IntakeRecord | null>;
  /** A mailbox was read to its end: it reads again (any failure is over). */
  sourceRead(source: string, at: Date): Promise<void>;
  /** A mailbox could not be read: kept with the time it started failing, until it reads again. */
  sourceFailed(source: string, error: string, at: Date): Promise<void>;
  /** How each mailbox read before is faring. */
  health(): Promise<SourceHealth[]>;
  /** Oldest first; `states` narrows, `unchecked` keeps those Postbag has not looked to thread, `limit` caps. */
  list(filter: { states?: readonly IntakeState[]; unchecked?: boolean; limit: number; newestFirst?: boolean }): Promise<IntakeRecord[]>;
  /** The emails logged as or added to a case, oldest first (for its subject-access bundle). */
  ofCase(caseId: number): Promise<IntakeRecord[]>;
  /** Postbag has looked for the case this message answers (and found none it may thread it to). */
  markThreadChecked(id: number): Promise<void>;
  /**
   * Claims an undecided message for a decision under way: true when it was free, already
   * claimed for the same `action`, or claimed before `staleBefore` (by a process that stopped).
   */
  claim(id: number, action: string, by: string, at: Date, staleBefore: Date): Promise<boolean>;
  /** Gives up a claim for `action` (the decision failed, and nothing was written). */
  release(id: number, action: string): Promise<void>;
  /** Whether the case with this reference had its personal data erased. */
  isErased(reference: string): Promise<boolean>;
  /** The case a message with one of these Message-IDs was logged as or added to (the latest such message's). */
  caseOfMessages(messageIds: readonly string[]): Promise<{ id: number; reference: string } | null>;
  /**
   * Records a decision on a message still in one of `from`, and clears its claim; false when it
   * was decided meanwhile (another person, another process), and nothing is written.
   */
  decide(id: number, from: readonly IntakeState[], decision: IntakeDecision, by: Decider, at: Date): Promise<boolean>;
  /** What happened to the messages recorded in [from, to). */
  counts(from: Date, to: Date): Promise<IntakeCounts>;
  /** Messages logged as cases since `since` (by when they were decided), oldest first: the cases that came from email. */
  loggedSince(since: Date, limit: number): Promise<{ intakeId: number; caseId: number; reference: string; loggedAt: Date }[]>;
  /** Messages recorded before `before` that nobody has decided on yet. */
  undecided(before: Date, limit: number): Promise<{ total: number; messages: IntakeRecord[] }>;
  /** Replies recorded on cases that are still closed, awaiting a decision to reopen. */
  awaitingReopenDecision(limit: number): Promise<IntakeRecord[]>;
  /** Clears the question whether to reopen (it was answered: reopened, or kept closed). */
  answerReopen(id: number): Promise<boolean>;
}
