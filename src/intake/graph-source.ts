import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";
import type { FetchedMail, MailBatch, MailSource, SourceCursor } from "../domain/intake/intake-message.ts";
import { readMail } from "./parse-mail.ts";

export interface GraphSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The mailbox (a shared mailbox's address) and the folder to read ("inbox"). */
  mailbox: string;
  folder: string;
  /** Microsoft Graph's base URL, https://graph.microsoft.com/v1.0 unless told otherwise. */
  graphUrl: string;
  /** Microsoft Entra's sign-in host, https://login.microsoftonline.com unless told otherwise. */
  loginUrl: string;
}

const PUBLIC_LOGIN = "https://login.microsoftonline.com";
const MAX_RETRIES = 6;
const MAX_WAIT_MS = 120_000;

/**
 * The token's audience: the Graph the mailbox is on (a national cloud has its own host). A test's
 * plain-http stand-in on loopback stands for the public Graph, as the login stand-in does for Entra.
 */
export function graphScope(graphUrl: string): string {
  const url = new URL(graphUrl);
  return url.protocol === "http:" ? "https://graph.microsoft.com/.default" : `${url.origin}/.default`;
}

/** Graph lost the delta state (an expired or invalid delta token): the folder must be read again from the start. */
class SyncStateLost extends Error {}

/** The message is gone (deleted or moved between the delta page and its reading): nothing to record. */
class NotFound extends Error {}

/**
 * A Microsoft 365 mailbox through Microsoft Graph: an app-only token (client credentials, from
 * @azure/msal-node), the folder's message delta query followed page by page
 * (`@odata.nextLink`), the final `@odata.deltaLink` kept as the cursor, each message's MIME
 * (`/messages/{id}/$value`, attachments included) read like IMAP's. Throttling (429, 503)
 * waits as Retry-After says. An expired delta token (410, syncStateNotFound) reads the folder
 * again from the start: the messages recorded already are skipped by their Graph id.
 */
export class GraphSource implements MailSource {
  readonly name: string;
  private readonly msal: ConfidentialClientApplication;

  constructor(
    private readonly settings: GraphSettings,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.name = `graph:${settings.mailbox}/${settings.folder}`;
    const login = settings.loginUrl.replace(/\/+$/, "");
    // MSAL accepts only an https authority. A test's stand-in for Entra on loopback is plain
    // http, so MSAL is given the public authority and its requests are sent to the stand-in.
    const loopback = login.startsWith("http://");
    this.msal = new ConfidentialClientApplication({
      auth: { clientId: settings.clientId, clientSecret: settings.clientSecret, authority: `${loopback ? PUBLIC_LOGIN : login}/${settings.tenantId}` },
      system: loopback ? { networkClient: redirectingNetworkClient(PUBLIC_LOGIN, login) } : undefined,
    });
  }

  async *read(cursor: SourceCursor | null): AsyncIterable<MailBatch> {
    let link = cursor?.kind === "graph" ? cursor.link : this.startLink();
    let restarted = false;
    for (;;) {
      let page: DeltaPage;
      try {
        page = (await this.request(link, "json")) as DeltaPage;
      } catch (error) {
        if (!(error instanceof SyncStateLost) || restarted) throw error;
        restarted = true;
        link = this.startLink();
        continue;
      }
      const messages: FetchedMail[] = [];
      for (const item of page.value ?? []) {
        if (item["@removed"] || typeof item.id !== "string") continue;
        let raw: Uint8Array;
        try {
          raw = (await this.request(`${this.base()}/users/${encodeURIComponent(this.settings.mailbox)}/messages/${encodeURIComponent(item.id)}/$value`, "bytes")) as Uint8Array;
        } catch (error) {
          if (error instanceof NotFound) continue;
          throw error;
        }
        const delivered = item.receivedDateTime ? new Date(item.receivedDateTime) : null;
        messages.push({ sourceKey: item.id, deliveredAt: delivered && !Number.isNaN(delivered.getTime()) ? delivered : null, rawSize: raw.byteLength, mail: await readMail(raw) });
      }
      const next = page["@odata.nextLink"];
      const delta = page["@odata.deltaLink"];
      if (!next && !delta) throw new Error("Microsoft Graph answered a delta page with neither @odata.nextLink nor @odata.deltaLink.");
      yield { messages, cursor: { kind: "graph", link: next ?? delta! } };
      if (!next) return;
      link = next;
    }
  }

  private base(): string {
    return this.settings.graphUrl.replace(/\/+$/, "");
  }

  private startLink(): string {
    const { mailbox, folder } = this.settings;
    return `${this.base()}/users/${encodeURIComponent(mailbox)}/mailFolders/${encodeURIComponent(folder)}/messages/delta?$select=id,receivedDateTime,internetMessageId`;
  }

  private async request(url: string, as: "json" | "bytes"): Promise<unknown> {
    // The token goes to Graph alone: a link that leads elsewhere is refused.
    if (new URL(url).origin !== new URL(this.base()).origin) throw new Error(`Microsoft Graph gave a link outside ${new URL(this.base()).origin}; not followed.`);
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.msal.acquireTokenByClientCredential({ scopes: [graphScope(this.settings.graphUrl)] });
      if (!token?.accessToken) throw new Error("Microsoft Entra gave no access token for Microsoft Graph.");
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token.accessToken}`, Prefer: 'odata.maxpagesize=50, IdType="ImmutableId"' } });
      if ((response.status === 429 || response.status === 503 || response.status === 504) && attempt < MAX_RETRIES) {
        await response.body?.cancel();
        await this.sleep(retryAfterMs(response.headers.get("retry-after"), attempt));
        continue;
      }
      if (response.status === 410 || response.status === 400 || response.status === 404) {
        const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
        const code = body.error?.code ?? "";
        if (response.status === 410 || /syncStateNotFound|syncStateInvalid|resyncRequired/i.test(code)) throw new SyncStateLost(code || "gone");
        if (response.status === 404) throw new NotFound(code);
        throw new Error(`Microsoft Graph refused ${new URL(url).pathname}: ${response.status} ${code}`.trim());
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`Microsoft Graph answered ${response.status} for ${new URL(url).pathname}`);
      }
      return as === "json" ? response.json() : new Uint8Array(await response.arrayBuffer());
    }
  }
}

interface DeltaPage {
  value?: { id?: string; receivedDateTime?: string; "@removed"?: unknown }[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

/** Retry-After in seconds (or an HTTP date); without one, a growing wait. Never more than two minutes. */
function retryAfterMs(header: string | null, attempt: number): number {
  const seconds = header === null ? Number.NaN : Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : header && !Number.isNaN(Date.parse(header)) ? Date.parse(header) - Date.now() : 2 ** attempt * 1000;
  return Math.min(Math.max(ms, 0), MAX_WAIT_MS);
}

/** MSAL's HTTP, with requests for `from` sent to `to` instead (a stand-in for Entra on loopback). */
function redirectingNetworkClient(from: string, to: string): INetworkModule {
  const send = async <T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const target = url.startsWith(from) ? `${to}${url.slice(from.length)}` : url;
    const response = await fetch(target, { method, headers: options?.headers, body: method === "POST" ? options?.body : undefined });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}
