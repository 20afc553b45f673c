import { randomBytes } from "node:crypto";
import { formatDateTime, londonDateOf } from "../calendar/local-date.ts";
import type { CaseRecord, CaseStore } from "../cases/case-record.ts";
import type { CaseView } from "../cases/case-view.ts";
import { assertOwnWords, assertWritable } from "./letter-controls.ts";
import { assertCanProgress, canSeeInFull } from "../cases/permissions.ts";
import { referenceSchema } from "../cases/case.schema.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { FileStore } from "../files/file-store.ts";
import type { PartnerRecord } from "../partners/partner-store.ts";
import type { Clock, RequestContext } from "../ports.ts";
import { assertCanWork } from "../cases/permissions.ts";
import type { Actor } from "../staff/roles.ts";
import type { LetterPrinter } from "./letter-printer.ts";
import { SendFailed, type MailSender } from "./mail-sender.ts";
import { letterDate, mergeValuesFor } from "./merge-values.ts";
import { assertItemOpen } from "./outgoing-steps.ts";
import {
  OPEN_ITEM,
  STUCK_SENDING_MS,
  isApproved,
  needsPartner,
  needsSignOff,
  onCase,
  type DraftProposal,
  type OutgoingOnCase,
  recipientFor,
  sameAddress,
  wordsHash,
  type OutgoingItem,
  type OutgoingPatch,
  type OutgoingStatus,
  type PreparedOutgoing,
  type SignOffRule,
} from "./outgoing.ts";
import { draftSchema, type DraftInput, type RedraftInput, type SendInput, type SendNewInput } from "./outgoing.schema.ts";
import { replyReferences } from "../intake/threading.ts";
import type { IntakeRecord } from "../intake/intake-message.ts";
import type { TemplateService } from "./template-service.ts";
import { emailHtml, emailSubject } from "./templates.ts";

/** The steps of a letter or email, as case actions name them (case-actions.ts: `outgoing`). */
export type OutgoingStep = "draft" | "redraft" | "approve" | "send_back" | "send" | "posted";

/** Where items are kept; only src/db knows the table. Writes that go with a case change are the case store's (CaseChange.outgoing). */
export interface OutgoingStore {
  /** A case's items, by number. */
  list(caseId: number): Promise<OutgoingItem[]>;
  find(caseId: number, number: number): Promise<OutgoingItem | null>;
  /** The emails Postbag sent with one of these Message-IDs (a bounce names the one it is about), newest first. */
  sentWithMessageIds(messageIds: readonly string[]): Promise<(OutgoingItem & { reference: string })[]>;
  /** Claims an item for sending: writes `patch` only if it is still in `from` with these words. False: it changed meanwhile. */
  claim(id: number, from: readonly OutgoingStatus[], words: Pick<OutgoingItem, "subject" | "text">, patch: OutgoingPatch): Promise<boolean>;
  /** A send that did not go: the reason, for whoever looks next. The case is not touched. */
  failed(id: number, reason: string, at: Date): Promise<void>;
}

export interface OutgoingDeps {
  store: OutgoingStore;
  cases: Pick<CaseStore, "findCase" | "findByRequestKey">;
  templates: TemplateService;
  clock: Clock;
  /** Which templates need a manager's sign-off, on which kinds of case (POSTBAG_SIGN_OFF). */
  signOff: readonly SignOffRule[];
  /** The case as this person may see it, for the merge fields. */
  caseView: (actor: Actor, reference: string) => Promise<CaseView>;
  partners: { list(): Promise<PartnerRecord[]> };
  /** The office's relay; without it, emails are refused and letters still work. */
  mail?: MailSender;
  printLetter?: LetterPrinter;
  files?: FileStore;
  /** The emails mail intake logged as or added to a case, oldest first: an email to its constituent answers theirs, so it threads in their mail. */
  emailsOfCase?: (caseId: number) => Promise<Pick<IntakeRecord, "messageId" | "inReplyTo" | "references" | "fromAddress" | "erasedAt" | "state">[]>;
}

/**
 * The letters-and-emails desk: prepares each step of an item before its case action decides
 * it — merges the template for a draft, reads new words, and sends: an email goes through the
 * relay (and only then is the step recorded; a refusal records nothing on the case and marks
 * the item with the reason), a letter is made as a PDF and put in the file store.
 */
export class OutgoingDesk {
  constructor(private readonly deps: OutgoingDeps) {}

  /** Whether emails can be sent here (an SMTP relay is configured). */
  get canEmail(): boolean {
    return this.deps.mail !== undefined;
  }

  async prepare(step: OutgoingStep, actor: Actor, input: { reference: string; item?: number }, request: RequestContext, partner?: PartnerRecord): Promise<PreparedOutgoing> {
    assertCanWork(actor);
    const record = await this.record(input.reference);
    if (step === "draft") return this.prepareDraft(actor, record, input as DraftInput, partner);
    const item = await this.item(record, input.item!);
    const itemPartner = await this.partnerOf(item);
    switch (step) {
      case "redraft":
        return this.prepareRedraft(actor, record, item, input as RedraftInput);
      case "send":
        return this.prepareSend(actor, record, item, input as SendInput, request, itemPartner);
      default:
        return { item, partner: itemPartner };
    }
  }

  /** A case's letters and emails, for whoever may read the case in full. */
  async list(actor: Actor, rawReference: unknown): Promise<{ reference: string; items: OutgoingItem[]; sensitive: boolean }> {
    const record = await this.record(parseInput(referenceSchema, rawReference));
    if (!canSeeInFull(actor, record)) throw new DomainError("not_permitted", `${record.reference} is sensitive: only its assignee or a manager can read its letters and emails.`);
    return { reference: record.reference, items: await this.deps.store.list(record.id), sensitive: record.sensitive };
  }

  /**
   * What a draft from this template would say on this case, merged now and saved nowhere: the
   * words a card's draft form starts from. Null for a template that names its partner (a
   * referral), which is merged once the partner is chosen.
   */
  async propose(actor: Actor, raw: unknown): Promise<DraftProposal | null> {
    const input = parseInput(draftSchema, raw);
    if (needsPartner(input.template) && !input.partner) return null;
    assertCanWork(actor);
    const record = await this.record(input.reference);
    assertCanProgress(actor, record);
    assertWritable(record, input.template, "write from it");
    const merged = await this.merged(actor, record, input, undefined);
    return {
      template: merged.version.key,
      form: merged.form,
      recipient: merged.recipient,
      subject: merged.subject,
      sentSubject: merged.subject === null ? null : emailSubject(record.reference, merged.subject),
      text: merged.text,
      needsSignOff: needsSignOff(this.deps.signOff, merged.version.key, record.kind),
    };
  }

  /**
   * Whether a draft from this template could go at once, checked before anything is written
   * (`send_new`: a draft and its send in one act): everything `send` would refuse — the case
   * open and workable, no sign-off needed, one recipient with an address, email set up, a
   * sensitive case's address typed again. So what is left to fail once the draft is written is
   * the sending itself (a relay that refuses), which keeps the draft.
   */
  async assertSendsAtOnce(actor: Actor, input: SendNewInput, partner: PartnerRecord | undefined): Promise<void> {
    assertCanWork(actor);
    const record = await this.record(input.reference);
    assertCanProgress(actor, record);
    assertWritable(record, input.template, "write from it");
    if (needsPartner(input.template) && !partner) {
      throw new DomainError("invalid_input", `Say which partner the referral goes to: send-new ${record.reference} referral --partner "<partner>".`, "partner");
    }
    if (needsSignOff(this.deps.signOff, input.template, record.kind)) {
      throw new DomainError(
        "invalid_transition",
        `On a ${record.kind} case, letters and emails from the ${input.template} template need a manager's sign-off before they go, so this cannot be sent at once. Draft it (draft ${record.reference} ${input.template}); a manager approves it, then it is sent.`,
      );
    }
    const form = input.form ?? (partner || record.constituent.email ? "email" : "letter");
    const recipient = recipientFor(record, form, partner);
    if (form === "letter") return;
    if (!this.deps.mail) {
      throw new DomainError("unavailable", `Email sending is not configured here (SMTP_HOST and SMTP_FROM, or POSTBAG_MAIL_SEND=graph): ask whoever runs Postbag, or send it as a letter.`);
    }
    if (recipient.kind === "constituent" && record.sensitive) assertAddressConfirmed(record, recipient, input.confirmAddress, `send-new ${record.reference} ${input.template}`);
  }

  /** The email Postbag sent with one of these Message-IDs, if any (a bounce names it): the newest. */
  async sentWith(messageIds: readonly string[]): Promise<(OutgoingItem & { reference: string }) | null> {
    if (messageIds.length === 0) return null;
    return (await this.deps.store.sentWithMessageIds(messageIds))[0] ?? null;
  }

  /** Whether a letter or email from a template needs a manager's sign-off on a case of this kind (the office's rules, POSTBAG_SIGN_OFF). */
  signOffOn(record: Pick<CaseRecord, "kind">): (template: string) => boolean {
    return (template) => needsSignOff(this.deps.signOff, template, record.kind);
  }

  /** A case's letters and emails as its card shows them, with the sign-off each needs (the office's rules are the desk's). */
  /** The case's letters and emails with what each needs next; `read`: the items already read with the case. */
  async onCase(record: Pick<CaseRecord, "id" | "kind">, read?: readonly OutgoingItem[]): Promise<OutgoingOnCase[]> {
    return (read ?? (await this.deps.store.list(record.id))).map((item) => onCase(item, this.deps.signOff, record.kind));
  }

  /** The template merged for this case and reader: its form (email unless there is no address for one), recipient and words. */
  private async merged(actor: Actor, record: CaseRecord, input: DraftInput, partner: PartnerRecord | undefined) {
    const form = input.form ?? (partner || record.constituent.email ? "email" : "letter");
    const recipient = recipientFor(record, form, partner);
    const now = this.deps.clock.now();
    const view = await this.deps.caseView(actor, record.reference);
    const values = mergeValuesFor(view, this.deps.templates.office, londonDateOf(now), actor, partner?.name);
    const merged = await this.deps.templates.merge(input.template, form, values);
    return { ...merged, form, recipient };
  }

  private async prepareDraft(actor: Actor, record: CaseRecord, input: DraftInput, partner: PartnerRecord | undefined): Promise<PreparedOutgoing> {
    assertCanProgress(actor, record);
    assertWritable(record, input.template, "write from it");
    if (needsPartner(input.template) && !partner) {
      throw new DomainError("invalid_input", `Say which partner the referral goes to: draft ${record.reference} referral --partner "<partner>".`, "partner");
    }
    const merged = await this.merged(actor, record, input, partner);
    const form = merged.form;
    const mergedSubject = form === "email" ? emailSubject(record.reference, merged.subject ?? "") : null;
    // Words edited in a card's form before the draft was saved stand in place of the merged ones.
    const text = input.text === undefined ? merged.text : written(input.text, "text");
    const subject = form === "email" && input.subject !== undefined ? emailSubject(record.reference, writtenSubject(input.subject)) : mergedSubject;
    assertOwnWords(record, merged.version.key, text !== merged.text || subject !== mergedSubject);
    const now = this.deps.clock.now();
    const items = await this.deps.store.list(record.id);
    const item: OutgoingItem = {
      ...BLANK,
      id: 0,
      caseId: record.id,
      number: Math.max(0, ...items.map((existing) => existing.number)) + 1,
      templateKey: merged.version.key,
      form,
      templateVersion: merged.version.version,
      recipient: merged.recipient,
      subject,
      text,
      status: needsSignOff(this.deps.signOff, merged.version.key, record.kind) ? "awaiting_approval" : "draft",
      draftedBy: { id: actor.id, name: actor.name },
      draftedAt: now,
    };
    return { item, caseVersion: record.version, partner, edited: text !== merged.text || subject !== mergedSubject };
  }

  private async prepareRedraft(actor: Actor, record: CaseRecord, item: OutgoingItem, input: RedraftInput): Promise<PreparedOutgoing> {
    assertCanProgress(actor, record);
    assertItemOpen(record, item, "change its words");
    const typed = input.text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    // A card's form gives an email's subject on its own; a file at the console may start with `Subject: …`.
    const subjectLine = item.form === "email" && input.subject === undefined ? typed.match(/^\s*subject:[ \t]*(.*)\n([\s\S]*)$/i) : null;
    const text = written(subjectLine ? subjectLine[2]! : typed, "text");
    const newSubject = item.form !== "email" ? undefined : input.subject !== undefined ? writtenSubject(input.subject) : subjectLine?.[1]!.replace(/\s+/g, " ").trim();
    const subject = newSubject ? emailSubject(record.reference, newSubject) : item.subject;
    if (subject !== null && subject.length > 250) throw new DomainError("invalid_input", "A subject is at most 200 characters.", "subject");
    assertOwnWords(record, item.templateKey, text !== item.text || subject !== item.subject);
    const status = needsSignOff(this.deps.signOff, item.templateKey, record.kind) ? "awaiting_approval" : "draft";
    const after: OutgoingItem = { ...item, subject, text, status, draftedBy: { id: actor.id, name: actor.name }, draftedAt: this.deps.clock.now() };
    return { item: after, before: item };
  }

  /**
   * Sends an email (or makes a letter) after every check that can refuse: the case open, the
   * item not sent, signed off where needed, one recipient with an address, a sensitive case's
   * address confirmed. An email is claimed first, so two people never send it twice.
   */
  private async prepareSend(actor: Actor, record: CaseRecord, item: OutgoingItem, input: SendInput, request: RequestContext, partner: PartnerRecord | undefined): Promise<PreparedOutgoing> {
    // A retried request (the same delivery again) answers with the first result and sends nothing again.
    if (request.requestKey && (await this.deps.cases.findByRequestKey(request.requestKey, { last: 0 }))) return { item, partner, replay: true };
    assertCanProgress(actor, record);
    assertWritable(record, item.templateKey, "send letters from it");
    const now = this.deps.clock.now();
    const stuck = item.status === "sending" && item.sendingSince !== null && now.getTime() - item.sendingSince.getTime() >= STUCK_SENDING_MS;
    if (item.status === "sending" && !stuck) {
      throw new DomainError("changed_meanwhile", `Item ${item.number} of ${record.reference} is being sent (since ${formatDateTime(item.sendingSince ?? now)}). Look again in a minute: outgoing ${record.reference} ${item.number}.`);
    }
    if (!stuck) assertItemOpen(record, item, "send it");
    if (needsSignOff(this.deps.signOff, item.templateKey, record.kind) && !isApproved(item)) {
      const changed = item.approvedSha256 ? " Its words changed after they were approved." : "";
      throw new DomainError("invalid_transition", `Item ${item.number} of ${record.reference} needs a manager's sign-off before it goes.${changed} A manager approves it with: approve ${record.reference} ${item.number}.`);
    }
    const recipient = recipientFor(record, item.form, partner);
    const ready: OutgoingItem = { ...item, recipient };
    if (item.form === "letter") return { item: ready, partner, sent: await this.makeLetter(record, ready) };

    const mail = this.deps.mail;
    if (!mail) {
      throw new DomainError("unavailable", `Email sending is not configured here (SMTP_HOST and SMTP_FROM, or POSTBAG_MAIL_SEND=graph): ask whoever runs Postbag, or send it as a letter (draft ${record.reference} ${item.templateKey} letter).`);
    }
    if (recipient.kind === "constituent" && record.sensitive) assertAddressConfirmed(record, recipient, input.confirmAddress, `send ${record.reference} ${item.number}`);
    // An email to the constituent answers theirs, so it threads in their mail (In-Reply-To, References).
    const references = recipient.kind === "constituent" && this.deps.emailsOfCase ? replyReferences(await this.deps.emailsOfCase(record.id), recipient.email!) : [];
    // The same Message-ID on a send tried again, so a copy that did go is known as the same message.
    const messageId = item.messageId ?? newMessageId(mail.from.address);
    const claimed = await this.deps.store.claim(item.id, stuck ? ["sending"] : OPEN_ITEM, item, { status: "sending", sendingSince: now, messageId, recipient });
    if (!claimed) throw new DomainError("changed_meanwhile", `Item ${item.number} of ${record.reference} changed meanwhile (someone else sent or changed it). Look again: outgoing ${record.reference} ${item.number}.`);
    let sentAs = messageId;
    try {
      const sent = await mail.send({ to: { name: recipient.name, address: recipient.email! }, subject: item.subject ?? "", text: item.text, html: emailHtml(item.text), messageId, ...(references.length ? { references } : {}) });
      // The Message-ID a reply will name is the one it really went with (Graph reports its own).
      if (sent?.messageId) sentAs = sent.messageId;
    } catch (error) {
      const reason = error instanceof SendFailed ? error.message : "Postbag hit an unexpected problem while sending.";
      await this.deps.store.failed(item.id, reason, this.deps.clock.now());
      if (!(error instanceof SendFailed)) throw error;
      throw new DomainError("unavailable", `Item ${item.number} of ${record.reference} was not sent: ${reason} Nothing was recorded on the case. Send it again once that is put right: send ${record.reference} ${item.number}.`);
    }
    return { item: { ...ready, status: "sending", messageId: sentAs }, partner, sent: { at: this.deps.clock.now(), sha256: wordsHash(item), messageId: sentAs } };
  }

  /** The letter as a PDF, its bytes in the file store (the case-file row is written with the step). */
  private async makeLetter(record: CaseRecord, item: OutgoingItem): Promise<NonNullable<PreparedOutgoing["sent"]>> {
    const { printLetter, files } = this.deps;
    if (!printLetter || !files) throw new DomainError("unavailable", "Letters cannot be made here (no file store). Ask whoever runs Postbag.");
    const now = this.deps.clock.now();
    const pdf = await printLetter({
      office: this.deps.templates.office,
      recipient: { name: item.recipient.name, address: item.recipient.address },
      date: letterDate(londonDateOf(now)),
      reference: record.reference,
      body: item.text,
      madeAt: now,
    });
    const { sha256, size } = await files.put(pdf);
    const filename = `${record.reference}-letter-${item.number}-${item.templateKey}.pdf`;
    return { at: now, sha256, messageId: null, pdf, file: { sha256, size, mediaType: "application/pdf", filename, source: "letter" } };
  }

  private async record(reference: string): Promise<CaseRecord> {
    const loaded = await this.deps.cases.findCase(reference, { last: 0 });
    if (!loaded) throw new DomainError("case_not_found", `No case ${reference}. Find it with: search <name or subject>.`);
    return loaded.record;
  }

  private async item(record: CaseRecord, number: number): Promise<OutgoingItem> {
    const item = await this.deps.store.find(record.id, number);
    if (!item) throw new DomainError("invalid_input", `${record.reference} has no letter or email ${number}. See them with: outgoing ${record.reference}.`, "item");
    return item;
  }

  private async partnerOf(item: OutgoingItem): Promise<PartnerRecord | undefined> {
    if (item.recipient.partnerId === null) return undefined;
    return (await this.deps.partners.list()).find((partner) => partner.id === item.recipient.partnerId);
  }
}

const BLANK: Omit<OutgoingItem, "id" | "caseId" | "number" | "templateKey" | "form" | "templateVersion" | "recipient" | "subject" | "text" | "status" | "draftedBy" | "draftedAt"> = {
  approvedBy: null,
  approvedAt: null,
  approvedSha256: null,
  sentBackBy: null,
  sentBackAt: null,
  sendBackComment: null,
  sendingSince: null,
  messageId: null,
  sentBy: null,
  sentAt: null,
  sha256: null,
  failure: null,
  failedAt: null,
  postedBy: null,
  postedAt: null,
  bouncedAt: null,
  bounceReason: null,
  bounceIntakeId: null,
};

/** A sensitive case's email to its constituent goes only to the address typed again, which must be the one recorded. */
function assertAddressConfirmed(record: CaseRecord, recipient: OutgoingItem["recipient"], typed: string | undefined, command: string): void {
  if (!typed) {
    throw new DomainError("invalid_input", `${record.reference} is sensitive: confirm where it goes by typing the address: ${command} --confirm-address <address>.`, "confirmAddress");
  }
  if (!sameAddress(typed, recipient.email!)) {
    throw new DomainError("invalid_input", `That is not the email address recorded for ${recipient.name} on ${record.reference}; nothing was sent. Check the address with the case.`, "confirmAddress");
  }
}

/** Words a person wrote: line ends made plain, trimmed, and refused when there are none or too many. */
function written(raw: string, field: string): string {
  const text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").trim();
  if (!text) throw new DomainError("invalid_input", "There are no words. Write the letter or email as it should go.", field);
  if (text.length > 20_000) throw new DomainError("invalid_input", "A letter is at most 20000 characters.", field);
  return text;
}

/** An email's subject as a person wrote it (the reference goes in front as it is sent). */
function writtenSubject(raw: string): string {
  const subject = raw.replace(/\s+/g, " ").trim();
  if (!subject) throw new DomainError("invalid_input", "An email needs a subject.", "subject");
  if (subject.length > 200) throw new DomainError("invalid_input", "A subject is at most 200 characters.", "subject");
  return subject;
}

/** `postbag.<random>@<the office's mail domain>`: unique, and Postbag's own, so a reply naming it finds the case. */
function newMessageId(from: string): string {
  const domain = from.split("@")[1]?.trim() || "postbag.invalid";
  return `postbag.${randomBytes(16).toString("hex")}@${domain}`;
}
