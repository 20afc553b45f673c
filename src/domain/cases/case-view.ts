import { formatDate, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { Actor } from "../staff/roles.ts";
import { canWork, hasRole } from "../staff/roles.ts";
import type { CaseRecord, CaseTimeline } from "./case-record.ts";
import { outstandingReferrals, type RuleContext } from "./lifecycle.ts";
import { canSeeInFull } from "./permissions.ts";
import { ENTRY_LABELS, STATUS_LABELS, type Status } from "./vocabulary.ts";

/**
 * A case as people see it: deadlines worked out, sensitive details withheld where
 * they must be, and the next sensible actions named. Adapters render this and
 * nothing else, so every platform shows the same facts.
 */

/** Where the view will be shown: a channel anyone can read, or one person's own screen. */
export type Audience = "private" | "shared";

export type DeadlineState = "met" | "pending" | "due_today" | "overdue" | "not_applicable";

export interface DeadlineView {
  due: LocalDate;
  dueText: string;
  state: DeadlineState;
  /** Working days past the deadline; 0 unless overdue. */
  workingDaysLate: number;
}

export type NextAction =
  | "acknowledge"
  | "assign_to_me"
  | "add_update"
  | "refer"
  | "partner_reply"
  | "chase"
  | "respond"
  | "close"
  | "reopen";

export interface ReferralView {
  partner: string;
  sentOn: LocalDate;
  expectedBy: LocalDate;
  expectedByText: string;
  repliedOn: LocalDate | null;
  chaseCount: number;
  overdue: boolean;
}

export interface TimelineEntryView {
  seq: number;
  cycle: number;
  at: string;
  onText: string;
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
  /** True when subject, summary, themes, constituent and timeline text are withheld. */
  redacted: boolean;
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
  nextActions: NextAction[];
  timeline?: { entries: TimelineEntryView[]; total: number };
}

const AWAITING_RESPONSE: readonly Status[] = ["new", "acknowledged", "in_progress", "awaiting_partner"];

export function isAwaitingResponse(status: Status): boolean {
  return AWAITING_RESPONSE.includes(status);
}

function deadlineView(due: LocalDate, done: boolean, applies: boolean, ctx: RuleContext): DeadlineView {
  const base = { due, dueText: formatDate(due), workingDaysLate: 0 };
  if (done) return { ...base, state: "met" };
  if (!applies) return { ...base, state: "not_applicable" };
  if (ctx.today > due) return { ...base, state: "overdue", workingDaysLate: ctx.calendar.workingDaysBetween(due, ctx.today) };
  if (ctx.today === due) return { ...base, state: "due_today" };
  return { ...base, state: "pending" };
}

/** Stale: awaiting a response with no action for the configured working days. */
export function isStale(record: CaseRecord, ctx: RuleContext): boolean {
  if (!isAwaitingResponse(record.status)) return false;
  const lastAction = londonDateOf(record.lastActionAt);
  return ctx.calendar.addWorkingDays(lastAction, ctx.standards.staleAfterWorkingDays) < ctx.today;
}

/**
 * The next sensible actions. For one person's own screen they are that person's; on a
 * card shared in a channel, whoever clicks is checked by the core, so the card offers
 * what any caseworker might do.
 */
function nextActions(record: CaseRecord, actor: Actor, fullAccess: boolean, audience: Audience): NextAction[] {
  const shared = audience === "shared";
  if (!shared && !canWork(actor)) return [];
  if (record.status === "closed") return shared && record.sensitive ? [] : ["reopen"];
  const actions: NextAction[] = [];
  if (!record.acknowledgedAt) actions.push("acknowledge");
  const mayTake = shared
    ? !record.assignee
    : record.assignee?.id !== actor.id && (!record.assignee || hasRole(actor, "manager")) && hasRole(actor, "caseworker", "manager");
  if (mayTake) actions.push("assign_to_me");
  if (shared ? record.sensitive : !fullAccess) return actions;
  actions.push("add_update", "refer");
  const outstanding = outstandingReferrals(record).length > 0;
  if (outstanding) actions.push("partner_reply", "chase");
  actions.push(record.status === "responded" ? "close" : "respond");
  if (record.status !== "responded") actions.push("close");
  return actions;
}

export function toCaseView(
  record: CaseRecord,
  actor: Actor,
  audience: Audience,
  ctx: RuleContext,
  timeline?: CaseTimeline,
): CaseView {
  const fullAccess = canSeeInFull(actor, record);
  const redacted = record.sensitive && (audience === "shared" || !fullAccess);
  const open = record.status !== "closed";
  const acknowledgement = deadlineView(record.acknowledgeBy, record.acknowledgedAt !== null, open, ctx);
  const response = deadlineView(record.respondBy, record.respondedAt !== null, isAwaitingResponse(record.status), ctx);
  return {
    reference: record.reference,
    status: record.status,
    statusLabel: STATUS_LABELS[record.status],
    channel: record.channel,
    kind: record.kind,
    sensitive: record.sensitive,
    redacted,
    subject: redacted ? null : record.subject,
    summary: redacted ? null : record.summary,
    themes: redacted ? [] : record.themes,
    constituent: redacted
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
    holdingReplyDue: response.state === "overdue" && outstandingReferrals(record).length > 0,
    outcome: record.outcome,
    referrals: record.referrals.map((referral) => ({
      partner: referral.partner,
      sentOn: londonDateOf(referral.sentAt),
      expectedBy: referral.expectedBy,
      expectedByText: formatDate(referral.expectedBy),
      repliedOn: referral.repliedAt ? londonDateOf(referral.repliedAt) : null,
      chaseCount: referral.chaseCount,
      overdue: !referral.repliedAt && ctx.today > referral.expectedBy,
    })),
    version: record.version,
    nextActions: nextActions(record, actor, fullAccess, audience),
    timeline: timeline && {
      total: timeline.total,
      entries: timeline.entries.map((entry) => ({
        seq: entry.seq,
        cycle: entry.cycle,
        at: entry.at.toISOString(),
        onText: formatDate(londonDateOf(entry.at)),
        type: entry.type,
        label: ENTRY_LABELS[entry.type] ?? entry.type,
        actor: entry.actor?.name ?? null,
        platform: entry.platform,
        text: redacted ? "" : entry.text,
      })),
    },
  };
}
