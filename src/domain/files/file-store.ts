/**
 * Where the bytes of attached files live, addressed by their SHA-256 (lower-case hex).
 * The same content is stored once however many cases or messages hold it; the case-file
 * rows (not the store) say who holds what. Implementations: the data directory
 * (`src/files/local-file-store.ts`) and S3-compatible object storage (`src/files/s3-file-store.ts`).
 */
export interface FileStore {
  /** Stores `bytes` (idempotent for the same content) and says what it was stored under. */
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  /** The bytes stored under `sha256`; a DomainError (`unavailable`) when there are none. */
  get(sha256: string): Promise<Uint8Array>;
  /** Forgets the bytes stored under `sha256`; nothing happens when there are none. */
  remove(sha256: string): Promise<void>;
}

/** A SHA-256 digest as stores name it: 64 lower-case hex digits. */
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
