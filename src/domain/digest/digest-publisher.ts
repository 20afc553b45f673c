import type { StaffRecord } from "../staff/staff-record.ts";
import type { Digest } from "./digest.ts";

/** How a chat platform delivers digests. Each adapter provides one; the daily job uses them all. */
export interface DigestPublisher {
  platform: "slack" | "teams";
  postChannelDigest(channelId: string, digest: Digest): Promise<void>;
  /** Whether this platform can message the person directly. */
  canReach(person: StaffRecord): boolean | Promise<boolean>;
  postPersonalDigest(person: StaffRecord, digest: Digest): Promise<void>;
  /** A plain-text report to a manager channel (the weekly audit, the monthly retention review). */
  postChannelText?(channelId: string, title: string, text: string): Promise<void>;
}
