import { createHash } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { DomainError } from "../domain/errors.ts";
import { SHA256_PATTERN, type FileStore } from "../domain/files/file-store.ts";
import { missing } from "./local-file-store.ts";

export interface S3FileStoreOptions {
  /** An S3-compatible endpoint (MinIO, Ceph, a cloud's object storage); AWS's own when omitted. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** Without keys the SDK's usual chain applies (AWS_* variables, an instance or pod role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Put before every key, e.g. `postbag/`. */
  prefix?: string;
}

/**
 * Files in S3-compatible object storage, one object per content at `<prefix><aa>/<sha256>`.
 * Path-style addressing, which every S3-compatible server understands. The bytes read back are
 * checked against their hash, so a damaged or substituted object is never handed out.
 */
export class S3FileStore implements FileStore {
  private client: S3Client | undefined;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(private readonly options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
  }

  /** The SDK and its client, made with the first request (the AWS SDK is loaded then, not at start). */
  private async s3() {
    const sdk = await import("@aws-sdk/client-s3");
    const options = this.options;
    this.client ??= new sdk.S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
      // Our own SHA-256 checks the content; checksum headers some S3-compatible servers reject are not sent.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
    return { sdk, client: this.client };
  }

  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const size = bytes.byteLength;
    const Key = this.keyOf(sha256);
    const { sdk, client } = await this.s3();
    const existing = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key })).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    if (existing?.ContentLength === size) return { sha256, size };
    await client.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: size, ContentType: "application/octet-stream" }));
    return { sha256, size };
  }

  async get(sha256: string): Promise<Uint8Array> {
    const Key = this.keyOf(sha256);
    let bytes: Uint8Array;
    const { sdk, client } = await this.s3();
    try {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key }));
      bytes = await object.Body!.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) throw missing(sha256);
      throw error;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== sha256) {
      throw new DomainError("unavailable", `The stored copy of file ${sha256.slice(0, 12)}… does not match its hash. Ask whoever runs Postbag to restore it from the back-up.`);
    }
    return bytes;
  }

  async remove(sha256: string): Promise<void> {
    const Key = this.keyOf(sha256);
    const { sdk, client } = await this.s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key }));
  }

  /** Closes the client's connections. */
  close(): void {
    this.client?.destroy();
  }

  private keyOf(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new DomainError("invalid_input", "That is not a file's SHA-256.");
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }
}

/** The service's answer that there is no such object (an S3ServiceException, told by its status or name). */
function isNotFound(error: unknown): boolean {
  const answer = error as { $metadata?: { httpStatusCode?: number }; name?: string } | null;
  if (!answer?.$metadata) return false;
  return answer.$metadata.httpStatusCode === 404 || answer.name === "NotFound" || answer.name === "NoSuchKey";
}
