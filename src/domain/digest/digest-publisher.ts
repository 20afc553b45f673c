import type { AuditReport } from "../audit/audit.ts";
import type { RetentionCandidate } from "../privacy/privacy-store.ts";
import type { StaffRecord } from "../staff/staff-record.ts";
import type { CaseView } from "../cases/case-view.ts";
import type { Digest } from "./digest.ts";

/** How a chat platform delivers digests. Each adapter provides one; the daily job uses them all. */
export interface DigestPublisher {
  platform: "slack" | "teams";
  postChannelDigest(channelId: string, digest: Digest): Promise<void>;
  /** Whether this platform can message the person directly. */
  canReach(person: StaffRecord): boolean | Promise<boolean>;
  postPersonalDigest(person: StaffRecord, digest: Digest): Promise<void>;
  /** One case's card to the person, with a sentence saying why (they were assigned it). */
  postPersonalCase?(person: StaffRecord, view: CaseView, message: string): Promise<void>;
  /** A report to a manager channel (the weekly audit, the monthly retention review), in the platform's words. */
  postChannelReport?(channelId: string, report: ChannelReport): Promise<void>;
}

/** What the scheduled reports post: the data; each platform words it. */
export type ChannelReport =
  | { kind: "audit"; report: AuditReport }
  | { kind: "retention"; review: { cutoff: string; total: number; cases: RetentionCandidate[] } };
