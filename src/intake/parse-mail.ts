import type { AddressObject, HeaderValue, ParsedMail } from "mailparser";
import type { IncomingMail } from "../domain/intake/intake-message.ts";
import { formatSize } from "../domain/files/file-rules.ts";

/**
 * One raw message (RFC 5322 / MIME) read into neutral data with mailparser: the plain text, or
 * for HTML-only mail the HTML turned into readable text with its entities decoded; charsets
 * (ISO-8859-1, Windows-1252…) decoded; attachments with their bytes. A message that cannot be
 * read as email is answered as unreadable, with why, never thrown: it is recorded and triaged.
 */
export async function readMail(raw: Uint8Array): Promise<IncomingMail | { unreadable: string }> {
  // Loaded with the first message read, not at start (only a process reading a mailbox needs it).
  const { simpleParser } = await import("mailparser");
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), { skipImageLinks: true });
  } catch (error) {
    return { unreadable: `Not readable as email: ${(error as Error).message ?? "unknown fault"}`.slice(0, 300) };
  }
  const sender = firstAddress(parsed.from);
  const text = (parsed.text ?? "").trim();
  if (parsed.headers.size === 0 || (!sender?.address && !parsed.subject && !parsed.messageId && !text)) {
    return { unreadable: "No email headers could be read (no sender, subject or Message-ID): the message is damaged or not email." };
  }
  return {
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    references: parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : parsed.references.split(/\s+/),
    fromName: sender?.name ?? "",
    fromAddress: sender?.address ?? null,
    subject: parsed.subject ?? "",
    sentAt: parsed.date ?? null,
    text,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename ?? (attachment.contentType === "message/rfc822" ? "forwarded-message.eml" : "attachment"),
      contentType: attachment.contentType,
      size: attachment.size ?? attachment.content.byteLength,
      content: new Uint8Array(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength),
    })),
    automatic: isAutomatic(parsed.headers, parsed.attachments.some((attachment) => attachment.contentType === "message/delivery-status")),
  };
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { name: string; address?: string } | undefined {
  const object = Array.isArray(from) ? from[0] : from;
  return object?.value[0];
}

/**
 * Mail sent by a machine (RFC 3834's Auto-Submitted, the older X-Autoreply / X-Autorespond and
 * Precedence: auto_reply headers, delivery reports): never threaded onto a case by itself.
 */
function isAutomatic(headers: Map<string, HeaderValue>, deliveryReport: boolean): boolean {
  const value = (name: string) => {
    const found = headers.get(name);
    if (found === undefined) return undefined;
    // Structured headers (Content-Type and the like) come as { value, params }; the rest as text.
    const text = typeof found === "string" ? found : typeof found === "object" && found !== null && "value" in found && typeof found.value === "string" ? found.value : "";
    return text.toLowerCase().trim();
  };
  const autoSubmitted = value("auto-submitted");
  if (autoSubmitted !== undefined && autoSubmitted !== "no") return true;
  if (value("x-autoreply") !== undefined || value("x-autorespond") !== undefined) return true;
  if (value("precedence") === "auto_reply") return true;
  const contentType = value("content-type") ?? "";
  return deliveryReport || contentType.startsWith("multipart/report");
}

/** Why a message over the size bound was recorded without its content, and what a person does about it. */
export function tooLargeProblem(bytes: number, maxBytes: number): string {
  return `it is ${formatSize(bytes)}, larger than Postbag reads whole (${formatSize(maxBytes)}): open it in the mailbox, then log or dismiss it here`;
}
