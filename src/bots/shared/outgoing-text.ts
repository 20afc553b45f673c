import { formatDateTime } from "../../domain/calendar/local-date.ts";
import { DomainError } from "../../domain/errors.ts";
import { isApproved, statusWords, templateLabel, type OutgoingItem } from "../../domain/letters/outgoing.ts";

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

function headline(item: OutgoingItem): string {
  const to = item.form === "email" ? `${item.recipient.name} <${item.recipient.email ?? "no address"}>` : item.recipient.name;
  return `${templateLabel(item.templateKey)} ${item.form} to ${to}`;
}

function state(item: OutgoingItem): string {
  const parts = [statusWords(item)];
  if (item.sentAt && item.sentBy) parts.push(`${item.form === "email" ? "sent" : "made"} ${formatDateTime(item.sentAt)} by ${item.sentBy.name}`);
  if (item.postedAt) parts.push(`posted ${formatDateTime(item.postedAt)} by ${item.postedBy}`);
  if (item.status === "send_failed" && item.failure) parts.push(item.failure);
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
