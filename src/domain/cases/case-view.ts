import { formatDate, formatDateTime, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { RelatedView } from "./related-cases.ts";
import type { CaseFileView } from "../files/case-files.ts";
import type { Actor } from "../staff/roles.ts";
import { cardOffers, type CaseAction, type OfferedVariant } from "./case-actions.ts";
import type { OutgoingOnCase } from "../letters/outgoing.ts";
import type { CaseRecord, CaseTimeline } from "./case-record.ts";
import { isAwaitingResponse, isHoldingReplyDue, isStale, type RuleContext } from "./lifecycle.ts";
import { caseAccess } from "./permissions.ts";
import { ENTRY_LABELS, FINISHED, STATUS_LABELS, type Status } from "./vocabulary.ts";
import { clockCounting, clockView, type ClockView } from "../clocks/case-clock.ts";
import type { CountingUnit } from "../clocks/clock.ts";

/**
 * A case as people see it: deadlines worked out, sensitive details withheld where
 * they must be, and the next sensible actions named. Adapters render this and
 * nothing else, so every platform shows the same facts.
 */

/** Where the view will be shown: a channel anyone can read, or one person's own screen. */
export type Audience = "private" | "shared";

/**
 * Where a deadline stands: done in time (`met`), done after it (`done_late`), still to do
 * (`pending`, `due_today`, `overdue`), or no longer asked for (`not_applicable`: a case
 * closed before the step was done), or waiting on the constituent (`stopped`: a statutory clock
 * stopped while clarification or proof of identity is awaited; its date is not due).
 */
export type DeadlineState = "met" | "done_late" | "pending" | "due_today" | "overdue" | "not_applicable" | "stopped";

/** Which step a deadline is for, so every platform can say "acknowledged", "responded", "replied". */
export type DeadlineStep = "acknowledgement" | "response" | "partner_reply";

export interface DeadlineView {
  step: DeadlineStep;
  due: LocalDate;
  dueText: string;
  state: DeadlineState;
  /** The day the step was done, if it was. */
  doneOn: LocalDate | null;
  doneText: string | null;
  /** Working days past the deadline: when it was done (done_late), or today (overdue); else 0. */
  workingDaysLate: number;
  /** Days past the deadline counted the way its clock counts (`unit`): the office's working days unless a statutory clock says otherwise. */
  daysLate: number;
  unit: CountingUnit;
}

/** A deadline still to meet: pending, due today or overdue. */
export function isOutstanding(deadline: DeadlineView): boolean {
  return deadline.state === "pending" || deadline.state === "due_today" || deadline.state === "overdue";
}

/** The deadline a case is waiting on now: its acknowledgement until done, then its response; null when neither is to meet. */
export function nextDeadline(view: Pick<CaseView, "acknowledgement" | "response">): DeadlineView | null {
  if (isOutstanding(view.acknowledgement)) return view.acknowledgement;
  if (isOutstanding(view.response)) return view.response;
  return null;
}

export interface ReferralView {
  partner: string;
  sentOn: LocalDate;
  sentOnText: string;
  expectedBy: LocalDate;
  expectedByText: string;
  repliedOn: LocalDate | null;
  /** The partner's reply against the expected date, as any other deadline. */
  reply: DeadlineView;
  chaseCount: number;
  overdue: boolean;
}

export interface TimelineEntryView {
  seq: number;
  cycle: number;
  /** When it happened (ISO 8601). */
  at: string;
  /** When it happened, as people read it: `Wed 2 Dec 2026 14:05`. */
  onText: string;
  /** When it was written, if later than it happened (an imported history); null otherwise. */
  recordedAt: string | null;
  recordedText: string | null;
  type: string;
  label: string;
  actor: string | null;
  platform: string;
  /** Empty when the case is shown redacted. */
  text: string;
}

export interface CaseView {
  reference: string;
  status: Status;
  statusLabel: string;
  channel: string;
  kind: string;
  sensitive: boolean;
  /** True when subject, summary, themes and timeline text are withheld (and the constituent, unless `contactForAcknowledgement`). */
  redacted: boolean;
  /** A sensitive case awaiting acknowledgement, shown to an admin: its contact details alone, so they can acknowledge it. */
  contactForAcknowledgement: boolean;
  subject: string | null;
  summary: string | null;
  themes: string[];
  constituent: { name: string; email: string | null; phone: string | null; address: string | null } | null;
  assignee: { id: number; name: string } | null;
  receivedOn: LocalDate;
  receivedOnText: string;
  loggedAt: string;
  cycle: number;
  acknowledgeBy: LocalDate;
  respondBy: LocalDate;
  acknowledgement: DeadlineView;
  response: DeadlineView;
  stale: boolean;
  /** Awaiting a partner past the response deadline: the constituent is owed a holding reply. */
  holdingReplyDue: boolean;
  outcome: string | null;
  referrals: ReferralView[];
  version: number;
  /** The actions the card offers, from the table of case actions (case-actions.ts). */
  nextActions: CaseAction[];
  /** Controls of actions offered several times over: a draft per template, a step per letter or email (case-actions.ts: `variants`). */
  variants: OfferedVariant[];
  /** Actions whose form the card's menu opens besides (or without) their button that acts at once: `Assign to…` (case-actions.ts: `form.menuLabel`). */
  menuForms: CaseAction[];
  /** The case's letters and emails with their words, on a card of the case read in full on the reader's own screen. */
  outgoing?: OutgoingOnCase[];
  timeline?: { entries: TimelineEntryView[]; total: number };
  /** The person's earlier cases and the case's links, on a card of one case read in full. */
  related?: RelatedView;
  /** Files attached to the case, on a card of one case whose details the reader may see (never a withheld one). */
  files?: CaseFileView[];
  /** The statutory clock the case runs on; null on the office's own standard. */
  clock: ClockView | null;
}

/** A deadline against the instant its step was done (if it was), as of `ctx.today`. */
export function deadlineView(
  step: DeadlineStep,
  due: LocalDate,
  doneAt: Date | null,
  applies: boolean,
  ctx: Pick<RuleContext, "today" | "calendar">,
  /** How lateness is counted: the office's working days unless a statutory clock counts otherwise. */
  counting: { unit: CountingUnit; count: (from: LocalDate, to: LocalDate) => number; stopped?: boolean } = officeCounting(ctx),
): DeadlineView {
  const base = { step, due, dueText: formatDate(due), doneOn: null, doneText: null, workingDaysLate: 0, daysLate: 0, unit: counting.unit };
  const late = (to: LocalDate) => ({ workingDaysLate: ctx.calendar.workingDaysBetween(due, to), daysLate: counting.count(due, to) });
  if (doneAt) {
    const doneOn = londonDateOf(doneAt);
    const done = { ...base, doneOn, doneText: formatDate(doneOn) };
    return doneOn > due ? { ...done, state: "done_late", ...late(doneOn) } : { ...done, state: "met" };
  }
  if (!applies) return { ...base, state: "not_applicable" };
  if (counting.stopped) return { ...base, state: "stopped" };
  if (ctx.today > due) return { ...base, state: "overdue", ...late(ctx.today) };
  if (ctx.today === due) return { ...base, state: "due_today" };
  return { ...base, state: "pending" };
}

function officeCounting(ctx: Pick<RuleContext, "calendar">) {
  return { unit: "working_days" as const, count: (from: LocalDate, to: LocalDate) => ctx.calendar.workingDaysBetween(from, to) };
}

/** A case's two deadlines as of `ctx.today`: what cards, lists and the spreadsheet all show. */
export function caseDeadlines(record: CaseRecord, ctx: Pick<RuleContext, "today" | "calendar">): { acknowledgement: DeadlineView; response: DeadlineView } {
  const office = officeCounting(ctx);
  const clock = record.clock ? clockCounting(record.clock.type, ctx) : null;
  return {
    acknowledgement: deadlineView("acknowledgement", record.acknowledgeBy, record.acknowledgedAt, !FINISHED.includes(record.status), ctx, clock?.acknowledgement ?? office),
    response: deadlineView("response", record.respondBy, record.respondedAt, isAwaitingResponse(record.status), ctx, clock ? { ...clock.response, stopped: record.clockStopped } : office),
  };
}

export function toCaseView(
  record: CaseRecord,
  actor: Actor,
  audience: Audience,
  ctx: RuleContext,
  timeline?: CaseTimeline,
  /** A card of this one case (read as such, and logged if sensitive), or a line of a list. */
  purpose: "card" | "list" = "list",
  /** The case's letters and emails, for a card read in full on the reader's own screen, and which templates need signing off on it. */
  letters?: { items: readonly OutgoingOnCase[]; needsSignOff: (template: string) => boolean },
): CaseView {
  const access = caseAccess(actor, record, audience, purpose);
  const items = letters?.items;
  const offers = cardOffers({ record, actor, audience, items, needsSignOff: letters?.needsSignOff });
  const redacted = access !== "full";
  const open = !FINISHED.includes(record.status);
  const { acknowledgement, response } = caseDeadlines(record, ctx);
  return {
    reference: record.reference,
    status: record.status,
    statusLabel: STATUS_LABELS[record.status],
    channel: record.channel,
    kind: record.kind,
    sensitive: record.sensitive,
    redacted,
    contactForAcknowledgement: access === "contact",
    subject: redacted ? null : record.subject,
    summary: redacted ? null : record.summary,
    themes: redacted ? [] : record.themes,
    constituent: access === "none"
      ? null
      : {
          name: record.constituent.name,
          email: record.constituent.email,
          phone: record.constituent.phone,
          address: record.constituent.address,
        },
    assignee: record.assignee,
    receivedOn: record.receivedOn,
    receivedOnText: formatDate(record.receivedOn),
    loggedAt: record.loggedAt.toISOString(),
    cycle: record.cycle,
    acknowledgeBy: record.acknowledgeBy,
    respondBy: record.respondBy,
    acknowledgement,
    response,
    stale: isStale(record, ctx),
    holdingReplyDue: isHoldingReplyDue(record, ctx),
    outcome: record.outcome,
    referrals: record.referrals.map((referral) => ({
      partner: referral.partner,
      sentOn: londonDateOf(referral.sentAt),
      sentOnText: formatDate(londonDateOf(referral.sentAt)),
      expectedBy: referral.expectedBy,
      expectedByText: formatDate(referral.expectedBy),
      repliedOn: referral.repliedAt ? londonDateOf(referral.repliedAt) : null,
      reply: deadlineView("partner_reply", referral.expectedBy, referral.repliedAt, open, ctx),
      chaseCount: referral.chaseCount,
      overdue: !referral.repliedAt && ctx.today > referral.expectedBy,
    })),
    version: record.version,
    // A withheld case says nothing of its type either (a subject-access request, a complaint about the Chief Constable).
    clock: redacted ? null : clockView(record, ctx, true),
    nextActions: offers.actions,
    variants: offers.variants,
    menuForms: offers.menus,
    ...(items && !redacted ? { outgoing: [...items] } : {}),
    timeline: timeline && {
      total: timeline.total,
      entries: timeline.entries.map((entry) => ({
        seq: entry.seq,
        cycle: entry.cycle,
        at: entry.at.toISOString(),
        onText: formatDateTime(entry.at),
        recordedAt: entry.recordedAt?.toISOString() ?? null,
        recordedText: entry.recordedAt ? formatDateTime(entry.recordedAt) : null,
        type: entry.type,
        label: ENTRY_LABELS[entry.type] ?? entry.type,
        actor: entry.actor?.name ?? null,
        platform: entry.platform,
        text: redacted ? "" : entry.text,
      })),
    },
  };
}
