import { formatDateTime } from "../../domain/calendar/local-date.ts";
import { DomainError } from "../../domain/errors.ts";
import { isApproved, statusWords, templateLabel, type OutgoingItem } from "../../domain/letters/outgoing.ts";
import { wordsAsShown } from "../../domain/letters/letter-controls.ts";

/** A case's letters and emails as text (every surface shows it as a message), or one with its words. */
export function outgoingText(reference: string, items: readonly OutgoingItem[], which?: string): string {
  if (which !== undefined) {
    const item = /^\d+$/.test(which) ? items.find((listed) => listed.number === Number(which)) : undefined;
    if (!item) throw new DomainError("invalid_input", `${reference} has no letter or email “${which.slice(0, 20)}”. See them with: outgoing ${reference}.`);
    return itemText(reference, item);
  }
  if (items.length === 0) return `${reference} has no letters or emails yet. Write one from a template: draft ${reference} <template> [email|letter].`;
  return [`Letters and emails of ${reference}:`, ...items.map((item) => `  ${item.number}. ${headline(item)} — ${state(item)}`), `Read one with: outgoing ${reference} <n>.`].join("\n");
}

type Shown = Omit<OutgoingItem, "id" | "caseId">;

/** An item in a line: `Acknowledgement email to Jane Doe <jane@example.com>`. */
export function itemHeadline(item: Pick<Shown, "templateKey" | "form" | "recipient">): string {
  return headline(item);
}

/** An item's state in words, with who sent it and when, why a send failed, or why it was sent back. */
export function itemState(item: Shown): string {
  return state(item);
}

function headline(item: Pick<Shown, "templateKey" | "form" | "recipient">): string {
  const to = item.form === "email" ? `${item.recipient.name} <${item.recipient.email ?? "no address"}>` : item.recipient.name;
  return `${templateLabel(item.templateKey)} ${item.form} to ${to}`;
}

function state(item: Shown): string {
  const parts = [statusWords(item)];
  if (item.sentAt && item.sentBy) parts.push(`${item.form === "email" ? "sent" : "made"} ${formatDateTime(item.sentAt)} by ${item.sentBy.name}`);
  if (item.postedAt) parts.push(`posted ${formatDateTime(item.postedAt)} by ${item.postedBy}`);
  if (item.status === "send_failed" && item.failure) parts.push(item.failure);
  if (item.status === "bounced" && item.bouncedAt) parts.push(`bounced ${formatDateTime(item.bouncedAt)}: ${item.bounceReason ?? "no reason given"}`);
  if (item.sendBackComment && item.status === "draft") parts.push(`sent back by ${item.sentBackBy}: ${item.sendBackComment}`);
  return parts.join("; ");
}

function itemText(reference: string, item: OutgoingItem): string {
  const lines = [
    `${reference}, item ${item.number}: ${headline(item)}`,
    `State: ${state(item)}`,
    `From template ${item.templateKey} (${item.form}) version ${item.templateVersion}; words by ${item.draftedBy.name}, ${formatDateTime(item.draftedAt)}`,
  ];
  if (item.approvedBy && item.approvedAt) lines.push(`Approved by ${item.approvedBy.name}, ${formatDateTime(item.approvedAt)}${isApproved(item) ? "" : " (the words have changed since)"}`);
  if (item.form === "letter" && item.recipient.address) lines.push(`Address: ${item.recipient.address.replace(/\n/g, ", ")}`);
  if (item.messageId) lines.push(`Message-ID: <${item.messageId}>`);
  if (item.sha256) lines.push(`SHA-256 of what was sent: ${item.sha256}`);
  lines.push("", ...(item.subject !== null ? [`Subject: ${item.subject}`, ""] : []), item.text);
  return lines.join("\n");
}

/** How many of a case's letters and emails a card shows (the latest), and how much of an open one's words. */
export const ITEMS_ON_CARD = 5;
export const WORDS_ON_CARD = 1500;

/**
 * An item still to go, as its card shows it beside Send: the subject as it goes, then the words
 * exactly; past `max` characters clipped, with where to read the rest.
 */
export function wordsOnCard(reference: string, item: Pick<Shown, "number" | "subject" | "text">, max = WORDS_ON_CARD): { words: string; rest: string | null } {
  const whole = wordsAsShown(item);
  if (whole.length <= max) return { words: whole, rest: null };
  return { words: `${whole.slice(0, max - 1)}…`, rest: `The rest: outgoing ${reference} ${item.number}` };
}
