import { DomainError } from "../errors.ts";
import type { CaseRecord } from "../cases/case-record.ts";
import type { CaseView } from "../cases/case-view.ts";
import type { FormField, FormPreview, FormStart, OfferContext } from "../cases/case-actions.ts";
import { assertOpen, outstandingReferrals } from "../cases/lifecycle.ts";
import { AFTER_CLOSING_TEMPLATES } from "./templates.ts";
import { FINISHED } from "../cases/vocabulary.ts";
import { canWork } from "../staff/roles.ts";
import { templateLabel, type OutgoingItem, type OutgoingOnCase } from "./outgoing.ts";

/**
 * What the letter and email actions of the table of case actions (case-actions.ts) offer and ask
 * for on a card: which drafts apply to a case, and what their forms show of what will go out.
 * Pure; the entries themselves stay in the table.
 */

/**
 * Letters and emails are written and sent from a person's own screen, by whoever may work the
 * case in full, while it is open; once it is closed, only those asked then (the satisfaction
 * question: writableFrom says which each control may offer).
 */
export function lettersOnOwnScreen({ record, actor, audience, fullAccess }: OfferContext): boolean {
  return audience === "private" && record.status !== "voided" && canWork(actor) && fullAccess;
}

/** Whether a letter or email from this template may be written, changed or sent on the case as it stands. */
export function writableFrom(record: Pick<CaseRecord, "status">, template: string): boolean {
  // The satisfaction question says the case is closed: it goes only then; every other letter only while the case is open.
  return AFTER_CLOSING_TEMPLATES.includes(template) ? record.status === "closed" : !FINISHED.includes(record.status);
}

/** The case's letters and emails a card may offer steps on as the case stands (after closing: the satisfaction question's). */
export function writableItems({ record, items = [] }: Pick<OfferContext, "record" | "items">): OutgoingOnCase[] {
  return items.filter((item) => writableFrom(record, item.templateKey));
}

/** Refuses a letter or email the case cannot take as it stands: a closed case takes only the satisfaction question. */
export function assertWritable(record: CaseRecord, template: string, doing: string): void {
  if (writableFrom(record, template)) return;
  if (AFTER_CLOSING_TEMPLATES.includes(template) && record.status !== "voided") {
    throw new DomainError("invalid_transition", `The ${template} question is asked once ${record.reference} is closed: close it first.`);
  }
  assertOpen(record, doing);
}

/**
 * Refuses changed words on a letter written after closing: the satisfaction question goes in the
 * office's own words, so a closed case carries nothing else under its name.
 */
export function assertOwnWords(record: Pick<CaseRecord, "reference">, template: string, changed: boolean): void {
  if (changed && AFTER_CLOSING_TEMPLATES.includes(template)) {
    throw new DomainError("invalid_input", `The ${template} question goes on ${record.reference} in the office's own words, as its template has them: a manager changes the template instead.`, "text");
  }
}

/**
 * The drafts a card offers, by template: each where it applies to the case as it stands. Those
 * with `send` are also offered to send at once, in one form (`send_new`), where they need no
 * sign-off and the case has an email address: the office's set words, acknowledging or holding.
 * A response or a request for information is the caseworker's own words, and a referral goes to
 * a partner chosen in its form: those are drafted, read on the card, then sent.
 */
export const DRAFTS: { template: string; label: string; title: string; applies: (record: CaseRecord) => boolean; send?: { label: string; title: string } }[] = [
  {
    template: "acknowledgement",
    label: "Draft acknowledgement",
    title: "Draft acknowledgement",
    applies: (record) => !record.acknowledgedAt,
    send: { label: "Send acknowledgement…", title: "Send acknowledgement" },
  },
  {
    template: "holding",
    label: "Draft holding reply",
    title: "Draft holding reply",
    applies: (record) => outstandingReferrals(record).length > 0,
    send: { label: "Send holding reply…", title: "Send holding reply" },
  },
  { template: "response", label: "Draft response", title: "Draft response", applies: (record) => record.status !== "responded" },
  { template: "referral", label: "Draft referral", title: "Draft referral", applies: () => true },
  { template: "more-information", label: "Ask for more information", title: "Ask for more info", applies: () => true },
  // Asked once the case is closed (the optional satisfaction question); the reply is recorded with Satisfaction reply….
  {
    template: "satisfaction",
    label: "Draft the satisfaction question",
    title: "Satisfaction question",
    applies: (record) => record.status === "closed",
    send: { label: "Ask how satisfied they are…", title: "Ask how satisfied they are" },
  },
];

/** The drafts that apply to the case as it stands, and that it can take (writableFrom). */
export function draftsFor(record: CaseRecord): typeof DRAFTS {
  return DRAFTS.filter((draft) => draft.applies(record) && writableFrom(record, draft.template));
}

/**
 * How much of an open letter's or email's words every card shows in full, on Slack and on Teams
 * (Teams' size limit is the tighter). Words that fit are read on the card, so Approve there acts
 * at once; longer words open a form that shows them whole, so nobody signs off what they have
 * not been shown.
 */
export const WORDS_EVERY_CARD_SHOWS = 1_000;

/** An item's words as a card shows them: the subject as it goes, then the words exactly. */
export function wordsAsShown(item: Pick<OutgoingItem, "subject" | "text">): string {
  return item.subject !== null ? `Subject: ${item.subject}\n\n${item.text}` : item.text;
}

/** Whether every card shows the item's words whole. */
export function wordsFitOnCard(item: Pick<OutgoingItem, "subject" | "text">): boolean {
  return wordsAsShown(item).length <= WORDS_EVERY_CARD_SHOWS;
}

/** The words of a letter or email, as a form asks for them. */
export function WORDS(initial: FormField["initial"], asked?: FormField["asked"]): FormField {
  return { name: "text", label: "The words", kind: "long_text", required: true, max: 20_000, hint: "Exactly these words go: the card shows them again beside Send.", initial, ...(asked ? { asked } : {}) };
}

/** Whether the form's template goes in the office's own words only (assertOwnWords): its words are shown, not asked. */
export const ownWordsOnly = (start: FormStart) => typeof start.value === "string" && AFTER_CLOSING_TEMPLATES.includes(start.value);

/** The words shown, not asked, on a form for a template that goes in the office's own words. */
const ownWords = (start: FormStart): FormPreview[] => (start.proposal && ownWordsOnly(start) ? [{ label: "The words (the office's own, as its template has them)", text: start.proposal.text }] : []);

/** The letter or email a form's control named, as the card shows it. */
export function itemOf(view: CaseView, start: FormStart): OutgoingOnCase | undefined {
  return view.outgoing?.find((item) => item.number === Number(start.value));
}

/** Where an item goes, in words: a name and an email address, or a name and a postal address. */
function destination(recipient: OutgoingItem["recipient"], form: OutgoingItem["form"], address: boolean): string {
  if (!address) return recipient.name;
  return form === "email" ? `${recipient.name} <${recipient.email ?? "no address"}>` : `${recipient.name}, ${(recipient.address ?? "").replace(/\n/g, ", ")}`;
}

/** What a draft form shows above its inputs: where it goes, the subject as it goes, whether it needs signing off. */
export function draftPreview(view: CaseView, { value, proposal }: FormStart): FormPreview[] {
  if (!proposal) {
    const template = typeof value === "string" ? templateLabel(value) : "The letter";
    return [{ label: "To", text: `${template} goes to the partner you choose, at its contact in the partner directory. Its words are merged from the template when you save; change them on the card before you send it.` }];
  }
  const how = proposal.form === "email" ? "by email" : "by letter: made as a PDF when you send it, to print and post";
  return [
    { label: "To", text: `${destination(proposal.recipient, proposal.form, true)} (${how})` },
    ...(proposal.sentSubject !== null ? [{ label: "Subject, as it goes", text: proposal.sentSubject }] : []),
    ...(proposal.form === "letter" ? [{ label: "Printed", text: `On the office's letterhead, with the address above, the date it is made and the reference ${view.reference}, then the words below.` }] : []),
    ...(proposal.needsSignOff ? [{ label: "Sign-off", text: "A manager approves it before it can go: saving asks them." }] : []),
    ...ownWords({ value, proposal }),
  ];
}

/**
 * What a form that sends a new letter or email at once shows above its words: where it goes (a
 * sensitive case's address by name alone: it is typed again below), the subject as it goes, and
 * that pressing Send sends it.
 */
export function sendNowPreview(view: CaseView, start: FormStart): FormPreview[] {
  const { proposal } = start;
  if (!proposal) return draftPreview(view, start);
  const confirmed = view.sensitive && proposal.form === "email" && proposal.recipient.kind === "constituent";
  const to = confirmed ? `${proposal.recipient.name} (by email: the case is sensitive, so type their address below)` : `${destination(proposal.recipient, proposal.form, true)} (${proposal.form === "email" ? "by email" : "by letter"})`;
  const goes =
    proposal.form === "email"
      ? `It goes when you press Send, exactly as below${ownWordsOnly(start) ? "" : " (change the words first if they need it)"}, and the case records it. To save it without sending, use Draft instead.`
      : "Send makes it as a PDF, to print and post; record it as posted on the card.";
  return [
    { label: "To", text: to },
    ...(proposal.sentSubject !== null ? [{ label: "Subject, as it goes", text: proposal.sentSubject }] : []),
    { label: "Sending", text: goes },
    ...ownWords(start),
  ];
}

/** What a form about one item shows: which it is, where it goes, and (to send it) its words exactly. */
export function itemPreview(view: CaseView, start: FormStart, options: { address: boolean; words?: boolean }): FormPreview[] {
  const item = itemOf(view, start);
  if (!item) return [];
  return [
    { label: `Item ${item.number}`, text: `${templateLabel(item.templateKey)} ${item.form} to ${destination(item.recipient, item.form, options.address)}` },
    ...(item.subject !== null ? [{ label: "Subject", text: item.subject }] : []),
    ...(options.words ? [{ label: "The words", text: item.text }] : []),
  ];
}
