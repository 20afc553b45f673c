import type { ClockSettings } from "./clocks/clock.schema.ts";

/** The office's service standards; every figure configurable, defaults from DOMAIN.md. */
export interface ServiceStandards {
  /** Case reference prefix: PFCC gives PFCC-2026-0042. */
  referencePrefix: string;
  acknowledgeWorkingDays: number;
  respondWorkingDays: number;
  staleAfterWorkingDays: number;
  partnerReplyWorkingDays: number;
  /** While awaiting a partner past the response deadline, the constituent is owed a holding reply this often. */
  holdingReplyWorkingDays: number;
  /** Closed cases older than this many years are listed monthly for review and erasure. */
  retentionYears?: number;
  /** The statutory clocks' published targets (a review's 5 and 28 working days…); absent: the defaults in clock.schema.ts. */
  clocks?: ClockSettings;
}

export const DEFAULT_RETENTION_YEARS = 6;

export const DEFAULT_STANDARDS: ServiceStandards = {
  referencePrefix: "PFCC",
  acknowledgeWorkingDays: 2,
  respondWorkingDays: 10,
  staleAfterWorkingDays: 10,
  partnerReplyWorkingDays: 10,
  holdingReplyWorkingDays: 10,
};
