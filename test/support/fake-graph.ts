import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * Microsoft Entra's token endpoint and Microsoft Graph's mail delta query, faked at the HTTP level
 * on loopback: instance discovery and OpenID metadata for MSAL, client-credentials tokens, a
 * folder's `messages/delta` in pages (`@odata.nextLink`, then `@odata.deltaLink`), each message's
 * MIME at `$value`; on demand 429 with Retry-After, and an expired delta token (410 syncStateNotFound).
 * Sending as Graph does it for Postbag: a draft made in the mailbox (`POST /users/{mailbox}/messages`,
 * 201 with its id and internetMessageId), sent (`POST …/messages/{id}/send`, 202) or deleted; on
 * demand any status instead (429 with Retry-After, 5xx, 401, 403), and Entra refusing the secret.
 */
export class FakeGraph {
  readonly tenant = "contoso-tenant";
  readonly token = `graph-token-${Math.random().toString(36).slice(2)}`;
  private server?: Server;
  private base = "";
  private readonly messages: { id: string; raw: string; receivedDateTime: string }[] = [];
  /** Delta tokens handed out, each with how many messages existed when it was. */
  private readonly deltaTokens = new Map<string, number>();
  /** Answer the next N delta requests with 429 Retry-After: `retryAfter`. */
  throttle = { count: 0, retryAfter: "3" };
  /** Refuse every delta token handed out so far, as Graph does once it has expired. */
  expireTokens = false;
  readonly tokenRequests: string[] = [];
  readonly deltaRequests: string[] = [];
  pageSize = 2;
  /** Drafts made and not yet sent or deleted, by id. */
  readonly drafts = new Map<string, GraphDraft>();
  /** What went: each draft as it was made, from which mailbox, with the Message-ID it went with. */
  readonly sent: GraphDraft[] = [];
  /** The ids of the messages sent (immutable ids: the same in Sent Items). */
  readonly sentIds = new Set<string>();
  /** Every sending request, `METHOD /path` (without /v1.0), in order. */
  readonly sendRequests: string[] = [];
  /** Answer the next sending requests of this step with this status instead (429 with `retryAfter`), in order. */
  readonly sendFailures: { on: "draft" | "send" | "check"; status: number; retryAfter?: string; code?: string; sentAnyway?: boolean }[] = [];
  /** A tenant that gives every draft a Message-ID of its own, whatever internetMessageId was asked for. */
  ownMessageIds = false;
  /** Entra refuses the app's secret (as after it expired). */
  refuseSecret = false;

  get loginUrl(): string {
    return this.base;
  }

  get graphUrl(): string {
    return `${this.base}/v1.0`;
  }

  add(id: string, raw: string, receivedDateTime: string): void {
    this.messages.push({ id, raw, receivedDateTime });
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.base);
    const body = await new Promise<string>((resolve) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString()));
      request.on("end", () => resolve(text));
    });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(value));
    };
    const login = "https://login.microsoftonline.com";
    if (url.pathname === "/common/discovery/instance") {
      return json(200, {
        tenant_discovery_endpoint: `${login}/${this.tenant}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: "login.microsoftonline.com", preferred_cache: "login.windows.net", aliases: ["login.microsoftonline.com", "login.windows.net"] }],
      });
    }
    if (url.pathname === `/${this.tenant}/v2.0/.well-known/openid-configuration`) {
      return json(200, {
        token_endpoint: `${login}/${this.tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${login}/${this.tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${login}/${this.tenant}/oauth2/v2.0/logout`,
        issuer: `${login}/${this.tenant}/v2.0`,
        jwks_uri: `${login}/${this.tenant}/discovery/v2.0/keys`,
      });
    }
    if (url.pathname === `/${this.tenant}/oauth2/v2.0/token` && request.method === "POST") {
      this.tokenRequests.push(body);
      if (this.refuseSecret) return json(401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.", error_codes: [7000215] });
      return json(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: this.token });
    }
    if (request.headers.authorization !== `Bearer ${this.token}`) return json(401, { error: { code: "InvalidAuthenticationToken" } });
    const delta = url.pathname.match(/^\/v1\.0\/users\/([^/]+)\/mailFolders\/([^/]+)\/messages\/delta$/);
    if (delta) return this.delta(url, json);
    const sending = url.pathname.match(/^\/v1\.0\/users\/([^/]+)\/messages(?:\/([^/$]+)(\/send)?)?$/);
    if (sending && (request.method === "POST" || ((request.method === "DELETE" || request.method === "GET") && sending[2] && !sending[3]))) return this.sending(request.method, url, sending, body, json);
    const value = url.pathname.match(/^\/v1\.0\/users\/([^/]+)\/messages\/([^/]+)\/\$value$/);
    if (value) {
      const message = this.messages.find((m) => m.id === decodeURIComponent(value[2]!));
      if (!message) return json(404, { error: { code: "ErrorItemNotFound" } });
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(message.raw);
      return;
    }
    json(404, { error: { code: "NotFound" } });
  }

  private sending(method: string, url: URL, [, mailbox, id, send]: RegExpMatchArray, body: string, json: (status: number, value: unknown, headers?: Record<string, string>) => void): void {
    this.sendRequests.push(`${method} ${url.pathname.replace(/^\/v1\.0/, "")}`);
    const step = id === undefined ? "draft" : send ? "send" : method === "GET" ? "check" : "delete";
    const failure = this.sendFailures[0]?.on === step ? this.sendFailures.shift() : undefined;
    if (failure) {
      // Microsoft 365 sent it, and then answered with an error all the same.
      const draft = failure.sentAnyway ? this.drafts.get(decodeURIComponent(id!)) : undefined;
      if (draft) {
        this.drafts.delete(decodeURIComponent(id!));
        this.sent.push(draft);
        this.sentIds.add(decodeURIComponent(id!));
      }
      const code = failure.code ?? (failure.status === 429 ? "ApplicationThrottled" : failure.status === 401 ? "InvalidAuthenticationToken" : failure.status === 403 ? "ErrorAccessDenied" : "ErrorInternalServerError");
      return json(failure.status, { error: { code, message: `The fake answered ${failure.status}.` } }, failure.retryAfter ? { "retry-after": failure.retryAfter } : {});
    }
    if (step === "draft") {
      if (id !== undefined || method !== "POST") return json(405, { error: { code: "ErrorInvalidRequest" } });
      const message = JSON.parse(body) as GraphDraft["message"];
      const draftId = `AAMkDraft-${this.drafts.size + this.sent.length + 1}`;
      const asked = typeof message.internetMessageId === "string" ? message.internetMessageId : null;
      const internetMessageId = this.ownMessageIds || !asked ? `<EX${draftId.toLowerCase()}@eurprd.prod.outlook.example>` : asked;
      this.drafts.set(draftId, { mailbox: decodeURIComponent(mailbox!), message, internetMessageId });
      return json(201, { id: draftId, isDraft: true, internetMessageId, subject: message.subject, body: message.body, toRecipients: message.toRecipients });
    }
    if (step === "check") {
      // Immutable ids: a sent message keeps its id in Sent Items.
      const found = this.drafts.has(decodeURIComponent(id!)) ? { isDraft: true } : this.sentIds.has(decodeURIComponent(id!)) ? { isDraft: false } : null;
      return found ? json(200, found) : json(404, { error: { code: "ErrorItemNotFound", message: "The specified object was not found in the store." } });
    }
    const draft = this.drafts.get(decodeURIComponent(id!));
    if (!draft) return json(404, { error: { code: "ErrorItemNotFound", message: "The specified object was not found in the store." } });
    this.drafts.delete(decodeURIComponent(id!));
    if (step === "send") {
      this.sent.push(draft);
      this.sentIds.add(decodeURIComponent(id!));
    }
    json(step === "send" ? 202 : 204, undefined);
  }

  private delta(url: URL, json: (status: number, value: unknown, headers?: Record<string, string>) => void): void {
    this.deltaRequests.push(url.search);
    if (this.throttle.count > 0) {
      this.throttle.count -= 1;
      return json(429, { error: { code: "ApplicationThrottled", message: "Too many requests" } }, { "retry-after": this.throttle.retryAfter });
    }
    const deltaToken = url.searchParams.get("$deltatoken");
    if (deltaToken !== null && (this.expireTokens || !this.deltaTokens.has(deltaToken))) {
      return json(410, { error: { code: "SyncStateNotFound", message: "The sync state generation is not found." } });
    }
    const start = deltaToken !== null ? this.deltaTokens.get(deltaToken)! : Number(url.searchParams.get("$skiptoken") ?? 0);
    const page = this.messages.slice(start, start + this.pageSize);
    const next = start + page.length;
    const path = url.pathname.replace(/^\/v1\.0/, "");
    const link = (param: string) => `${this.graphUrl}${path}?${param}`;
    const value = page.map((m) => ({ id: m.id, receivedDateTime: m.receivedDateTime }));
    if (next < this.messages.length) return json(200, { value, "@odata.nextLink": link(`$skiptoken=${next}`) });
    const token = `t${this.deltaTokens.size + 1}`;
    this.deltaTokens.set(token, next);
    json(200, { value, "@odata.deltaLink": link(`$deltatoken=${token}`) });
  }
}

/** A draft made through Graph, and the mailbox it is in. */
export interface GraphDraft {
  mailbox: string;
  /** The JSON Postbag posted. */
  message: {
    subject?: string;
    body?: { contentType?: string; content?: string };
    toRecipients?: { emailAddress: { name?: string; address: string } }[];
    ccRecipients?: unknown[];
    bccRecipients?: unknown[];
    internetMessageId?: string;
    singleValueExtendedProperties?: { id: string; value: string }[];
    attachments?: { "@odata.type": string; name: string; contentType: string; contentBytes: string }[];
  };
  /** The Message-ID Graph gave it (in angle brackets, as Graph writes it). */
  internetMessageId: string;
}
