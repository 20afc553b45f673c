import { createHash } from "node:crypto";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import type { CaseRecord } from "../cases/case-record.ts";
import type { PartnerRecord } from "../partners/partner-store.ts";
import { KINDS, type Kind } from "../cases/vocabulary.ts";
import type { NewCaseFile } from "../files/case-files.ts";
import { TEMPLATE_LABELS, type TemplateForm } from "./templates.ts";

/**
 * Letters and emails written on a case (issue 17): an item is drafted from the current version
 * of a template, signed off by a manager where the office says so, and sent explicitly — an
 * email through the office's relay, a letter made as a PDF and then posted. Pure rules here;
 * the desk (outgoing-service.ts) prepares, the steps (outgoing-steps.ts) decide the change.
 */

export const OUTGOING_STATUSES = ["draft", "awaiting_approval", "approved", "sending", "sent", "send_failed", "posted", "bounced"] as const;
export type OutgoingStatus = (typeof OUTGOING_STATUSES)[number];

/** What may still be changed, approved or sent. */
export const OPEN_ITEM: readonly OutgoingStatus[] = ["draft", "awaiting_approval", "approved", "send_failed"];

/** A send that began this long ago and never finished (the process stopped) may be sent again, with the same Message-ID. */
export const STUCK_SENDING_MS = 5 * 60 * 1000;

export interface OutgoingRecipient {
  kind: "constituent" | "partner";
  name: string;
  email: string | null;
  address: string | null;
  partnerId: number | null;
}

export interface OutgoingItem {
  id: number;
  caseId: number;
  number: number;
  templateKey: string;
  form: TemplateForm;
  templateVersion: number;
  recipient: OutgoingRecipient;
  /** The email's subject as it goes ([reference] first); null for a letter. */
  subject: string | null;
  text: string;
  status: OutgoingStatus;
  draftedBy: { id: number; name: string };
  draftedAt: Date;
  approvedBy: { id: number; name: string } | null;
  approvedAt: Date | null;
  approvedSha256: string | null;
  sentBackBy: string | null;
  sentBackAt: Date | null;
  sendBackComment: string | null;
  sendingSince: Date | null;
  messageId: string | null;
  sentBy: { id: number; name: string } | null;
  sentAt: Date | null;
  sha256: string | null;
  failure: string | null;
  failedAt: Date | null;
  postedBy: string | null;
  postedAt: Date | null;
  /** An email that came back undelivered: when the bounce was read, why (the receiving server's words), and the intake message that said so. */
  bouncedAt: Date | null;
  bounceReason: string | null;
  bounceIntakeId: number | null;
}

export type NewOutgoingItem = Omit<OutgoingItem, "id" | "caseId">;

/** An item as a card of its case shows it and offers steps on it: whether the office wants it signed off, and whether its words as they stand are. */
export type OutgoingOnCase = Omit<OutgoingItem, "id" | "caseId"> & { needsSignOff: boolean; approved: boolean };

/** An item for a card: what sign-off it needs, decided here once (the desk knows the office's rules). */
export function onCase(item: OutgoingItem, rules: readonly SignOffRule[], kind: Kind): OutgoingOnCase {
  const { id: _id, caseId: _caseId, ...shown } = item;
  return { ...shown, needsSignOff: needsSignOff(rules, item.templateKey, kind), approved: isApproved(item) };
}

/** Whether an item is still to go: its words may change, be signed off, and be sent. */
export function isOpenItem(item: Pick<OutgoingItem, "status">): boolean {
  return OPEN_ITEM.includes(item.status);
}

/** Whether it may be sent as it stands: open, and signed off where the office wants that. */
export function isReadyToSend(item: Pick<OutgoingOnCase, "status" | "needsSignOff" | "approved">): boolean {
  return isOpenItem(item) && (!item.needsSignOff || item.approved);
}

/** Whether sending it needs its address typed again: an email to the constituent of a sensitive case. */
export function needsAddressConfirmed(sensitive: boolean, item: Pick<OutgoingItem, "form" | "recipient">): boolean {
  return sensitive && item.form === "email" && item.recipient.kind === "constituent";
}

/** Templates whose words name the partner they go to: merged only once the partner is chosen. */
export function needsPartner(template: string): boolean {
  return template === "referral";
}

/**
 * What a draft would be, merged from its template before anything is saved: the words a
 * form starts from, and where they would go. The subject is the template's (the reference
 * is put in front as it goes, `sentSubject`).
 */
export interface DraftProposal {
  template: string;
  form: TemplateForm;
  recipient: OutgoingRecipient;
  subject: string | null;
  sentSubject: string | null;
  text: string;
  needsSignOff: boolean;
}

/** An email's subject without the reference Postbag puts in front (what a person edits). */
export function subjectAfterReference(reference: string, subject: string): string {
  const prefix = `[${reference}]`;
  return subject.startsWith(prefix) ? subject.slice(prefix.length).trim() : subject;
}

/** The columns one step changes on an item (never its case, number or template). */
export type OutgoingPatch = Partial<Omit<OutgoingItem, "id" | "caseId" | "number" | "templateKey" | "form" | "templateVersion">>;

/** An item write that goes with a case change, in its transaction. `from`: the statuses it must still have. */
export type OutgoingWrite = { kind: "create"; item: NewOutgoingItem } | { kind: "update"; id: number; number: number; from: readonly OutgoingStatus[]; patch: OutgoingPatch };

/** What an action on an item was prepared with before deciding: the item as it will be, and what was sent or made. */
export interface PreparedOutgoing {
  item: OutgoingItem;
  /** The item as it was, when the step changes its words (a redraft). */
  before?: OutgoingItem;
  /** The case's version the preparation read (a new draft's number counts on it). */
  caseVersion?: number;
  /** The partner a referral goes to, from the directory. */
  partner?: PartnerRecord;
  /** A draft whose words were changed from the template's before it was saved. */
  edited?: boolean;
  /** An email that went, or a letter made: when, the hash of exactly what, the PDF as a case file. */
  sent?: { at: Date; sha256: string; messageId: string | null; file?: NewCaseFile; pdf?: Uint8Array };
  /** A retried request: the first one's result stands, nothing was sent again. */
  replay?: boolean;
}

/** The words an item stands for, as hashed when approved and when sent: `Subject: …` and a blank line first for an email. */
export function itemWords(item: Pick<OutgoingItem, "subject" | "text">): string {
  return item.subject === null ? item.text : `Subject: ${item.subject}\n\n${item.text}`;
}

export function sha256Hex(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

export function wordsHash(item: Pick<OutgoingItem, "subject" | "text">): string {
  return sha256Hex(itemWords(item));
}

export function templateLabel(key: string): string {
  return (TEMPLATE_LABELS as Record<string, string>)[key] ?? key;
}

export const STATUS_WORDS: Record<OutgoingStatus, string> = {
  draft: "draft",
  awaiting_approval: "awaiting a manager's sign-off",
  approved: "approved, not sent",
  sending: "being sent",
  sent: "sent",
  send_failed: "not sent (the send failed)",
  posted: "posted",
  bounced: "bounced (sent, but not delivered)",
};

/** An item's state in words; a letter "sent" is made (its PDF), awaiting posting. */
export function statusWords(item: Pick<OutgoingItem, "status" | "form">): string {
  if (item.form === "letter" && item.status === "sent") return "made (PDF), to be posted";
  return STATUS_WORDS[item.status];
}

/* ── Sign-off ── */

/** One sign-off rule: this template needs a manager's approval, on every case or on cases of one kind. */
export interface SignOffRule {
  template: string;
  kind: Kind | null;
}

const signOffRuleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([a-z][a-z0-9-]{1,39}|\*)(:[a-z-]+)?$/, "each rule is <template> or <template>:<kind>, like response or response:complaint")
  .transform((rule, ctx) => {
    const [template, kind] = rule.split(":") as [string, string | undefined];
    if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
      ctx.addIssue({ code: "custom", message: `${kind} is not a kind of case (${KINDS.join(", ")})` });
      return z.NEVER;
    }
    return { template, kind: (kind ?? null) as Kind | null };
  });

/** POSTBAG_SIGN_OFF: `response:complaint,holding` — comma-separated; `*` means every template. */
export const signOffSchema = z
  .string()
  .default("")
  .transform((value) => value.split(",").map((rule) => rule.trim()).filter(Boolean))
  .pipe(z.array(signOffRuleSchema));

/** Whether an item of this template, on a case of this kind, needs a manager's sign-off before it goes. */
export function needsSignOff(rules: readonly SignOffRule[], template: string, kind: Kind): boolean {
  return rules.some((rule) => (rule.template === "*" || rule.template === template) && (rule.kind === null || rule.kind === kind));
}

/** Whether the words as they stand are the words a manager approved. */
export function isApproved(item: Pick<OutgoingItem, "approvedSha256" | "subject" | "text">): boolean {
  return item.approvedSha256 !== null && item.approvedSha256 === wordsHash(item);
}

/* ── Recipients ── */

const oneAddress = z.email();

/**
 * Who an item goes to: the partner chosen (a referral: its contact's email from the directory),
 * else the case's constituent. An email needs exactly one address, a letter a postal address;
 * the refusal says how to put it right.
 */
export function recipientFor(record: CaseRecord, form: TemplateForm, partner: PartnerRecord | undefined): OutgoingRecipient {
  if (partner) {
    const email = emailIn(partner.contact);
    const address = partner.contact?.replace(/\S+@\S+/g, "").replace(/[\s,;]+$/g, "").trim() || null;
    if (form === "email" && !email) {
      throw new DomainError("invalid_input", `The partner directory has no email address for ${partner.name}. A manager adds it with: partner change "${partner.name}" --contact <email>.`, "partner");
    }
    if (form === "letter" && !address) {
      throw new DomainError("invalid_input", `The partner directory has no postal address for ${partner.name}: send it by email instead.`, "partner");
    }
    return { kind: "partner", name: partner.name, email: form === "email" ? email : null, address: form === "letter" ? address : null, partnerId: partner.id };
  }
  const { name, email, address } = record.constituent;
  if (form === "email") {
    if (!email) {
      throw new DomainError("invalid_input", `${record.reference} has no email address for ${name}. Add it (edit ${record.reference} --email <address>), or send a letter.`, "form");
    }
    if (!oneAddress.safeParse(email.trim()).success) {
      throw new DomainError("invalid_input", `${record.reference}'s email for ${name} (“${email.slice(0, 100)}”) is not one email address. Correct it with: edit ${record.reference} --email <address>.`, "form");
    }
    return { kind: "constituent", name, email: email.trim(), address: null, partnerId: null };
  }
  if (!address?.trim()) {
    throw new DomainError("invalid_input", `${record.reference} has no postal address for ${name}. Add it (edit ${record.reference} --address "<address>"), or send an email.`, "form");
  }
  return { kind: "constituent", name, email: null, address: address.trim(), partnerId: null };
}

/** The one email address in a directory contact ("Jo Bloggs, jo@force.example, 01234…"), if there is exactly one. */
function emailIn(contact: string | null): string | null {
  const found = (contact ?? "").match(/[^\s,;<>()]+@[^\s,;<>()]+/g) ?? [];
  return found.length === 1 && oneAddress.safeParse(found[0]).success ? found[0] : null;
}

/** Whether a typed address is the one recorded (compared as mail servers compare: case and spaces aside). */
export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
