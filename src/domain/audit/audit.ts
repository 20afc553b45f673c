import type { LocalDate } from "../calendar/local-date.ts";
import type { HashableEntry } from "./entry-hash.ts";
import type { IntakeFigures } from "../intake/intake-message.ts";

/** The no-loss audit as data: what every renderer shows. */

export const EXCEPTION_KINDS = {
  unassigned_past_acknowledgement: "Open without an assignee past its acknowledgement deadline",
  no_action_past_response: "Acknowledged, then no further action, past its response deadline",
  closed_without_outcome: "Closed without a response or an explicit outcome",
  timeline_gap: "Status or dates with no timeline entry to explain them",
  deadline_mismatch: "Stored deadlines disagree with the calendar",
  tampered_history: "Timeline history edited, deleted or reordered (hash chain broken)",
  count_mismatch: "Monthly counts do not reconcile with the timeline",
  reference_gap: "Case numbers missing or out of range for a year",
  intake_unaccounted: "Email received and not logged, added to a case or dismissed within a working day",
} as const;
export type ExceptionKind = keyof typeof EXCEPTION_KINDS;

export interface AuditException {
  kind: ExceptionKind;
  /** A case reference, a month (YYYY-MM) or a year. */
  subject: string;
  detail: string;
}

export interface MonthReconciliation {
  /** London month in which the cases were logged. */
  month: string;
  logged: number;
  closed: number;
  /** Voided as logged in error: still counted, never silently dropped. */
  voided: number;
  open: number;
}

export interface YearReconciliation {
  year: number;
  /** The counter's last number handed out. */
  lastNumber: number;
  cases: number;
  missing: number[];
}

export interface AuditReport {
  asOf: LocalDate;
  asOfText: string;
  /** Every exception found (at most LISTED_PER_KIND of each kind listed; the totals are complete). */
  exceptions: AuditException[];
  totals: Partial<Record<ExceptionKind, number>>;
  exceptionCount: number;
  cases: { total: number; open: number; closed: number; voided: number; erased: number };
  entries: { total: number; verified: number; erased: number; sealedNow: number };
  months: MonthReconciliation[];
  years: YearReconciliation[];
  /**
   * SHA-256 over every case's latest chain hash: posted weekly, it anchors history
   * outside the database, so even a rewrite of a whole chain disagrees with an earlier seal.
   */
  seal: string;
  /** Mail intake since the first message: received = logged + added to cases + dismissed + awaiting + unaccounted. Absent where no mail is read. */
  intake?: IntakeFigures;
}

export const LISTED_PER_KIND = 50;

/** One stored timeline entry with what the chain check needs. */
export interface ChainRow extends HashableEntry {
  id: number;
  contentHash: string | null;
  chainHash: string | null;
  erasedAt: Date | null;
}

export interface DeadlineRow {
  id: number;
  reference: string;
  receivedOn: LocalDate;
  cycleStartedOn: LocalDate;
  acknowledgeBy: LocalDate;
  respondBy: LocalDate;
}

/** What the audit needs from storage: set-based checks in SQL, the rest streamed in batches. */
export interface AuditStore {
  /** Seals timeline entries written before the hash chain existed; returns how many. */
  sealPreChainEntries(): Promise<number>;
  /** Exceptions a set-based query can find (every kind but deadlines, history and counts). */
  findRuleExceptions(today: LocalDate): Promise<AuditException[]>;
  openCaseDeadlines(afterId: number, limit: number): Promise<DeadlineRow[]>;
  timelineBatch(after: { caseId: number; seq: number }, limit: number): Promise<ChainRow[]>;
  referencesOf(caseIds: number[]): Promise<Map<number, string>>;
  monthCounts(): Promise<(MonthReconciliation & { casesInTable: number; closedByStatus: number; voidedByStatus: number })[]>;
  yearCounts(): Promise<(YearReconciliation & { beyondCounter: number })[]>;
  caseCounts(): Promise<AuditReport["cases"]>;
}
