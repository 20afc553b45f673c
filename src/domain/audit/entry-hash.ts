import { createHash, randomBytes } from "node:crypto";

/**
 * Tamper evidence for the timeline. Each entry's content is digested (with a random
 * nonce, so the digest of a short note cannot be found by guessing), and each entry's
 * chain hash covers the previous entry's chain hash and its own content digest. Editing,
 * deleting, inserting or reordering history breaks the chain; erasing an entry's text
 * does not, because the chain runs over the digest, which outlives the content.
 */

/** What an entry's content digest covers: everything the entry says happened. */
export interface HashableEntry {
  caseId: number;
  seq: number;
  cycle: number;
  at: Date;
  /** When it was written, if later than it happened; absent from the digest when not set, so older entries verify as before. */
  recordedAt?: Date | null;
  type: string;
  actorId: number | null;
  platform: string;
  text: string;
  detail: unknown;
  nonce: string | null;
}

/** The chain hash the first entry of a case follows. */
export const CHAIN_START = "0".repeat(64);

export function newNonce(): string {
  return randomBytes(16).toString("hex");
}

/** JSON with object keys sorted, so a value read back from jsonb digests as it was written. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function contentHash(entry: HashableEntry): string {
  const content = canonicalJson({
    v: 1,
    caseId: entry.caseId,
    seq: entry.seq,
    cycle: entry.cycle,
    at: entry.at.toISOString(),
    recordedAt: entry.recordedAt ? entry.recordedAt.toISOString() : undefined,
    type: entry.type,
    actorId: entry.actorId,
    platform: entry.platform,
    text: entry.text,
    detail: entry.detail ?? {},
    nonce: entry.nonce,
  });
  return createHash("sha256").update(content).digest("hex");
}

export function chainHash(previousChainHash: string, entryContentHash: string): string {
  return createHash("sha256").update(`${previousChainHash}:${entryContentHash}`).digest("hex");
}

/** Both hashes of a new entry, given the chain hash of the entry before it. */
export function sealEntry(entry: HashableEntry, previousChainHash: string | null): { contentHash: string; chainHash: string } {
  const digest = contentHash(entry);
  return { contentHash: digest, chainHash: chainHash(previousChainHash ?? CHAIN_START, digest) };
}
