/**
 * Delivery status notifications (RFC 3464): the report a mail server sends back when an email
 * could not be delivered. Pure: mail intake hands over the report's text and its returned parts
 * (the original message, or its headers), and this says whether it reports a failure, for which
 * recipient, why, and which Message-IDs it names — the original's, from the returned headers,
 * then the report's own In-Reply-To and References.
 */

/** A failed delivery, as a report tells it. */
export interface BounceReport {
  /** The Message-IDs it names, the returned original's first. */
  messageIds: string[];
  /** Final-Recipient (else Original-Recipient) of a failed delivery. */
  recipient: string | null;
  /** The enhanced status code (`5.1.1`). */
  status: string | null;
  /** The receiving server's words (Diagnostic-Code), unfolded. */
  diagnostic: string | null;
}

/** Parts of a report whose content is a message or its headers: where the original's Message-ID is. */
export const RETURNED_PARTS = ["message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers", "message/delivery-status", "message/global-delivery-status"];

/** Subjects of reports without a machine-readable status part (older servers), all of which mean "not delivered". */
const FAILURE_SUBJECT = /undeliver|delivery (status notification \(failure\)|failure|has failed|failed)|returned mail|returned to sender|failure notice|mail delivery (failed|system)|non[- ]?delivery/i;

/**
 * Reads a report. Null when it is not a failure: no delivery status and no bounce-like subject,
 * or a status that only says delayed, relayed or delivered.
 */
export function readBounce(
  mail: { subject: string; text: string; inReplyTo: string | null; references: readonly string[] },
  parts: readonly { contentType: string; text: string }[],
): BounceReport | null {
  const statusText = [mail.text, ...parts.filter((part) => part.contentType.includes("delivery-status")).map((part) => part.text)].join("\n\n");
  const blocks = fieldBlocks(statusText).filter((block) => block.has("action"));
  const failed = blocks.filter((block) => block.get("action")!.toLowerCase().startsWith("failed"));
  if (blocks.length > 0 && failed.length === 0) return null;
  if (blocks.length === 0 && !FAILURE_SUBJECT.test(mail.subject)) return null;
  const first = failed[0];
  const returned = parts.filter((part) => !part.contentType.includes("delivery-status")).flatMap((part) => messageIdsIn(headerSection(part.text)));
  const answered = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()];
  return {
    messageIds: [...new Set([...returned, ...messageIdsIn(mail.text), ...answered])].slice(0, 20),
    recipient: first ? addressOf(first.get("final-recipient") ?? first.get("original-recipient")) : null,
    status: first?.get("status")?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ?? null,
    diagnostic: first?.get("diagnostic-code")?.replace(/^[a-z0-9-]+;\s*/i, "").slice(0, 500) ?? null,
  };
}

/** `Field: value` blocks separated by blank lines, continuation lines unfolded, names lower-cased. */
function fieldBlocks(text: string): Map<string, string>[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.replace(/\n[ \t]+/g, " ").split("\n")) {
        const field = line.match(/^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/);
        if (field && !fields.has(field[1]!.toLowerCase())) fields.set(field[1]!.toLowerCase(), field[2]!.trim());
      }
      return fields;
    });
}

/** A message's header section (up to the first blank line), unfolded. */
function headerSection(text: string): string {
  return text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)[0]!.replace(/\n[ \t]+/g, " ");
}

/** The Message-IDs of `Message-ID:` lines, without angle brackets. */
function messageIdsIn(text: string): string[] {
  return [...text.replace(/\r\n?/g, "\n").replace(/\n[ \t]+/g, " ").matchAll(/^message-id:\s*<([^<>\s]{3,250})>/gim)].map((found) => found[1]!);
}

/** `rfc822; jane@example.com` → `jane@example.com`. */
function addressOf(value: string | undefined): string | null {
  const address = value?.replace(/^[a-z0-9-]+;\s*/i, "").replace(/^<|>$/g, "").trim();
  return address ? address.slice(0, 254) : null;
}
