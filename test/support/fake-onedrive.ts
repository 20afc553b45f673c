import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * A loopback stand-in for the OneDrive upload session Teams opens when a person accepts a
 * FileConsentCard (`uploadInfo.uploadUrl`). It takes PUTs as Microsoft Graph's upload sessions
 * do — `Content-Range: bytes {first}-{last}/{total}`, parts in order, 202 with
 * `nextExpectedRanges` until the last, then 201 with the item — and records each request.
 * It can be told to fail (500…) or not answer at all (a timeout).
 */

export interface UploadRequest {
  method: string;
  session: string;
  contentRange?: string;
  authorization?: string;
  length: number;
  status: number;
}

interface Session {
  name: string;
  total?: number;
  received: Buffer[];
  size: number;
  done: boolean;
  cancelled: boolean;
}

export class FakeOneDrive {
  readonly requests: UploadRequest[] = [];
  private readonly sessions = new Map<string, Session>();
  private failures: ({ status: number } | "hang")[] = [];
  private server?: Server;
  origin = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A new upload session for `name`, as Teams opens one on accept: its upload URL and the item's details. */
  openSession(name: string) {
    const id = randomUUID();
    this.sessions.set(id, { name, received: [], size: 0, done: false, cancelled: false });
    const dot = name.lastIndexOf(".");
    return {
      name,
      uploadUrl: `${this.origin}/personal/carl_pfcc_example/_api/v2.0/drive/items/root/uploadSession?guid=${id}`,
      contentUrl: `${this.origin}/personal/carl_pfcc_example/Documents/Applications/Postbag/${encodeURIComponent(name)}`,
      uniqueId: id.toUpperCase(),
      fileType: dot > 0 ? name.slice(dot + 1) : "",
      etag: `"{${id.toUpperCase()}},1"`,
    };
  }

  /** The next `count` requests are answered with `status`, or (hang) never. */
  failNext(count: number, failure: { status: number } | "hang"): void {
    for (let index = 0; index < count; index += 1) this.failures.push(failure);
  }

  /** The whole file, once its last part has arrived; undefined before. */
  file(uploadUrl: string): Buffer | undefined {
    const session = this.sessions.get(sessionId(uploadUrl));
    return session?.done ? Buffer.concat(session.received) : undefined;
  }

  cancelled(uploadUrl: string): boolean {
    return this.sessions.get(sessionId(uploadUrl))?.cancelled ?? false;
  }

  /** The requests made to one session. */
  requestsTo(uploadUrl: string): UploadRequest[] {
    return this.requests.filter((request) => request.session === sessionId(uploadUrl));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const id = sessionId(`${this.origin}${request.url ?? ""}`);
    const record: UploadRequest = {
      method: request.method ?? "",
      session: id,
      contentRange: request.headers["content-range"],
      authorization: request.headers.authorization,
      length: body.length,
      status: 0,
    };
    this.requests.push(record);
    const answer = (status: number, json?: unknown) => {
      record.status = status;
      response.writeHead(status, json === undefined ? {} : { "content-type": "application/json" });
      response.end(json === undefined ? undefined : JSON.stringify(json));
    };
    const failure = this.failures.shift();
    if (failure === "hang") return;
    if (failure) return answer(failure.status, { error: { code: "generalException", message: "fake failure" } });
    const session = this.sessions.get(id);
    if (!session) return answer(404, { error: { code: "itemNotFound" } });
    if (request.method === "DELETE") {
      session.cancelled = true;
      return answer(204);
    }
    if (request.method !== "PUT" || session.done || session.cancelled) return answer(409, { error: { code: "invalidRequest" } });
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers["content-range"] ?? "");
    if (!range) return answer(400, { error: { code: "invalidRange" } });
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const inOrder = first === session.size && last - first + 1 === body.length && (session.total === undefined || session.total === total) && last < total;
    if (!inOrder) return answer(416, { error: { code: "invalidRange", message: `expected ${session.size}-` } });
    session.total = total;
    session.received.push(body);
    session.size += body.length;
    if (session.size < total) return answer(202, { expirationDateTime: "2026-11-26T10:00:00Z", nextExpectedRanges: [`${session.size}-`] });
    session.done = true;
    return answer(201, { id, name: session.name, size: total });
  }
}

function sessionId(url: string): string {
  return new URL(url).searchParams.get("guid") ?? "";
}
