import type { FetchedMail, MailBatch, MailSource, SourceCursor } from "../domain/intake/intake-message.ts";
import { GraphTokens, retryAfterMs } from "../mail/graph-auth.ts";
import { readMail, tooLargeProblem } from "./parse-mail.ts";

export { graphScope } from "../mail/graph-auth.ts";

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
  /** The largest message read whole; a larger one is recorded without its content, for a person to open in the mailbox. */
  maxMessageBytes?: number;
}

const MAX_RETRIES = 6;
const DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

/** A message over the size bound: its bytes were not read. */
class TooLarge {
  constructor(readonly bytes: number) {}
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
  private readonly tokens: GraphTokens;

  constructor(
    private readonly settings: GraphSettings,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.name = `graph:${settings.mailbox}/${settings.folder}`;
    this.tokens = new GraphTokens(settings);
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
        let raw: Uint8Array | TooLarge;
        try {
          raw = (await this.request(`${this.base()}/users/${encodeURIComponent(this.settings.mailbox)}/messages/${encodeURIComponent(item.id)}/$value`, "bytes")) as Uint8Array | TooLarge;
        } catch (error) {
          if (error instanceof NotFound) continue;
          throw error;
        }
        const delivered = item.receivedDateTime ? new Date(item.receivedDateTime) : null;
        const deliveredAt = delivered && !Number.isNaN(delivered.getTime()) ? delivered : null;
        if (raw instanceof TooLarge) {
          messages.push({ sourceKey: item.id, deliveredAt, rawSize: raw.bytes, mail: { unreadable: tooLargeProblem(raw.bytes, this.maxBytes()) } });
          continue;
        }
        messages.push({ sourceKey: item.id, deliveredAt, rawSize: raw.byteLength, mail: await readMail(raw) });
      }
      const next = page["@odata.nextLink"];
      const delta = page["@odata.deltaLink"];
      if (!next && !delta) throw new Error("Microsoft Graph answered a delta page with neither @odata.nextLink nor @odata.deltaLink.");
      yield { messages, cursor: { kind: "graph", link: next ?? delta! } };
      if (!next) return;
      link = next;
    }
  }

  private maxBytes(): number {
    return this.settings.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** A message's bytes, read no further than the size bound (Graph does not say a message's size before it is read). */
  private async boundedBytes(response: Response): Promise<Uint8Array | TooLarge> {
    const max = this.maxBytes();
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > max) {
      await response.body?.cancel();
      return new TooLarge(declared);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of response.body ?? []) {
      total += chunk.byteLength;
      if (total > max) {
        await response.body?.cancel().catch(() => {});
        return new TooLarge(total);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
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
      const token = await this.tokens.accessToken();
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=50, IdType="ImmutableId"' } });
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
      return as === "json" ? response.json() : this.boundedBytes(response);
    }
  }
}

interface DeltaPage {
  value?: { id?: string; receivedDateTime?: string; "@removed"?: unknown }[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}
