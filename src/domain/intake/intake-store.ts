import type { IntakeCounts, IntakeDecision, IntakeRecord, IntakeState, NewIntakeMessage, SourceCursor } from "./intake-message.ts";

/** Who decided: a member of staff, or Postbag itself (null id) threading a reply. */
export interface Decider {
  id: number | null;
  name: string;
}

/** Where recorded messages and mailbox cursors are kept. Only src/db knows the tables. */
export interface IntakeStore {
  cursor(source: string): Promise<SourceCursor | null>;
  /**
   * Writes the messages not recorded before (same place in the source, or same Message-ID:
   * skipped, whoever wrote them first) and moves the source's cursor forward, in one
   * transaction. Answers the ids of the rows it wrote.
   */
  record(source: string, messages: readonly NewIntakeMessage[], cursor: SourceCursor, at: Date): Promise<number[]>;
  find(id: number): Promise<IntakeRecord | null>;
  /** Oldest first; `states` narrows, `limit` caps. */
  list(filter: { states?: readonly IntakeState[]; limit: number; newestFirst?: boolean }): Promise<IntakeRecord[]>;
  /** The case a message with one of these Message-IDs was logged as or added to (the latest such message's). */
  caseOfMessages(messageIds: readonly string[]): Promise<{ id: number; reference: string } | null>;
  /**
   * Records a decision on a message still in one of `from`; false when it was decided
   * meanwhile (another person, another process), and nothing is written.
   */
  decide(id: number, from: readonly IntakeState[], decision: IntakeDecision, by: Decider, at: Date): Promise<boolean>;
  /** What happened to the messages recorded in [from, to). */
  counts(from: Date, to: Date): Promise<IntakeCounts>;
  /** Messages recorded before `before` that nobody has decided on yet. */
  undecided(before: Date, limit: number): Promise<{ total: number; messages: IntakeRecord[] }>;
  /** Replies recorded on cases that are still closed, awaiting a decision to reopen. */
  awaitingReopenDecision(limit: number): Promise<IntakeRecord[]>;
  /** Clears the question whether to reopen (it was answered: reopened, or kept closed). */
  answerReopen(id: number): Promise<boolean>;
}
