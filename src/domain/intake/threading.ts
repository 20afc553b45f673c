import type { PartnerRecord } from "../partners/partner-store.ts";

/** How a reply finds its case. Pure: the intake service looks up what these name. */

/** Case references written in a subject ("Re: [PFCC-2026-0042] Speeding"), upper-cased, first first. */
export function referencesInSubject(subject: string, prefix: string): string[] {
  const pattern = new RegExp(`\\b${prefix}-\\d{4}-\\d{4,}\\b`, "gi");
  return [...new Set((subject.match(pattern) ?? []).map((found) => found.toUpperCase()))];
}

/** The Message-IDs a message answers: In-Reply-To first, then References from the newest. */
export function answeredMessageIds(mail: { inReplyTo: string | null; references: readonly string[] }): string[] {
  return [...new Set([...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()])].slice(0, 50);
}

const EMAIL = /[A-Z0-9._%+'-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;

/**
 * Mail services anyone can sign up to: sharing one of these domains with a partner's contact says
 * nothing about who the sender writes for.
 */
const PUBLIC_MAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk", "msn.com",
  "yahoo.com", "yahoo.co.uk", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "aol.co.uk",
  "btinternet.com", "sky.com", "talktalk.net", "virginmedia.com", "ntlworld.com", "blueyonder.co.uk", "tiscali.co.uk",
  "protonmail.com", "proton.me", "gmx.com", "gmx.co.uk", "mail.com", "zoho.com", "yandex.com",
]);

/**
 * The partner a sender writes for: one whose directory contact names the sender's address, or
 * failing that an address at the sender's own organisation's domain (a reply from a colleague of
 * the contact) — never a public mail service's domain, which a partner shares with everyone.
 */
export function partnerOfSender(directory: readonly PartnerRecord[], address: string | null): PartnerRecord | undefined {
  if (!address) return undefined;
  const sender = address.toLowerCase();
  const at = sender.split("@")[1];
  const domain = at && !PUBLIC_MAIL_DOMAINS.has(at) ? at : undefined;
  const contacts = directory.filter((partner) => partner.active).map((partner) => ({ partner, emails: (partner.contact?.match(EMAIL) ?? []).map((email) => email.toLowerCase()) }));
  return (
    contacts.find(({ emails }) => emails.includes(sender))?.partner ??
    contacts.find(({ emails }) => domain !== undefined && emails.some((email) => email.split("@")[1] === domain))?.partner
  );
}

/** The first lines of an email's text, without the quoted message it answers: what a case's summary or a timeline entry shows. */
export function firstLines(text: string, maxLines = 12, maxChars = 1500): string {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    // Where the quoted earlier message starts ("On Tue, … wrote:", "-----Original Message-----", "> …"), the new text ends.
    if (/^\s*>/.test(line) || /^-{2,}\s*Original Message/i.test(line) || /^On .{5,200} wrote:\s*$/.test(line)) break;
    lines.push(line.trimEnd());
  }
  const kept = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim().split("\n").slice(0, maxLines).join("\n");
  return kept.length <= maxChars ? kept : `${kept.slice(0, maxChars - 1)}…`;
}

/**
 * What an email to a constituent answers, so it threads in their mail client (RFC 5322 §3.6.4):
 * the latest email of theirs on the case (the one it was logged from, or a later one added to
 * it; the one it was logged from when none is from their address now), with that email's own
 * References (or In-Reply-To) before it. Answers the Message-IDs
 * oldest first, the one answered last (it becomes In-Reply-To); none when Postbag holds no email
 * of theirs with a Message-ID. At most the 20 newest, as mail clients trim long chains.
 */
export function replyReferences(
  emails: readonly { messageId: string | null; inReplyTo: string | null; references: readonly string[]; fromAddress: string | null; erasedAt: Date | null; state: string }[],
  to: string,
): string[] {
  const onCase = emails.filter((email) => email.messageId && !email.erasedAt && (email.state === "logged" || email.state === "attached"));
  // Theirs by address; failing that (their address was corrected since), the email the case was logged from.
  const answered = onCase.filter((email) => email.fromAddress?.toLowerCase() === to.trim().toLowerCase()).at(-1) ?? onCase.find((email) => email.state === "logged");
  if (!answered?.messageId) return [];
  const before = answered.references.length ? answered.references : answered.inReplyTo ? [answered.inReplyTo] : [];
  const chain = [...new Set([...before.filter((id) => id !== answered.messageId), answered.messageId])];
  return chain.slice(-20);
}
