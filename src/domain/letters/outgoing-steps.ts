import { DomainError } from "../errors.ts";
import { formatDate, londonDateOf } from "../calendar/local-date.ts";
import { clockAfterContact, COMPLAINANT_UPDATES } from "../clocks/case-clock.ts";
import type { CaseChange, CasePatch, CaseRecord, ReferralChange, TimelineEntryRecord } from "../cases/case-record.ts";
import { outstandingReferrals, statusAfterWork, type RuleContext } from "../cases/lifecycle.ts";
import { assertWritable } from "./letter-controls.ts";
import type { EntryType } from "../cases/vocabulary.ts";
import { actsForOffice, type Actor } from "../staff/roles.ts";
import type { PartnerRecord } from "../partners/partner-store.ts";
import { OPEN_ITEM, isApproved, itemWords, statusWords, templateLabel, wordsHash, type OutgoingItem, type PreparedOutgoing } from "./outgoing.ts";

/**
 * What each step of a letter or email does to its case: pure functions from the case and the
 * prepared item to the change to write (the item's row with the timeline entry, in one
 * transaction). Sending records the case's step — acknowledged, holding reply, responded,
 * referred — only once the email has gone or the letter has been posted.
 */

const who = (item: OutgoingItem) => `${templateLabel(item.templateKey)} ${item.form} to ${item.recipient.name}`;

export function assertItemOpen(record: CaseRecord, item: OutgoingItem, doing: string): void {
  if (OPEN_ITEM.includes(item.status)) return;
  const sent = item.status === "sent" && item.form === "letter" ? ` Record its posting with: posted ${record.reference} ${item.number}.` : "";
  throw new DomainError("invalid_transition", `Item ${item.number} of ${record.reference} is ${statusWords(item)}, so you cannot ${doing}.${sent}`);
}

/**
 * A new item: drafted from the current version of its template (`edited`: its words changed
 * from the template's before it was saved). Not contact with the constituent yet.
 */
export function draftItem(record: CaseRecord, item: OutgoingItem, edited = false): CaseChange {
  assertWritable(record, item.templateKey, "write from it");
  const { id: _id, caseId: _caseId, ...fields } = item;
  const changed = edited ? " (words changed from the template)" : "";
  const signOff = item.status === "awaiting_approval" ? "; it needs a manager's sign-off" : "";
  const by = actsForOffice(item.draftedBy) ? `, by ${item.draftedBy.name}` : "";
  return {
    patch: {},
    entry: {
      type: "outgoing_drafted",
      text: `Item ${item.number} drafted: ${who(item)}${changed}${signOff}${by}`,
      detail: { item: item.number, template: item.templateKey, form: item.form, version: item.templateVersion, textSha256: wordsHash(item), ...(edited ? { edited: true } : {}) },
    },
    countsAsAction: false,
    outgoing: { kind: "create", item: fields },
  };
}

/** New words for an item not yet sent: any approval lapses with the words it approved. */
export function redraftItem(record: CaseRecord, before: OutgoingItem, after: OutgoingItem): CaseChange {
  assertWritable(record, before.templateKey, "change its letters");
  assertItemOpen(record, before, "change its words");
  if (before.subject === after.subject && before.text === after.text) {
    throw new DomainError("invalid_input", `Item ${before.number} of ${record.reference} already says exactly that; nothing was changed.`);
  }
  return {
    patch: {},
    entry: { type: "outgoing_drafted", text: `Item ${before.number} redrafted: ${who(after)}`, detail: { item: before.number, textSha256: wordsHash(after), redraft: true } },
    countsAsAction: false,
    outgoing: {
      kind: "update",
      id: before.id,
      number: before.number,
      from: OPEN_ITEM,
      patch: { subject: after.subject, text: after.text, status: after.status, draftedBy: after.draftedBy, draftedAt: after.draftedAt, approvedBy: null, approvedAt: null, approvedSha256: null },
    },
  };
}

/** A manager signs the words off: the entry keeps the approver and the hash of the words approved. */
export function approveItem(record: CaseRecord, actor: Actor, item: OutgoingItem, ctx: Pick<RuleContext, "now">): CaseChange {
  assertWritable(record, item.templateKey, "approve its letters");
  assertItemOpen(record, item, "approve it");
  if (isApproved(item)) throw new DomainError("invalid_transition", `Item ${item.number} of ${record.reference} is approved already (by ${item.approvedBy?.name}). Send it with: send ${record.reference} ${item.number}.`);
  if (item.draftedBy.id === actor.id) {
    throw new DomainError("not_permitted", `You wrote the words of item ${item.number}: another manager signs them off.`);
  }
  const sha256 = wordsHash(item);
  return {
    patch: {},
    entry: { type: "outgoing_approved", text: `Item ${item.number} approved: ${who(item)} (words SHA-256 ${sha256})`, detail: { item: item.number, sha256 } },
    countsAsAction: false,
    outgoing: { kind: "update", id: item.id, number: item.number, from: OPEN_ITEM, patch: { status: "approved", approvedBy: { id: actor.id, name: actor.name }, approvedAt: ctx.now, approvedSha256: sha256, sendBackComment: null } },
  };
}

/** A manager sends the words back to be changed, saying why. */
export function sendBackItem(record: CaseRecord, actor: Actor, item: OutgoingItem, comment: string, ctx: Pick<RuleContext, "now">): CaseChange {
  assertWritable(record, item.templateKey, "send its letters back");
  assertItemOpen(record, item, "send it back");
  return {
    patch: {},
    entry: { type: "outgoing_sent_back", text: `Item ${item.number} sent back: ${comment}`, detail: { item: item.number } },
    countsAsAction: false,
    outgoing: {
      kind: "update",
      id: item.id,
      number: item.number,
      from: OPEN_ITEM,
      patch: { status: "draft", sentBackBy: actor.name, sentBackAt: ctx.now, sendBackComment: comment, approvedBy: null, approvedAt: null, approvedSha256: null },
    },
  };
}

interface Step {
  type: EntryType;
  patch: CasePatch;
  detail: Record<string, unknown>;
  referral?: ReferralChange;
}

/**
 * The case's step an item records once it reached its recipient. Decided on the case as it is
 * then, and never refused: the email has gone. A step already taken (acknowledged by phone, a
 * referral recorded by hand) leaves the case as it is and records the letter as sent.
 */
function stepFor(record: CaseRecord, item: OutgoingItem, partner: PartnerRecord | undefined, ctx: RuleContext): Step {
  const step = caseStepFor(record, item, partner, ctx);
  // A letter or email reaching the complainant about the Chief Constable is their update, as one recorded by hand is.
  const update = item.recipient.kind === "constituent" && !["closed", "voided"].includes(record.status) && (COMPLAINANT_UPDATES as readonly string[]).includes(step.type) ? clockAfterContact(record, ctx.today) : {};
  return update.clock ? { ...step, patch: { ...step.patch, ...update }, detail: { ...step.detail, complainantUpdate: true } } : step;
}

function caseStepFor(record: CaseRecord, item: OutgoingItem, partner: PartnerRecord | undefined, ctx: RuleContext): Step {
  const plain: EntryType = item.form === "email" ? "email_out" : "letter_out";
  const worked: CasePatch = { status: statusAfterWork(record.status) };
  switch (item.templateKey) {
    case "acknowledgement":
      if (record.acknowledgedAt) return { type: plain, patch: {}, detail: {} };
      return { type: "acknowledged", patch: { status: record.status === "new" ? "acknowledged" : record.status, acknowledgedAt: ctx.now }, detail: { method: item.form } };
    case "holding":
      return { type: "holding_reply", patch: { ...worked, lastHoldingReplyAt: ctx.now }, detail: {} };
    case "response":
      if (record.status === "responded" || record.status === "closed" || record.status === "voided") return { type: plain, patch: {}, detail: {} };
      return { type: "responded", patch: { status: "responded", respondedAt: ctx.now, acknowledgedAt: record.acknowledgedAt ?? ctx.now }, detail: {} };
  }
  if (item.recipient.kind === "partner" && partner && item.templateKey === "referral") {
    const awaiting = outstandingReferrals(record).some((referral) => referral.partner.localeCompare(partner.name, "en", { sensitivity: "base" }) === 0);
    if (awaiting) return { type: plain, patch: {}, detail: { partner: partner.name } };
    const days = partner.replyDays ?? ctx.standards.partnerReplyWorkingDays;
    const expectedBy = ctx.calendar.addWorkingDays(ctx.today, days);
    return {
      type: "partner_referral",
      patch: { status: record.status === "new" ? "new" : "awaiting_partner" },
      detail: { partner: partner.name, partnerId: partner.id, expectedBy, workingDays: days },
      referral: { kind: "create", partnerId: partner.id, expectedBy },
    };
  }
  return { type: plain, patch: record.status === "closed" || record.status === "voided" ? {} : worked, detail: {} };
}

/** An email the relay accepted: the case's step, and the exact words on the timeline with their hash. */
export function recordEmailSent(record: CaseRecord, actor: Actor, prepared: PreparedOutgoing, ctx: RuleContext): CaseChange {
  const { item, sent } = prepared;
  if (!sent) throw new DomainError("invalid_transition", `Item ${item.number} of ${record.reference} was not sent.`);
  const step = stepFor(record, item, prepared.partner, ctx);
  // Sent by Postbag itself for the office (an automatic acknowledgement): the entry says so, and reports count it.
  const automatic = actsForOffice(actor);
  return {
    patch: step.patch,
    entry: {
      type: step.type,
      text: `${templateLabel(item.templateKey)} sent by email to ${item.recipient.name} (item ${item.number})${automatic ? `, automatically by ${actor.name}` : ""}\n${itemWords(item)}`,
      detail: { ...step.detail, item: item.number, channel: "email", template: item.templateKey, version: item.templateVersion, recipient: item.recipient.kind, messageId: sent.messageId, sha256: sent.sha256, ...(automatic ? { automatic: true } : {}) },
    },
    countsAsAction: true,
    referral: step.referral,
    outgoing: { kind: "update", id: item.id, number: item.number, from: ["sending"], patch: { status: "sent", sentBy: { id: actor.id, name: actor.name }, sentAt: sent.at, sha256: sent.sha256, messageId: sent.messageId, sendingSince: null, failure: null, failedAt: null } },
  };
}

/** A letter made: its PDF stored as a case file, its words and the PDF's hash on the timeline. Posting is the step. */
export function recordLetterMade(record: CaseRecord, actor: Actor, prepared: PreparedOutgoing): CaseChange {
  const { item, sent } = prepared;
  if (!sent?.file) throw new DomainError("invalid_transition", `Item ${item.number} of ${record.reference} was not made.`);
  return {
    patch: {},
    entry: {
      type: "letter_made",
      text: `${templateLabel(item.templateKey)} letter made for ${item.recipient.name} (item ${item.number}; PDF ${sent.file.filename})\n${itemWords(item)}`,
      detail: { item: item.number, channel: "letter", template: item.templateKey, version: item.templateVersion, recipient: item.recipient.kind, sha256: sent.sha256, textSha256: wordsHash(item), size: sent.file.size },
    },
    countsAsAction: false,
    file: sent.file,
    outgoing: { kind: "update", id: item.id, number: item.number, from: OPEN_ITEM, patch: { status: "sent", recipient: item.recipient, sentBy: { id: actor.id, name: actor.name }, sentAt: sent.at, sha256: sent.sha256, failure: null, failedAt: null } },
  };
}

/** A made letter put in the post: the case's step, at the moment it is recorded (one click). */
export function recordPosted(record: CaseRecord, actor: Actor, prepared: PreparedOutgoing, ctx: RuleContext): CaseChange {
  const { item } = prepared;
  assertWritable(record, item.templateKey, "record a letter posted");
  if (item.form !== "letter") throw new DomainError("invalid_input", `Item ${item.number} of ${record.reference} is an email: there is nothing to post.`);
  if (item.status !== "sent") {
    const next = OPEN_ITEM.includes(item.status) ? ` Make it first with: send ${record.reference} ${item.number}.` : "";
    throw new DomainError("invalid_transition", `Item ${item.number} of ${record.reference} is ${statusWords(item)}, so it cannot be recorded as posted.${next}`);
  }
  const step = stepFor(record, item, prepared.partner, ctx);
  return {
    patch: step.patch,
    entry: {
      type: step.type,
      text: `${templateLabel(item.templateKey)} letter posted to ${item.recipient.name} (item ${item.number})`,
      detail: { ...step.detail, item: item.number, channel: "letter", template: item.templateKey, version: item.templateVersion, recipient: item.recipient.kind, sha256: item.sha256 },
    },
    countsAsAction: true,
    referral: step.referral,
    outgoing: { kind: "update", id: item.id, number: item.number, from: ["sent"], patch: { status: "posted", postedBy: actor.name, postedAt: ctx.now } },
  };
}

/** What a delivery report said of an email Postbag sent: why it failed, and the intake message that said so. */
export interface BounceNotice {
  intakeId: number;
  /** The enhanced status code (`5.1.1`), if the report gave one. */
  status: string | null;
  /** The receiving server's words, if any. */
  diagnostic: string | null;
}

/**
 * An email Postbag sent came back undelivered. The item is marked bounced, and the case's step
 * its sending recorded is undone — as a new entry naming the entry it undoes (`undid.seq`) and
 * each value it puts back (`from` → `to`), never by removing one: an acknowledgement's case is
 * due acknowledgement again, a response's is due its response again, a holding reply's is owed
 * one again. A step taken since by other means (acknowledged by phone after the email), or a
 * closed case (never reopened by a bounce), keeps its record; the entry says the email bounced.
 * A referral stays recorded (the partner must be reached another way: the entry says so).
 * `entries` is the case's timeline, to find what the email recorded and any earlier holding reply.
 */
export function recordBounce(record: CaseRecord, item: OutgoingItem, notice: BounceNotice, entries: readonly TimelineEntryRecord[], ctx: Pick<RuleContext, "now" | "today">): CaseChange {
  const label = templateLabel(item.templateKey).toLowerCase();
  const why = notice.diagnostic ?? (notice.status ? `status ${notice.status}` : "the receiving mail server gave no reason");
  const what = `The ${label} email to ${item.recipient.name} <${item.recipient.email}> (item ${item.number}) bounced: ${why}.`;
  if (item.status === "bounced") {
    return { patch: {}, entry: { type: "outgoing_bounced", text: `${what} (Another report of the same bounce.)`, detail: { item: item.number, messageId: item.messageId, status: notice.status, intakeId: notice.intakeId, again: true } }, countsAsAction: false };
  }
  const undone = new Set(entries.filter((entry) => entry.type === "outgoing_bounced").map((entry) => (entry.detail.undid as { seq?: number } | null)?.seq));
  const sent = entries.find((entry) => entry.detail.item === item.number && entry.detail.messageId === item.messageId && entry.detail.channel === "email" && !undone.has(entry.seq));
  const undo = sent && !["closed", "voided"].includes(record.status) ? undoStep(record, sent, entries.filter((entry) => !undone.has(entry.seq))) : null;
  const after = undo ? ` ${undo.says}` : ["closed", "voided"].includes(record.status) ? ` ${record.reference} is ${record.status}, so it stays as it is: reopen it if they must be written to again.` : sent?.type === "partner_referral" ? ` The referral to ${item.recipient.name} stays recorded: reach them another way, or correct their contact in the partner directory and send it again.` : "";
  const fix = item.recipient.kind === "constituent" ? ` Check the address (edit ${record.reference} --email <address>) and send it again, or reach them another way.` : "";
  return {
    patch: undo?.patch ?? {},
    entry: {
      type: "outgoing_bounced",
      text: `${what}${after}${fix}`,
      // What was undone, and each value put back: the entry an auditor follows. No personal data (the text holds the address).
      detail: { item: item.number, messageId: item.messageId, recipient: item.recipient.kind, status: notice.status, intakeId: notice.intakeId, undid: undo ? { seq: sent!.seq, type: sent!.type } : null, ...(undo ? { changes: undo.changes } : {}) },
    },
    countsAsAction: false,
    outgoing: { kind: "update", id: item.id, number: item.number, from: ["sent"], patch: { status: "bounced", bouncedAt: ctx.now, bounceReason: why.slice(0, 1000), bounceIntakeId: notice.intakeId } },
  };
}

/** The step an email recorded, put back as it was before, if it still stands as that email left it; with the complainant's update it counted as. */
function undoStep(record: CaseRecord, sent: TimelineEntryRecord, entries: readonly TimelineEntryRecord[]): { patch: CasePatch; changes: Record<string, { from: unknown; to: unknown }>; says: string } | null {
  const step = undoCaseStep(record, sent, entries);
  const update = sent.detail.complainantUpdate === true ? undoComplainantUpdate(record, londonDateOf(sent.at)) : null;
  if (!update) return step;
  return step
    ? { patch: { ...step.patch, ...update.patch }, changes: { ...step.changes, ...update.changes }, says: `${step.says} ${update.says}` }
    : update;
}

/**
 * The complainant's update a bounced email counted as, taken off their clock: one update dated
 * that day (another contact the same day, if any, still counts, and reads the same).
 */
function undoComplainantUpdate(record: CaseRecord, on: string): { patch: CasePatch; changes: Record<string, { from: unknown; to: unknown }>; says: string } | null {
  const clock = record.clock;
  if (clock?.type !== "chief_constable_complaint") return null;
  const index = clock.events.findLastIndex((event) => event.kind === "updated" && event.on === on);
  if (index < 0) return null;
  return {
    patch: { clock: { ...clock, events: clock.events.filter((_, at) => at !== index) } },
    changes: { complainantUpdate: { from: on, to: null } },
    says: `It did not update the complainant: their update is owed as before.`,
  };
}

function undoCaseStep(record: CaseRecord, sent: TimelineEntryRecord, entries: readonly TimelineEntryRecord[]): { patch: CasePatch; changes: Record<string, { from: unknown; to: unknown }>; says: string } | null {
  const same = (instant: Date | null) => instant !== null && instant.getTime() === sent.at.getTime();
  const iso = (instant: Date | null) => instant?.toISOString() ?? null;
  const ackDue = `${record.reference} is due acknowledgement again, by ${formatDate(record.acknowledgeBy)}.`;
  switch (sent.type) {
    case "acknowledged": {
      if (!same(record.acknowledgedAt)) return null;
      const status = record.status === "acknowledged" ? "new" : record.status;
      return { patch: { acknowledgedAt: null, status }, changes: { acknowledgedAt: { from: iso(record.acknowledgedAt), to: null }, status: { from: record.status, to: status } }, says: ackDue };
    }
    case "responded": {
      if (record.status !== "responded" || !same(record.respondedAt)) return null;
      // A response that also acknowledged the case (none had gone before it) undoes both.
      const acknowledgedToo = same(record.acknowledgedAt);
      const status = acknowledgedToo ? "new" : outstandingReferrals(record).length > 0 ? "awaiting_partner" : "in_progress";
      const changes: Record<string, { from: unknown; to: unknown }> = { respondedAt: { from: iso(record.respondedAt), to: null }, status: { from: record.status, to: status } };
      if (acknowledgedToo) changes.acknowledgedAt = { from: iso(record.acknowledgedAt), to: null };
      const says = `${record.reference} is due its full response again, by ${formatDate(record.respondBy)}.${acknowledgedToo ? ` ${ackDue}` : ""}`;
      return { patch: { respondedAt: null, status, ...(acknowledgedToo ? { acknowledgedAt: null } : {}) }, changes, says };
    }
    case "holding_reply": {
      if (!same(record.lastHoldingReplyAt)) return null;
      const earlier = entries.filter((entry) => entry.type === "holding_reply" && entry.seq < sent.seq).at(-1)?.at ?? null;
      return {
        patch: { lastHoldingReplyAt: earlier },
        changes: { lastHoldingReplyAt: { from: iso(record.lastHoldingReplyAt), to: iso(earlier) } },
        says: `The holding reply did not reach them: one is owed again while ${record.reference} awaits its partner.`,
      };
    }
    default:
      return null;
  }
}
