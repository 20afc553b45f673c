import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/entry-hash.ts";
import { DomainError } from "../errors.ts";

/**
 * What makes two requests the same request: the action, who asked, and the input as parsed.
 * Kept beside the request key, so a platform's retry (same key, same request) returns the
 * first result, and a key reused for something else is refused rather than answered with an
 * unrelated case.
 */
export function requestFingerprint(action: string, actorId: number, input: unknown): string {
  return createHash("sha256").update(canonicalJson({ action, actorId, input })).digest("hex");
}

/**
 * Whether a request key seen before was used by this request. A key kept without a
 * fingerprint (written before fingerprints existed) is taken as a retry.
 */
export function assertSameRequest(kept: string | null, now: string | undefined): void {
  if (kept === null || now === undefined || kept === now) return;
  throw new DomainError(
    "request_reused",
    "That request id was already used for a different request, so nothing was done. Send it again as a new request (a new --request id, or retry from the app).",
  );
}
