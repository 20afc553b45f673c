import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFileStore } from "../../src/files/local-file-store.ts";
import { S3FileStore } from "../../src/files/s3-file-store.ts";
import type { FileStore } from "../../src/domain/files/file-store.ts";

const bytes = new TextEncoder().encode("%PDF-1.7 a scanned letter");
const sha256 = createHash("sha256").update(bytes).digest("hex");

/** S3's object API as a bucket server answers it (path style): PUT, GET, HEAD, DELETE one object. */
class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly requests: { method: string; path: string; signed: boolean }[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
        this.requests.push({ method: request.method ?? "", path, signed: /^AWS4-HMAC-SHA256 Credential=TESTKEY\//.test(request.headers.authorization ?? "") });
        const found = this.objects.get(path);
        const missing = () => response.writeHead(404, { "content-type": "application/xml" }).end(request.method === "HEAD" ? undefined : "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
        switch (request.method) {
          case "PUT":
            this.objects.set(path, Buffer.concat(chunks));
            return void response.writeHead(200, { etag: '"1"' }).end();
          case "HEAD":
            return void (found ? response.writeHead(200, { "content-length": found.length, etag: '"1"' }).end() : missing());
          case "GET":
            return void (found ? response.writeHead(200, { "content-length": found.length, "content-type": "application/octet-stream" }).end(found) : missing());
          case "DELETE":
            this.objects.delete(path);
            return void response.writeHead(204).end();
          default:
            return void response.writeHead(405).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function behavesAsAFileStore(name: string, open: () => FileStore) {
  describe(name, () => {
    it("stores content under its SHA-256, once however often it is put, and gives it back", async () => {
      const store = open();
      expect(await store.put(bytes)).toEqual({ sha256, size: bytes.length });
      expect(await store.put(bytes)).toEqual({ sha256, size: bytes.length });
      expect(Buffer.from(await store.get(sha256)).toString()).toBe("%PDF-1.7 a scanned letter");
    });

    it("forgets removed content, and says a missing file is missing", async () => {
      const store = open();
      await store.put(bytes);
      await store.remove(sha256);
      await store.remove(sha256);
      await expect(store.get(sha256)).rejects.toMatchObject({ code: "unavailable", message: expect.stringContaining("is missing") });
    });

    it("refuses anything but a SHA-256 as a name", async () => {
      await expect(open().get("../../etc/passwd")).rejects.toMatchObject({ code: "invalid_input" });
    });
  });
}

describe("file stores", () => {
  const dir = mkdtempSync(join(tmpdir(), "postbag-file-store-"));
  const s3 = new FakeS3();
  beforeAll(() => s3.start());
  afterAll(async () => {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  behavesAsAFileStore("in the data directory", () => new LocalFileStore(dir));
  behavesAsAFileStore("in S3-compatible storage", () => new S3FileStore({ endpoint: s3.url, bucket: "postbag", region: "eu-west-2", accessKeyId: "TESTKEY", secretAccessKey: "secret", prefix: "files/" }));

  it("the data directory keeps each file at <aa>/<sha256>, readable by Postbag's user alone", async () => {
    await new LocalFileStore(dir).put(bytes);
    const mode = statSync(join(dir, sha256.slice(0, 2), sha256)).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it("S3 is addressed path-style, signed with the configured keys, and an object already there is not sent again", async () => {
    s3.requests.length = 0;
    const store = new S3FileStore({ endpoint: s3.url, bucket: "postbag", region: "eu-west-2", accessKeyId: "TESTKEY", secretAccessKey: "secret", prefix: "files/" });
    await store.put(bytes);
    await store.put(bytes);
    expect(s3.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `HEAD /postbag/files/${sha256.slice(0, 2)}/${sha256}`,
      `PUT /postbag/files/${sha256.slice(0, 2)}/${sha256}`,
      `HEAD /postbag/files/${sha256.slice(0, 2)}/${sha256}`,
    ]);
    expect(s3.requests.every((request) => request.signed)).toBe(true);
  });

  it("S3 content that no longer matches its hash is never handed out", async () => {
    const store = new S3FileStore({ endpoint: s3.url, bucket: "postbag", region: "eu-west-2", accessKeyId: "TESTKEY", secretAccessKey: "secret" });
    await store.put(bytes);
    s3.objects.set(`/postbag/${sha256.slice(0, 2)}/${sha256}`, Buffer.from("%PDF-1.7 a forged letter"));
    await expect(store.get(sha256)).rejects.toThrow("does not match its hash");
  });
});
