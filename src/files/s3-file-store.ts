import { createHash } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
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
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
      // Our own SHA-256 checks the content; checksum headers some S3-compatible servers reject are not sent.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
  }

  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const size = bytes.byteLength;
    const Key = this.keyOf(sha256);
    const existing = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key })).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    if (existing?.ContentLength === size) return { sha256, size };
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: size, ContentType: "application/octet-stream" }));
    return { sha256, size };
  }

  async get(sha256: string): Promise<Uint8Array> {
    const Key = this.keyOf(sha256);
    let bytes: Uint8Array;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
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
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }

  private keyOf(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new DomainError("invalid_input", "That is not a file's SHA-256.");
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === "NotFound" || error.name === "NoSuchKey");
}
