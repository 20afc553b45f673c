import type { LocalDate } from "../calendar/local-date.ts";
import type { Period } from "./period.ts";

/** One case as its timeline describes it up to a period's end: what every figure is computed from. */
export interface CaseFacts {
  reference: string;
  sensitive: boolean;
  kind: string;
  themes: string[];
  /** From the first (logged or imported) entry. */
  receivedOn: LocalDate;
  channel: string;
  /** First acknowledgement, or first full response when that came first. */
  acknowledgedAt: Date | null;
  /** First full response of the first cycle. */
  respondedAt: Date | null;
  /** Closed in the first cycle with an outcome other than a response (withdrawn, duplicate…). */
  closedWithoutResponse: boolean;
  /** As of the period's end. */
  closedAtEnd: boolean;
  /** The current cycle's response deadline set by the last reopening, if any. */
  reopenRespondBy: LocalDate | null;
  respondedThisCycleAtEnd: boolean;
  lastActionAt: Date | null;
  /** The assignee as of the period's end (the last assignment entry). */
  assigneeId: number | null;
}

export interface ReferralFacts {
  caseReference: string;
  partner: string;
  sentAt: Date;
  expectedBy: LocalDate;
  repliedAt: Date | null;
}

export interface ReportStore {
  /** Cases received in the period or still open at its end, as their timelines tell it up to `end`. */
  caseFacts(period: Period, end: Date): Promise<CaseFacts[]>;
  /** Referrals sent up to `end` that were sent, replied to, or outstanding in the period. */
  referralFacts(period: Period, end: Date): Promise<ReferralFacts[]>;
  reopenedCount(from: Date, end: Date): Promise<number>;
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
  /** The day the figures stand at: the period's last day, or today if the period is not over. */
  asOf: LocalDate;
  received: { total: number; byChannel: Record<string, number>; byKind: Record<string, number> };
  acknowledgedInTime: Rate;
  respondedInTime: Rate;
  /** Received in the period, no response yet, and not yet due. */
  responsesPending: number;
  workingDaysToAcknowledge: Spread;
  workingDaysToRespond: Spread;
  /** Working days cases received in the period spent awaiting partners. */
  partnerWait: { totalWorkingDays: number; casesReferred: number; perReferredCase: Spread; lateWithPartnerWait: number };
  openAtEnd: { total: number; late: number };
  reopened: number;
  partners: { partner: string; referred: number; replied: number; medianReplyWorkingDays: number | null; outstandingPastDue: number }[];
  caseworkers: { name: string; handled: number; onTime: Rate; open: number; stale: number }[];
  topThemes: { theme: string; count: number }[];
  weeks: { weekOf: LocalDate; received: number; respondedOnTime: number }[];
}

export interface ThemesReport {
  period: Period;
  themes: { theme: string; total: number; byKind: Record<string, number>; examples: string[] }[];
}
