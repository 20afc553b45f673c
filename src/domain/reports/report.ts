import type { IntakeFigures } from "../intake/intake-message.ts";
import type { LocalDate } from "../calendar/local-date.ts";
import type { Period } from "./period.ts";

/** One timeline entry as a report reads it: no free text, only what the figures need. */
export interface HistoryEntry {
  seq: number;
  cycle: number;
  type: string;
  /** When the step happened. */
  at: Date;
  /** When it was written, if later (an imported history). */
  recordedAt: Date | null;
  detail: Record<string, unknown>;
}

/** A case and its whole timeline as known now, from which its facts for any period are worked out. */
export interface CaseHistory {
  reference: string;
  sensitive: boolean;
  kind: string;
  themes: string[];
  entries: HistoryEntry[];
}

/** One referral as the timeline tells it, as known now. */
export interface ReferralFacts {
  partner: string;
  sentAt: Date;
  expectedBy: LocalDate;
  repliedAt: Date | null;
}

/**
 * One case's facts for a report (src/domain/reports/case-facts.ts). The steps of the case
 * are as known when the report is made, dated by when they happened; the "at end" facts
 * are the case as it stood at the end of the period's last day.
 */
export interface CaseFacts {
  reference: string;
  sensitive: boolean;
  kind: string;
  themes: string[];
  /** From the first (logged or imported) entry, or the last correction of it. */
  receivedOn: LocalDate;
  /** Voided as logged in error: left out of every figure, counted apart. */
  voided: boolean;
  /** The statutory clock it runs on as known now (the last type given; null: the office's own standard). */
  statutoryType: string | null;
  channel: string;
  /** When it was first written into Postbag (logged or imported). */
  loggedAt: Date;
  /** First acknowledgement, or first full response when that came first (one whose email bounced is none). */
  acknowledgedAt: Date | null;
  /** Whether that acknowledgement was the email Postbag sent by itself for the office (POSTBAG_AUTO_ACK). */
  acknowledgedAutomatically: boolean;
  /** First full response of the first cycle. */
  respondedAt: Date | null;
  /** Closed in the first cycle with an outcome other than a response (withdrawn, duplicate…), unanswered. */
  closedWithoutResponse: boolean;
  /** Who handled it: the assignee when the first response was sent, else the latest. */
  handledBy: number | null;
  referrals: ReferralFacts[];
  reopenedAt: Date[];
  atEnd: {
    closed: boolean;
    acknowledged: boolean;
    /** The current cycle's response deadline set by the last reopening, if any. */
    reopenRespondBy: LocalDate | null;
    respondedThisCycle: boolean;
    lastActionAt: Date | null;
    assigneeId: number | null;
  };
}

export interface ReportStore {
  /**
   * Every case that may count in the period, each with its whole timeline: received in it,
   * or received before its end and not closed before it began, or with a referral open
   * during it. A superset; the figures decide what counts.
   */
  caseHistories(period: Period): Promise<CaseHistory[]>;
  themeCounts(period: Period): Promise<{ theme: string; kind: string; count: number; examples: string[] }[]>;
}

export interface Rate {
  count: number;
  of: number;
  /** Percentage to one decimal place; null when there is nothing to measure. */
  percent: number | null;
}

export interface Spread {
  median: number | null;
  p90: number | null;
  measured: number;
}

export interface PerformanceReport {
  period: Period;
  /** Emails received in the period and what became of them (dismissed by reason); absent where no mail is read. */
  intake?: IntakeFigures;
  /** The day the report was made: every step known by then counts, dated when it happened. */
  asOf: LocalDate;
  /** The day the "at period end" figures stand at: the period's last day, or today if the period is not over. */
  periodEnd: LocalDate;
  received: { total: number; byChannel: Record<string, number>; byKind: Record<string, number> };
  /** Of those received, how many were first logged (or imported) after the period ended. */
  loggedAfterPeriod: number;
  /** Received in the period but voided as logged in error: in no other figure, and never silently dropped. */
  voided: number;
  /**
   * Received in the period on a statutory clock (an FOI or subject-access request, a complaint
   * review, a complaint about the Chief Constable): counted as received, but judged by their own
   * clocks in the quarterly statement, so in none of the timeliness figures below.
   */
  statutory: number;
  /** Of those whose acknowledgement is done or was due before the report's day. */
  acknowledgedInTime: Rate;
  /** Received, not acknowledged, and not yet due. */
  acknowledgementsNotYetDue: number;
  /** Received and acknowledged, by the email Postbag sent by itself for the office (POSTBAG_AUTO_ACK): how many of the acknowledged. */
  acknowledgedAutomatically: number;
  /** Of those whose response is done or was due before the report's day (closed without a response left out). */
  respondedInTime: Rate;
  /** Received, no response yet, and not yet due. */
  responsesNotYetDue: number;
  workingDaysToAcknowledge: Spread;
  workingDaysToRespond: Spread;
  /** Working days cases received in the period spent awaiting partners. */
  partnerWait: { totalWorkingDays: number; casesReferred: number; perReferredCase: Spread; lateWithPartnerWait: number };
  openAtEnd: { total: number; late: number };
  reopened: number;
  partners: { partner: string; referred: number; replied: number; medianReplyWorkingDays: number | null; outstandingPastDue: number }[];
  caseworkers: { name: string; handled: number; onTime: Rate; open: number; stale: number }[];
  topThemes: { theme: string; count: number }[];
  /** Per week of receipt; `responseNotYetDue` are those whose response is neither done nor yet due. */
  weeks: { weekOf: LocalDate; received: number; respondedOnTime: number; responseNotYetDue: number }[];
}

export interface ThemesReport {
  period: Period;
  themes: { theme: string; total: number; byKind: Record<string, number>; examples: string[] }[];
}
