import type { LocalDate } from "../calendar/local-date.ts";

export type JobName = "manager-digest" | "personal-digest" | "stale-flagging" | "weekly-audit" | "retention-review";
export type JobRunStatus = "sending" | "sent" | "failed";

export interface JobRun {
  job: JobName;
  day: LocalDate;
  recipient: string;
  status: JobRunStatus;
  late: boolean;
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  detail: string;
  error: string | null;
}

/** How many times a failed delivery is tried again the same day. */
export const MAX_ATTEMPTS = 3;

/**
 * The record of every scheduled delivery, one row per job, day and recipient. Claiming
 * a row is what entitles a process to deliver: a second process, or a restarted one,
 * finds it taken and does not deliver again.
 */
export interface JobRunStore {
  /**
   * Takes the delivery if nobody has it: no row yet, a failed row with attempts left,
   * or a "sending" row whose lease ran out (its process died). True if this caller now owns it.
   */
  claim(run: { job: JobName; day: LocalDate; recipient: string; late: boolean; now: Date; leaseMs: number }): Promise<boolean>;
  finish(run: { job: JobName; day: LocalDate; recipient: string }, outcome: { status: "sent" | "failed"; now: Date; detail?: string; error?: string }): Promise<void>;
  list(options: { fromDay?: LocalDate; limit: number }): Promise<JobRun[]>;
  /** When the last manager digest went out, for "logged since the last digest". */
  lastSent(job: JobName, beforeDay: LocalDate): Promise<Date | null>;
}

/** node-cron's run coordinator, backed by the database: one process per scheduled slot. */
export interface JobLeaseStore {
  acquire(key: string, now: Date, ttlMs: number): Promise<boolean>;
}

export interface DigestChannel {
  platform: "slack" | "teams";
  channelId: string;
}

export interface DigestChannelStore {
  add(channel: DigestChannel, createdById: number): Promise<boolean>;
  remove(channel: DigestChannel): Promise<boolean>;
  list(platform?: DigestChannel["platform"]): Promise<DigestChannel[]>;
}
