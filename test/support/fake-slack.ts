import { createServer, type IncomingMessage, type Server } from "node:http";

/** One call Postbag made to Slack, with JSON-looking fields already parsed. */
export interface SlackCall {
  method: string;
  body: Record<string, any>;
  token?: string;
  /** What the fake answered (a message's `ts`, an upload's URL…). */
  answer?: Record<string, any>;
}

type Failure = { status: number; retryAfter?: number; body?: Record<string, unknown> };

/** A file sent through the external upload flow: its bytes, and where it was shared (`channel` null: completed but private). */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
  title?: string;
  shared?: { channel: string | null; threadTs?: string; comment?: string };
}

/**
 * Slack's Web API and response_url endpoint, faked at the HTTP level on a loopback port.
 * Records every call; answers the way Slack does; can be told to fail.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: { path: string; body: Record<string, any> }[] = [];
  readonly users = new Map<string, { real_name: string; email?: string }>();
  /**
   * Channels, or user ids for a direct message, whose chat.postMessage Slack refuses (as it does a DM it cannot open),
   * and where files.completeUploadExternal will not share a file (`not_in_channel`, as for a channel without Postbag).
   */
  readonly refusedChannels = new Set<string>();
  /**
   * Files sent through Slack's external upload flow, by file id: the bytes that reached the upload
   * URL, and once files.completeUploadExternal shared them, where (with its title, comment and thread).
   */
  readonly uploads = new Map<string, UploadedFile>();
  /** Upload URLs handed out by files.getUploadURLExternal and not yet used, by file id: the name and length declared. */
  private readonly pendingUploads = new Map<string, { filename: string; length: number }>();
  /** Statuses the upload URL answers with instead of taking the file, one per upload (as files.slack.com refusing it). */
  private readonly uploadFailures: number[] = [];
  /** Files people shared, served at their url_private to a request bearing the bot token (as files.slack.com does). */
  private readonly hosted = new Map<string, Buffer>();
  /** Downloads of shared files, with the token each carried. */
  readonly downloads: { path: string; token?: string }[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly refusals: { method: string; when: (body: Record<string, any>) => boolean; error: string; times: number }[] = [];
  private readonly responseWaiters = new Map<string, (body: Record<string, any>) => void>();
  private server!: Server;
  private counter = 0;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readBytes(request).then((bytes) => {
        const raw = bytes.toString("utf8");
        const path = request.url ?? "/";
        if (path.startsWith("/files-pri/")) {
          const token = request.headers.authorization?.replace(/^Bearer /, "");
          this.downloads.push({ path, token });
          const file = this.hosted.get(path);
          // Slack answers a request without the right token with its sign-in page, not the file.
          if (!file || token !== this.botToken) response.writeHead(file ? 302 : 404, { location: "/signin" }).end();
          else response.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.length }).end(file);
          return;
        }
        if (path.startsWith("/upload/")) {
          // Slack's upload URL takes the file's bytes (raw or as multipart form data), once, and only at the length declared.
          const id = path.slice("/upload/".length);
          const pending = this.pendingUploads.get(id);
          const failure = this.uploadFailures.shift();
          if (!pending || request.method !== "POST") return void response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
          if (failure) return void response.writeHead(failure, { "content-type": "text/plain" }).end(`Upload failed - ${failure}`);
          const file = multipartFile(bytes, request.headers["content-type"] ?? "");
          if (file.length !== pending.length) return void response.writeHead(400, { "content-type": "text/plain" }).end("length mismatch");
          this.pendingUploads.delete(id);
          this.uploads.set(id, { filename: pending.filename, bytes: file });
          response.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${file.length}`);
          return;
        }
        const body = parseBody(raw, request.headers["content-type"] ?? "");
        if (path.startsWith("/response/")) {
          this.responses.push({ path, body });
          this.responseWaiters.get(path)?.(body);
          this.responseWaiters.delete(path);
          response.writeHead(200, { "content-type": "text/plain" }).end("ok");
          return;
        }
        const method = path.replace(/^\/api\//, "").split("?")[0]!;
        const refusal = this.refusals.find((r) => r.method === method && r.times > 0 && r.when(body));
        if (refusal) refusal.times -= 1;
        const failure = refusal ? { status: 200, body: { ok: false, error: refusal.error } } : this.failures.get(method)?.shift();
        const call: SlackCall = { method, body, token: request.headers.authorization?.replace(/^Bearer /, "") };
        this.calls.push(call);
        if (failure) {
          call.answer = failure.body ?? { ok: false, error: failure.status === 429 ? "ratelimited" : "internal_error" };
          response.writeHead(failure.status, { "content-type": "application/json", ...(failure.retryAfter ? { "retry-after": String(failure.retryAfter) } : {}) });
          response.end(JSON.stringify(call.answer));
          return;
        }
        call.answer = this.answer(method, body);
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(call.answer));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  /** The bot token shared files are served to. */
  botToken = "xoxb-test-token";

  /** A file shared in Slack: what a message event's `files` entry says of it, its bytes served at url_private. */
  shareFile(name: string, bytes: Uint8Array, mimetype = "application/pdf"): { id: string; name: string; mimetype: string; size: number; url_private: string; url_private_download: string } {
    const id = `F${String(++this.counter).padStart(8, "0")}`;
    const path = `/files-pri/T0PFCC-${id}/${encodeURIComponent(name)}`;
    this.hosted.set(path, Buffer.from(bytes));
    return { id, name, mimetype, size: bytes.byteLength, url_private: `${this.url}${path}`, url_private_download: `${this.url}${path}` };
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A fresh response_url on this fake. */
  responseUrl(): string {
    return `${this.url}/response/${++this.counter}`;
  }

  /** Resolves when the next answer arrives at a response_url made by `responseUrl()`. */
  nextResponse(url: string): Promise<Record<string, any>> {
    const path = new URL(url).pathname;
    return new Promise((resolve) => this.responseWaiters.set(path, resolve));
  }

  /** The next upload(s) to an upload URL answered with this HTTP status instead of being taken. */
  failNextUpload(...statuses: number[]): void {
    this.uploadFailures.push(...statuses);
  }

  /** The next call(s) to a Web API method answered `{ ok: false, error }`, as Slack refuses (not retried: it is an answer). */
  refuseNext(method: string, error: string, times = 1): void {
    this.failNext(method, ...Array.from({ length: times }, () => ({ status: 200, body: { ok: false, error } })));
  }

  /** Files shared in a conversation through files.completeUploadExternal. */
  sharedFiles(channel?: string): UploadedFile[] {
    return [...this.uploads.values()].filter((file) => file.shared && (channel === undefined || file.shared.channel === channel));
  }

  /** The next `times` calls to `method` whose body `when` matches are refused `{ ok: false, error }` (e.g. a thread reply, not the message before it). */
  refuseWhen(method: string, when: (body: Record<string, any>) => boolean, error: string, times = 1): void {
    this.refusals.push({ method, when, error, times });
  }

  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  responsesTo(url: string): Record<string, any>[] {
    return this.responses.filter((r) => url.endsWith(r.path)).map((r) => r.body);
  }

  /** Waits until `check` finds what it wants; Postbag answers Slack after acking, so replies trail the HTTP response. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found) return found;
      if (Date.now() > deadline) throw new Error("FakeSlack.waitFor timed out");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(method: string, body: Record<string, any>): Record<string, unknown> {
    const n = ++this.counter;
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://pfcc.slack.com/", team: "PFCC", user: "postbag", team_id: "T0PFCC", user_id: "UBOT", bot_id: "BBOT" };
      case "views.open":
      case "views.update":
      case "views.push":
        return { ok: true, view: { ...(body.view ?? {}), id: body.view_id ?? `V${n}`, hash: `hash${n}` } };
      case "views.publish":
        return { ok: true, view: { ...(body.view ?? {}), id: `VH${n}` } };
      case "chat.postMessage":
        if (this.refusedChannels.has(body.channel)) return { ok: false, error: "channel_not_found" };
        return { ok: true, channel: body.channel, ts: `1700000000.${String(n).padStart(6, "0")}`, message: { text: body.text } };
      case "chat.update":
        return { ok: true, channel: body.channel, ts: body.ts };
      case "chat.getPermalink":
        return { ok: true, permalink: `https://pfcc.slack.com/archives/${body.channel}/p${String(body.message_ts).replace(".", "")}` };
      case "users.info": {
        const user = this.users.get(body.user);
        return user ? { ok: true, user: { id: body.user, name: user.real_name.toLowerCase(), real_name: user.real_name, profile: { real_name: user.real_name, email: user.email } } } : { ok: false, error: "user_not_found" };
      }
      case "files.getUploadURLExternal": {
        // Slack requires the name and the exact length in bytes before it hands out an upload URL.
        const length = Number(body.length);
        if (!body.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: "invalid_arguments" };
        const id = `F${n}`;
        this.pendingUploads.set(id, { filename: String(body.filename), length });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files: { id: string; title?: string }[] = Array.isArray(body.files) ? body.files : [];
        if (files.length === 0) return { ok: false, error: "invalid_arguments" };
        // A file whose bytes never reached its upload URL cannot be completed.
        if (files.some((file) => !this.uploads.has(file.id) || this.uploads.get(file.id)!.shared)) return { ok: false, error: "file_not_found" };
        if (body.channel_id && this.refusedChannels.has(String(body.channel_id))) return { ok: false, error: "not_in_channel" };
        for (const file of files) {
          const uploaded = this.uploads.get(file.id)!;
          uploaded.title = file.title;
          uploaded.shared = { channel: body.channel_id ? String(body.channel_id) : null, threadTs: body.thread_ts, comment: body.initial_comment };
        }
        return { ok: true, files: files.map((file) => ({ id: file.id, title: file.title })) };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(body.users).replace(/^U/, "")}` } };
      default:
        return { ok: true };
    }
  }
}

function readBytes(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/** The file part of a multipart body (the SDK posts a form), or the body itself. */
function multipartFile(bytes: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return bytes;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = bytes.indexOf(marker);
  const headerEnd = bytes.indexOf("\r\n\r\n", start);
  const end = bytes.indexOf(marker, headerEnd);
  return bytes.subarray(headerEnd + 4, end - 2);
}

function parseBody(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes("application/json")) return JSON.parse(raw);
  const body: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return body;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
