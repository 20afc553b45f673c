import { linkLabel } from "./related-cases.ts";
import { constituentKeys } from "../constituents/constituent-keys.ts";
import type { LocalDate } from "../calendar/local-date.ts";
import { addDays, endOfLondonDay, formatDate, londonDateOf } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { DomainError } from "../errors.ts";
import type { ServiceStandards } from "../settings.ts";
import type { PartnerRecord } from "../partners/partner-store.ts";
import { clockAfterContact, clockDatesOf, COMPLAINANT_UPDATES } from "../clocks/case-clock.ts";
import type { CaseChange, CaseRecord, ReferralRecord } from "./case-record.ts";
import type { NewCaseFile } from "../files/case-files.ts";
import type { DetailsEdit } from "./case.schema.ts";
import type { AckMethod, LinkKind, Outcome, Status, WorkEntryType } from "./vocabulary.ts";
import { OUTCOMES } from "./vocabulary.ts";

/**
 * The case lifecycle (DOMAIN.md) as pure functions: each takes the case as it is
 * and returns the change to write, or refuses with a DomainError.
 *
 *   new ─ack→ acknowledged ─work→ in progress ⇄ awaiting partner ─respond→ responded ─close→ closed ─reopen→ in progress
 */

export interface RuleContext {
  now: Date;
  today: LocalDate;
  calendar: WorkingCalendar;
  standards: ServiceStandards;
}

/**
 * A file attached to the case (a scanned letter, a photo). It is on the timeline with its
 * SHA-256, so the hash chain vouches for the bytes; its name is the entry's text, which
 * erasure clears. It changes no status and is no action on the case (staleness asks for
 * contact with the constituent, not filing).
 */
export function attachFile(record: CaseRecord, file: NewCaseFile): CaseChange {
  assertOpen(record, "attach files to it");
  return {
    patch: {},
    entry: { type: "file_attached", text: file.filename, detail: { sha256: file.sha256, mediaType: file.mediaType, size: file.size, source: file.source } },
    countsAsAction: false,
    file,
  };
}

export function assertOpen(record: CaseRecord, doing: string): void {
  assertNotVoided(record);
  if (record.status === "closed") {
    throw new DomainError(
      "invalid_transition",
      `${record.reference} is closed, so you cannot ${doing}. Reopen it first with: reopen ${record.reference} <reason>.`,
    );
  }
}

/** Erased under the retention policy: what is left is the record that it was there, and nothing is added to it. */
export function assertNotErased(record: Pick<CaseRecord, "reference" | "erasedAt">): void {
  if (record.erasedAt) throw new DomainError("invalid_transition", `${record.reference} was erased under the retention policy, so nothing more is recorded on it.`);
}

function assertNotVoided(record: CaseRecord): void {
  if (record.status === "voided") {
    throw new DomainError("invalid_transition", `${record.reference} was voided (logged in error), so nothing more is done on it.`);
  }
}

/** Deadlines of a newly received item, counted from its true date of receipt. */
export function deadlinesForReceipt(receivedOn: LocalDate, ctx: Pick<RuleContext, "calendar" | "standards">) {
  return {
    acknowledgeBy: ctx.calendar.addWorkingDays(receivedOn, ctx.standards.acknowledgeWorkingDays),
    respondBy: ctx.calendar.addWorkingDays(receivedOn, ctx.standards.respondWorkingDays),
  };
}

export function acknowledge(record: CaseRecord, method: AckMethod | undefined, ctx: RuleContext): CaseChange {
  assertOpen(record, "acknowledge it");
  if (record.acknowledgedAt) {
    throw new DomainError("invalid_transition", `${record.reference} was already acknowledged.`);
  }
  return {
    patch: { status: "acknowledged", acknowledgedAt: ctx.now },
    entry: { type: "acknowledged", text: method ? `Acknowledged by ${method}` : "Acknowledged", detail: { method: method ?? null } },
    countsAsAction: true,
  };
}

export function assign(record: CaseRecord, assignee: { id: number; name: string }): CaseChange {
  assertOpen(record, "assign it");
  return {
    patch: { assigneeId: assignee.id },
    entry: {
      type: "assigned",
      text: record.assignee ? `Reassigned from ${record.assignee.name} to ${assignee.name}` : `Assigned to ${assignee.name}`,
      detail: { from: record.assignee?.id ?? null, to: assignee.id },
    },
    // Ownership changing hands is not progress for the constituent.
    countsAsAction: false,
  };
}

/** Where work moves a case: first work after acknowledgement starts progress; other states hold. */
export function statusAfterWork(status: Status): Status {
  return status === "acknowledged" ? "in_progress" : status;
}

export function recordWork(record: CaseRecord, type: WorkEntryType, text: string, ctx: Pick<RuleContext, "now" | "today">): CaseChange {
  assertOpen(record, "add to its timeline");
  // Contact with a complainant about the Chief Constable is their update: their clock counts the next from it.
  const update = (COMPLAINANT_UPDATES as readonly string[]).includes(type) ? clockAfterContact(record, ctx.today) : {};
  return {
    patch: { status: statusAfterWork(record.status), ...(type === "holding_reply" ? { lastHoldingReplyAt: ctx.now } : {}), ...update },
    entry: { type, text, detail: {} },
    countsAsAction: true,
  };
}

/**
 * A referral to a partner of the directory. The reply is expected within the working days
 * given, else the partner's usual time, else the office default.
 */
export function referToPartner(
  record: CaseRecord,
  partner: Pick<PartnerRecord, "id" | "name" | "replyDays">,
  workingDays: number | undefined,
  note: string | undefined,
  ctx: RuleContext,
): CaseChange {
  assertOpen(record, "refer it");
  const days = workingDays ?? partner.replyDays ?? ctx.standards.partnerReplyWorkingDays;
  const expectedBy = ctx.calendar.addWorkingDays(ctx.today, days);
  const name = partner.name;
  if (outstandingReferrals(record).some((referral) => sameName(referral.partner, name))) {
    throw new DomainError(
      "invalid_transition",
      `${record.reference} is already awaiting a reply from ${name}. Chase it instead: chase ${record.reference}.`,
    );
  }
  return {
    // A new item still needs its acknowledgement, which stays the visible next step.
    patch: { status: record.status === "new" ? "new" : "awaiting_partner" },
    entry: {
      type: "partner_referral",
      text: note ? `Referred to ${name}: ${note}` : `Referred to ${name}`,
      detail: { partner: name, partnerId: partner.id, expectedBy, workingDays: days },
    },
    countsAsAction: true,
    referral: { kind: "create", partnerId: partner.id, expectedBy },
  };
}

export function recordPartnerReply(record: CaseRecord, partner: string | undefined, text: string): CaseChange {
  assertOpen(record, "record a partner reply");
  const referral = pickOutstandingReferral(record, partner, "record a reply");
  const othersOutstanding = outstandingReferrals(record).length > 1;
  return {
    patch: {
      status: record.status === "awaiting_partner" && !othersOutstanding ? "in_progress" : record.status,
    },
    entry: { type: "partner_reply", text: `${referral.partner} replied: ${text}`, detail: { partner: referral.partner, referralId: referral.id } },
    countsAsAction: true,
    referral: { kind: "reply", referralId: referral.id },
  };
}

export function chasePartner(record: CaseRecord, partner: string | undefined, note: string | undefined): CaseChange {
  assertOpen(record, "chase a partner");
  const referral = pickOutstandingReferral(record, partner, "chase");
  return {
    patch: {},
    entry: {
      type: "partner_chase",
      text: note ? `Chased ${referral.partner}: ${note}` : `Chased ${referral.partner}`,
      detail: { partner: referral.partner, referralId: referral.id, chase: referral.chaseCount + 1 },
    },
    countsAsAction: true,
    referral: { kind: "chase", referralId: referral.id },
  };
}

export function respond(record: CaseRecord, text: string, ctx: RuleContext): CaseChange {
  assertOpen(record, "respond to it");
  if (record.status === "responded") {
    throw new DomainError(
      "invalid_transition",
      `${record.reference} already has a full response. Add a note, or close it: close ${record.reference} responded.`,
    );
  }
  return {
    // A full response inside the acknowledgement window acknowledges too.
    patch: { status: "responded", respondedAt: ctx.now, acknowledgedAt: record.acknowledgedAt ?? ctx.now },
    entry: { type: "responded", text, detail: {} },
    countsAsAction: true,
  };
}

export function close(record: CaseRecord, outcome: Outcome, note: string | undefined, ctx: RuleContext, original?: LinkTarget): CaseChange {
  assertNotVoided(record);
  if (record.status === "closed") {
    throw new DomainError("invalid_transition", `${record.reference} is already closed.`);
  }
  if (outcome === "duplicate") {
    if (!original) throw new DomainError("invalid_input", `Say which case ${record.reference} duplicates: close ${record.reference} duplicate --of <its reference>.`, "duplicateOf");
    const link = original.linkedAlready ? undefined : linkCases(record, original, "duplicate_of").link;
    return {
      patch: { status: "closed", closedAt: ctx.now, outcome },
      entry: { type: "closed", text: `Closed (duplicate of ${original.reference})${note ? `: ${note}` : ""}`, detail: { outcome, duplicateOf: original.reference } },
      countsAsAction: true,
      link,
    };
  }
  if (outcome === "responded" && record.status !== "responded") {
    const others = OUTCOMES.filter((value) => value !== "responded").join(", ");
    throw new DomainError(
      "invalid_transition",
      `${record.reference} has no full response yet. Record it with: respond ${record.reference} <text>, or close with another outcome (${others}).`,
    );
  }
  return {
    patch: { status: "closed", closedAt: ctx.now, outcome },
    entry: { type: "closed", text: note ? `Closed (${outcome}): ${note}` : `Closed (${outcome})`, detail: { outcome } },
    countsAsAction: true,
  };
}

/** Reopening starts a new cycle with its own response deadline; the old cycle's history stays. */
export function reopen(record: CaseRecord, reason: string, ctx: RuleContext): CaseChange {
  assertNotVoided(record);
  if (record.status !== "closed") {
    throw new DomainError("invalid_transition", `${record.reference} is not closed (it is ${record.status.replace("_", " ")}), so there is nothing to reopen.`);
  }
  const cycle = record.cycle + 1;
  const respondBy = ctx.calendar.addWorkingDays(ctx.today, ctx.standards.respondWorkingDays);
  return {
    patch: {
      status: "in_progress",
      cycle,
      cycleStartedOn: ctx.today,
      respondBy,
      // A new cycle runs on the office's standard: a clock stopped in the last one waits for nothing now.
      clockStopped: false,
      respondedAt: null,
      closedAt: null,
      outcome: null,
    },
    entry: { type: "reopened", text: reason, detail: { cycle, respondBy, respondByText: formatDate(respondBy) } },
    countsAsAction: true,
  };
}

/** Marks a case stale once per quiet spell; it does not count as action, so it stays stale until someone acts. */
export function flagStale(record: CaseRecord, ctx: RuleContext): CaseChange {
  if (record.staleFlaggedAt && record.staleFlaggedAt >= record.lastActionAt) {
    throw new DomainError("invalid_transition", `${record.reference} is already flagged stale.`);
  }
  const days = ctx.standards.staleAfterWorkingDays;
  return {
    patch: { staleFlaggedAt: ctx.now },
    entry: { type: "flagged_stale", text: `No action for ${days} working days: the constituent needs at least an update.`, detail: { lastActionAt: record.lastActionAt.toISOString() } },
    countsAsAction: false,
  };
}

/** The statuses in which the constituent still awaits a full response (stores filter on them too). */
export const AWAITING_RESPONSE: readonly Status[] = ["new", "acknowledged", "in_progress", "awaiting_partner"];

/** Whether the constituent still awaits a full response in the current cycle. */
export function isAwaitingResponse(status: Status): boolean {
  return AWAITING_RESPONSE.includes(status);
}

/** Stale: awaiting a response with no action for the configured working days. */
export function isStale(record: CaseRecord, ctx: Pick<RuleContext, "today" | "calendar" | "standards">): boolean {
  if (!isAwaitingResponse(record.status)) return false;
  const lastAction = londonDateOf(record.lastActionAt);
  return ctx.calendar.addWorkingDays(lastAction, ctx.standards.staleAfterWorkingDays) < ctx.today;
}

/**
 * The instant before which a case's last action makes it stale on `today` (isStale as a
 * bound a query can use): the start of the day after the last day whose N-th working day
 * has already passed.
 */
export function staleCutoff(ctx: Pick<RuleContext, "today" | "calendar" | "standards">): Date {
  let day = addDays(ctx.today, -1);
  while (ctx.calendar.addWorkingDays(day, ctx.standards.staleAfterWorkingDays) >= ctx.today) day = addDays(day, -1);
  return new Date(endOfLondonDay(day).getTime() + 1);
}

/**
 * The holding-reply rule. While a case awaits a partner, the constituent is owed a holding
 * reply once the response deadline has passed, and again every `holdingReplyWorkingDays`
 * after the last one sent: the next is due by the later of the response deadline and that
 * many working days after the last holding reply. Null when none is owed (no response
 * awaited, or no referral outstanding).
 */
export function holdingReplyDueBy(record: CaseRecord, ctx: Pick<RuleContext, "calendar" | "standards">): LocalDate | null {
  if (!isAwaitingResponse(record.status) || outstandingReferrals(record).length === 0) return null;
  if (!record.lastHoldingReplyAt) return record.respondBy;
  const next = ctx.calendar.addWorkingDays(londonDateOf(record.lastHoldingReplyAt), ctx.standards.holdingReplyWorkingDays);
  return next > record.respondBy ? next : record.respondBy;
}

export function isHoldingReplyDue(record: CaseRecord, ctx: Pick<RuleContext, "today" | "calendar" | "standards">): boolean {
  const dueBy = holdingReplyDueBy(record, ctx);
  return dueBy !== null && ctx.today > dueBy;
}

export function outstandingReferrals(record: CaseRecord): ReferralRecord[] {
  return record.referrals.filter((referral) => !referral.repliedAt);
}

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, "en", { sensitivity: "base" }) === 0;
}

function pickOutstandingReferral(record: CaseRecord, partner: string | undefined, doing: string): ReferralRecord {
  const outstanding = outstandingReferrals(record);
  if (outstanding.length === 0) {
    throw new DomainError(
      "invalid_transition",
      `${record.reference} has no referral awaiting a reply. Refer it first: refer ${record.reference} <partner>.`,
    );
  }
  if (partner) {
    const match = outstanding.find((referral) => sameName(referral.partner, partner));
    if (!match) {
      const names = outstanding.map((referral) => referral.partner).join(", ");
      throw new DomainError("invalid_input", `${record.reference} is not awaiting ${partner}; it is awaiting ${names}.`, "partner");
    }
    return match;
  }
  if (outstanding.length > 1) {
    const names = outstanding.map((referral) => referral.partner).join(", ");
    throw new DomainError("invalid_input", `${record.reference} is awaiting several partners (${names}): say which one to ${doing}.`, "partner");
  }
  return outstanding[0]!;
}

/* ── Corrections: each puts the record right with an entry that keeps what it said before. ── */

/** The instant a step recorded late is taken to have happened: midday London time that day (now, if today). */
export function happenedAt(record: CaseRecord, on: LocalDate | undefined, ctx: RuleContext): RuleContext {
  if (on === undefined || on === ctx.today) return ctx;
  if (on > ctx.today) throw new DomainError("invalid_input", "When it happened cannot be in the future.", "happenedOn");
  const started = record.cycle > 1 ? record.cycleStartedOn : record.receivedOn;
  if (on < started) {
    const what = record.cycle > 1 ? `this cycle began (${formatDate(started)})` : `the case was received (${formatDate(started)})`;
    throw new DomainError("invalid_input", `When it happened cannot be before ${what}.`, "happenedOn");
  }
  return { ...ctx, now: middayLondon(on), today: on };
}

function middayLondon(day: LocalDate): Date {
  const start = new Date(endOfLondonDay(addDays(day, -1)).getTime() + 1);
  return new Date(start.getTime() + 12 * 60 * 60 * 1000);
}

const DETAIL_LABELS: Record<keyof DetailsEdit, string> = {
  name: "constituent name",
  email: "email",
  phone: "phone",
  address: "address",
  subject: "subject",
  summary: "summary",
  kind: "kind",
  channel: "channel",
  themes: "themes",
};

/** Details that classify the case rather than describe a person: safe to keep in an entry's detail. */
const CLASSIFICATION: readonly (keyof DetailsEdit)[] = ["kind", "channel", "themes"];

function currentDetail(record: CaseRecord, field: keyof DetailsEdit): string | string[] | null {
  switch (field) {
    case "name":
    case "email":
    case "phone":
    case "address":
      return record.constituent[field];
    case "themes":
      return record.themes;
    default:
      return record[field];
  }
}

function shown(value: string | string[] | null): string {
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) return "(none)";
  return `“${Array.isArray(value) ? value.join(", ") : value}”`;
}

/** Edits what was logged (constituent, subject, summary, kind, channel, themes); the entry keeps the old values. */
export function editDetails(record: CaseRecord, edit: DetailsEdit): CaseChange {
  assertNotVoided(record);
  const changes: Record<string, { from: string | string[] | null; to: string | string[] | null }> = {};
  for (const field of Object.keys(DETAIL_LABELS) as (keyof DetailsEdit)[]) {
    const raw = edit[field];
    if (raw === undefined) continue;
    const to = field === "themes" ? [...new Set(raw as string[])] : ((raw as string | null) ?? (field === "summary" ? "" : null));
    const from = currentDetail(record, field);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  const fields = Object.keys(changes) as (keyof DetailsEdit)[];
  if (fields.length === 0) throw new DomainError("invalid_input", `Nothing to change: ${record.reference} already says that.`);
  const value = <T>(field: keyof DetailsEdit) => (changes[field] ? (changes[field].to as T) : undefined);
  const constituent = fields.some((field) => ["name", "email", "phone", "address"].includes(field))
    ? {
        name: (value<string>("name") ?? record.constituent.name),
        email: "email" in changes ? value<string | null>("email") ?? null : record.constituent.email,
        phone: "phone" in changes ? value<string | null>("phone") ?? null : record.constituent.phone,
        address: "address" in changes ? value<string | null>("address") ?? null : record.constituent.address,
      }
    : undefined;
  const corrected = constituent && { ...constituent, keys: constituentKeys(constituent) };
  return {
    patch: {
      subject: value("subject"),
      summary: value("summary"),
      kind: value("kind"),
      channel: value("channel"),
      themes: value("themes"),
      constituent: corrected,
    },
    entry: {
      type: "details_corrected",
      text: `Corrected ${fields.map((field) => `${DETAIL_LABELS[field]} ${shown(changes[field]!.from)} → ${shown(changes[field]!.to)}`).join("; ")}`,
      // Old and new values are in the text, which an erasure clears; the detail (kept) holds no personal data.
      detail: { fields, changes: Object.fromEntries(fields.filter((field) => CLASSIFICATION.includes(field)).map((field) => [field, changes[field]])) },
    },
    countsAsAction: false,
  };
}

/** Corrects the date of receipt: the deadlines are worked out again from the new date. */
export function correctReceipt(record: CaseRecord, receivedOn: LocalDate, reason: string, ctx: RuleContext): CaseChange {
  assertNotVoided(record);
  if (receivedOn === record.receivedOn) throw new DomainError("invalid_input", `${record.reference} already says it was received on ${formatDate(receivedOn)}.`, "receivedOn");
  if (receivedOn > ctx.today) throw new DomainError("invalid_input", "Date received cannot be in the future.", "receivedOn");
  const logged = londonDateOf(record.loggedAt);
  if (receivedOn > logged) throw new DomainError("invalid_input", `It was logged on ${formatDate(logged)}, so it cannot have been received later.`, "receivedOn");
  const acknowledged = record.acknowledgedAt ? londonDateOf(record.acknowledgedAt) : null;
  if (acknowledged && receivedOn > acknowledged) {
    throw new DomainError("invalid_input", `It was acknowledged on ${formatDate(acknowledged)}, so it cannot have been received later.`, "receivedOn");
  }
  // A statutory clock counts from the corrected day too (its rules may refuse it: an event dated before it).
  const standard = deadlinesForReceipt(receivedOn, ctx);
  // A clock without an acknowledgement step (all but a review) keeps the office's, counted from the corrected day.
  const clocked = clockDatesOf({ ...record, receivedOn, acknowledgeBy: standard.acknowledgeBy }, ctx);
  const deadlines = clocked ?? standard;
  const firstCycle = record.cycle === 1;
  const respondBy = firstCycle ? deadlines.respondBy : record.respondBy;
  return {
    patch: { receivedOn, acknowledgeBy: deadlines.acknowledgeBy, ...(firstCycle ? { respondBy, cycleStartedOn: receivedOn } : {}), ...(clocked ? { clockStopped: clocked.clockStopped } : {}) },
    entry: {
      type: "receipt_corrected",
      text: `Received ${formatDate(record.receivedOn)} → ${formatDate(receivedOn)}, reason: ${reason}`,
      detail: {
        from: record.receivedOn,
        to: receivedOn,
        acknowledgeBy: { from: record.acknowledgeBy, to: deadlines.acknowledgeBy },
        respondBy: { from: record.respondBy, to: respondBy },
      },
    },
    countsAsAction: false,
  };
}

/** Turns the sensitive marker on (redacting the case from now on) or off (with a reason). */
export function setSensitive(record: CaseRecord, sensitive: boolean, reason: string | undefined): CaseChange {
  if (record.sensitive === sensitive) {
    throw new DomainError("invalid_input", `${record.reference} is ${sensitive ? "already" : "not"} marked sensitive.`, "sensitive");
  }
  if (!sensitive && !reason) throw new DomainError("invalid_input", "Say why the sensitive marker comes off.", "reason");
  return {
    patch: { sensitive },
    entry: {
      type: sensitive ? "marked_sensitive" : "unmarked_sensitive",
      text: sensitive ? (reason ? `Marked sensitive, reason: ${reason}` : "Marked sensitive") : `Sensitive marker removed, reason: ${reason}`,
      detail: { from: record.sensitive, to: sensitive },
    },
    countsAsAction: false,
  };
}

/**
 * Voids a case logged in error: it leaves every list, digest and deadline, keeps its
 * reference (never reused), and reports count it as voided.
 */
export function voidCase(record: CaseRecord, reason: string): CaseChange {
  assertNotVoided(record);
  return {
    patch: { status: "voided" },
    entry: { type: "voided", text: `Voided, reason: ${reason}`, detail: { from: record.status } },
    countsAsAction: false,
  };
}

/** Another case named by an action (to link to, or the original of a duplicate), looked up beforehand. */
export interface LinkTarget {
  id: number;
  reference: string;
  /** Whether the two are linked already, either way round. */
  linkedAlready: boolean;
}

/** Links two cases that belong together; the link reads from both ends. Not progress on the case. */
export function linkCases(record: CaseRecord, other: LinkTarget, kind: LinkKind): CaseChange {
  if (other.id === record.id) throw new DomainError("invalid_input", "A case cannot be linked to itself.", "other");
  if (other.linkedAlready) throw new DomainError("invalid_transition", `${record.reference} and ${other.reference} are linked already.`);
  return {
    patch: {},
    entry: { type: "linked", text: `${linkLabel(kind, true)} ${other.reference}`, detail: { other: other.reference, kind } },
    countsAsAction: false,
    link: { linkedCaseId: other.id, kind },
  };
}
