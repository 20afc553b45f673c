import { SendFailed, type MailSender, type OutgoingEmail, type SentEmail } from "../domain/letters/mail-sender.ts";
import { GraphTokens, retryAfterMs, type GraphCredentials } from "./graph-auth.ts";

export interface GraphSenderSettings extends GraphCredentials {
  /** The shared mailbox emails go from (POSTBAG_GRAPH_MAILBOX): replies come back to it. */
  mailbox: string;
  /** The office as the sender's name; the mailbox's address. */
  from: { name: string; address: string };
  /** How long to wait for Graph at each request. */
  timeoutMs: number;
}

/** Throttled: tried again after Retry-After at most this many times in all. */
const MAX_ATTEMPTS = 4;
/** A longer Retry-After than this is not waited out while someone waits for Send: they are told to try later. */
const MAX_WAIT_MS = 30_000;
/** Graph takes a request of at most 4 MB; attachments are base64 (a third larger) inside it. */
const MAX_ATTACHMENT_BYTES = 3 * 1024 * 1024;

// MAPI properties Graph has no named field for: In-Reply-To and References (internetMessageHeaders take X- headers only).
const IN_REPLY_TO = "String 0x1042"; // PidTagInReplyToId
const REFERENCES = "String 0x1039"; // PidTagInternetReferences

/**
 * Sends from the office's Microsoft 365 shared mailbox through Microsoft Graph, as the app
 * (client credentials; application permissions Mail.ReadWrite and Mail.Send).
 *
 * The Message-ID. `sendMail` cannot carry one: Exchange assigns its own and never says which, so
 * a reply could not be matched to the case by it. So the message is made as a draft in the
 * mailbox (`POST /users/{mailbox}/messages`) with `internetMessageId` set to Postbag's (Graph
 * lets a draft's be set), Graph's answer is read for the internetMessageId the draft really has,
 * and that draft is sent (`POST …/messages/{id}/send`; the copy lands in Sent Items). The
 * Message-ID Postbag records is the one Graph reported for the draft it sent: Postbag's own when
 * Exchange kept it, Exchange's when it did not. In-Reply-To and References go as their MAPI
 * properties.
 *
 * The body is the text as written (contentType Text): the words the timeline hashes are the
 * words that went, with no HTML made from them by Exchange's or Postbag's hand.
 *
 * Failures are SendFailed in words for the person who pressed Send, and the domain records
 * nothing on the case: a throttled request (429) waits as Retry-After says, a few times; 401/403
 * name the settings to check. A send with no clear answer (a 5xx, no answer in time) may have gone
 * all the same, so the draft is asked: no longer a draft, it went (and is recorded as sent); still
 * a draft, it did not (the draft is deleted; the person sends again, with the same Message-ID);
 * and when the draft cannot be asked, the person is told to look in Sent Items before sending again.
 */
/** A failure after which the request may still have been carried out (no answer, or a server error). */
class MaybeSent extends SendFailed {}

/** The Message-ID Graph reported for the draft, else the one Postbag asked for. */
function messageIdOf(reported: unknown, asked: string): string {
  const given = typeof reported === "string" ? reported.trim().replace(/^<|>$/g, "") : "";
  return given || asked;
}

export class GraphSender implements MailSender {
  readonly from: { name: string; address: string };
  private readonly tokens: GraphTokens;

  constructor(
    private readonly settings: GraphSenderSettings,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.from = settings.from;
    this.tokens = new GraphTokens(settings);
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    const size = (email.attachments ?? []).reduce((sum, file) => sum + file.content.byteLength, 0);
    if (size > MAX_ATTACHMENT_BYTES) throw new SendFailed(`The attachments are too large to send through Microsoft 365 (${Math.ceil(size / 1024 / 1024)} MB; at most 3 MB).`);
    const messages = `${this.settings.graphUrl.replace(/\/+$/, "")}/users/${encodeURIComponent(this.settings.mailbox)}/messages`;
    const made = await this.call("POST", messages, draftOf(email), "make the message");
    const draft = (await made.json().catch(() => ({}))) as { id?: unknown; internetMessageId?: unknown };
    if (typeof draft.id !== "string" || !draft.id) throw new SendFailed("Microsoft 365 made the message but did not say which it is; nothing was sent.");
    try {
      await this.call("POST", `${messages}/${encodeURIComponent(draft.id)}/send`, undefined, "send the message");
    } catch (error) {
      // No answer, or a server error: Exchange may have sent it all the same. The draft says which.
      const state = error instanceof MaybeSent ? await this.draftState(`${messages}/${encodeURIComponent(draft.id)}`) : "draft";
      if (state === "sent") return { messageId: messageIdOf(draft.internetMessageId, email.messageId) };
      if (state === "unknown") {
        throw new SendFailed(`${(error as Error).message} It may have gone all the same: look in the Sent Items of ${this.settings.mailbox} before sending it again.`);
      }
      // Not sent: no stray draft is left in the mailbox.
      await this.call("DELETE", `${messages}/${encodeURIComponent(draft.id)}`, undefined, "delete the draft", 1).catch(() => {});
      throw error;
    }
    return { messageId: messageIdOf(draft.internetMessageId, email.messageId) };
  }

  /** Whether a draft whose send had no clear answer went: still a draft (not sent), no longer one (sent), or not to be told. */
  private async draftState(url: string): Promise<"draft" | "sent" | "unknown"> {
    try {
      const response = await this.call("GET", `${url}?$select=isDraft`, undefined, "check the message", 1);
      const { isDraft } = (await response.json()) as { isDraft?: unknown };
      return isDraft === false ? "sent" : isDraft === true ? "draft" : "unknown";
    } catch {
      return "unknown";
    }
  }

  /** One Graph request, throttling waited out; anything but success is a SendFailed saying why. */
  private async call(method: "GET" | "POST" | "DELETE", url: string, body: unknown, what: string, attempts = MAX_ATTEMPTS): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      let token: string;
      try {
        token = await this.tokens.accessToken();
      } catch (error) {
        throw new SendFailed(`Microsoft Entra did not sign Postbag in to send (check POSTBAG_GRAPH_TENANT_ID, POSTBAG_GRAPH_CLIENT_ID and POSTBAG_GRAPH_CLIENT_SECRET): ${firstLine(error)}`);
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
          body: body === undefined ? (method === "POST" ? "" : undefined) : JSON.stringify(body),
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
      } catch (error) {
        const name = (error as Error).name;
        // The request may have reached Microsoft 365 before the answer was lost.
        throw new MaybeSent(name === "TimeoutError" || name === "AbortError" ? `Microsoft 365 did not answer in time (trying to ${what}).` : `The connection to Microsoft 365 failed (${firstLine(error)}).`);
      }
      if (response.ok) return response;
      const problem = await graphError(response);
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get("retry-after"), attempt, Number.POSITIVE_INFINITY);
        if (attempt < attempts && wait <= MAX_WAIT_MS) {
          await this.sleep(wait);
          continue;
        }
        const minutes = Math.max(1, Math.ceil(wait / 60_000));
        throw new SendFailed(`Microsoft 365 is limiting how fast Postbag sends (throttled); try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`);
      }
      throw new (response.status >= 500 ? MaybeSent : SendFailed)(this.reason(response.status, problem, what));
    }
  }

  private reason(status: number, problem: string, what: string): string {
    const mailbox = this.settings.mailbox;
    if (status === 401) return `Microsoft Graph did not accept Postbag's sign-in to send (check POSTBAG_GRAPH_TENANT_ID, POSTBAG_GRAPH_CLIENT_ID and POSTBAG_GRAPH_CLIENT_SECRET). ${problem}`.trim();
    if (status === 403) {
      return `Microsoft 365 does not let Postbag send from ${mailbox}: the app registration needs the application permissions Mail.ReadWrite and Mail.Send with admin consent, and the mailbox in its application access policy (README, "Connect a mailbox"). ${problem}`.trim();
    }
    if (status === 404 && what === "make the message") return `Microsoft 365 has no mailbox ${mailbox} that Postbag can reach (check POSTBAG_GRAPH_MAILBOX). ${problem}`.trim();
    if (status === 413) return "The message is too large for Microsoft 365.";
    if (status >= 500) return `Microsoft 365 could not ${what} just now (${status}). ${problem}`.trim();
    return `Microsoft 365 refused to ${what} (${status}). ${problem}`.trim();
  }
}

/** The Graph message for the one recipient: no copies, the words as written, Postbag's Message-ID asked for. */
function draftOf(email: OutgoingEmail): Record<string, unknown> {
  const references = email.references ?? [];
  const properties = references.length
    ? [
        { id: IN_REPLY_TO, value: `<${references.at(-1)}>` },
        { id: REFERENCES, value: references.map((id) => `<${id}>`).join(" ") },
      ]
    : undefined;
  return {
    subject: email.subject,
    body: { contentType: "Text", content: email.text },
    toRecipients: [{ emailAddress: { name: email.to.name, address: email.to.address } }],
    internetMessageId: `<${email.messageId}>`,
    ...(properties ? { singleValueExtendedProperties: properties } : {}),
    ...(email.attachments?.length
      ? {
          attachments: email.attachments.map((file) => ({
            "@odata.type": "#microsoft.graph.fileAttachment",
            name: file.filename,
            contentType: file.contentType,
            contentBytes: Buffer.from(file.content).toString("base64"),
          })),
        }
      : {}),
  };
}

/** Graph's own words for a refusal (`error.code: error.message`), short. */
async function graphError(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    const parts = [error?.code, error?.message].filter((part): part is string => typeof part === "string" && part.trim() !== "");
    return parts.length ? `Microsoft 365 said: ${parts.join(": ").slice(0, 300)}` : "";
  } catch {
    return "";
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0]!.slice(0, 300);
}
