import type { CaseFacts, CaseHistory, HistoryEntry, ReferralFacts } from "./report.ts";

/**
 * What a case's timeline says for a report, worked out here rather than in SQL so the
 * rules are read in one place. Steps are as known now (an imported or late-recorded step
 * counts), each dated by when it happened; the `atEnd` facts use only the steps that had
 * happened by `end`, the last instant of the period's last day.
 */

/** Entries that are not progress for the constituent, so they do not reset staleness. */
const NOT_ACTION = new Set(["assigned", "flagged_stale"]);

/** The partner a referral or reply entry counts under (the directory's name for it); by default the name recorded. */
export type PartnerOf = (detail: Record<string, unknown>) => string;

export function caseFactsOf(history: CaseHistory, end: Date, partnerOf: PartnerOf = (detail) => String(detail.partner)): CaseFacts | null {
  // A step whose email bounced never reached the constituent: its bounce entry names it (`undid.seq`), and it counts nowhere.
  const undone = new Set(history.entries.filter((e) => e.type === "outgoing_bounced").map((e) => (e.detail.undid as { seq?: unknown } | null | undefined)?.seq));
  const entries = [...history.entries].filter((e) => !undone.has(e.seq)).sort((a, b) => a.seq - b.seq);
  const first = entries[0];
  if (!first || (first.type !== "logged" && first.type !== "imported")) return null;
  // Corrections as known when the report is made: the last date of receipt and channel given.
  const receivedOn = String(lastCorrected(entries, "receipt_corrected", (e) => e.detail.to) ?? first.detail.receivedOn);
  const channel = String(lastCorrected(entries, "details_corrected", (e) => (e.detail.changes as Record<string, { to: unknown }> | undefined)?.channel?.to) ?? first.detail.channel);
  const firstOf = (match: (entry: HistoryEntry) => boolean) => earliest(entries.filter(match));

  const respondedAt = firstOf((e) => e.type === "responded" && e.cycle === 1);
  const acknowledging = entries.filter((e) => e.type === "acknowledged" || e.type === "responded");
  const acknowledgedAt = earliest(acknowledging);
  const firstAcknowledgement = acknowledging.find((e) => e.at.getTime() === acknowledgedAt?.getTime());
  const closedWithoutResponse = !respondedAt && entries.some((e) => e.type === "closed" && e.cycle === 1 && e.detail.outcome !== "responded");

  const byEnd = entries.filter((e) => e.at <= end);
  const lastOfType = (list: HistoryEntry[], ...types: string[]) => latest(list.filter((e) => types.includes(e.type)));
  const lastCloseOrReopen = lastOfType(byEnd, "closed", "reopened");
  const lastReopen = lastOfType(byEnd, "reopened");
  const lastResponse = lastOfType(byEnd, "responded");
  const actions = byEnd.filter((e) => !NOT_ACTION.has(e.type));

  return {
    reference: history.reference,
    sensitive: history.sensitive,
    kind: history.kind,
    themes: history.themes,
    receivedOn,
    voided: entries.some((e) => e.type === "voided"),
    statutoryType: statutoryTypeOf(entries),
    channel,
    loggedAt: first.recordedAt ?? first.at,
    acknowledgedAt,
    acknowledgedAutomatically: firstAcknowledgement?.detail.automatic === true,
    respondedAt,
    closedWithoutResponse,
    handledBy: assigneeAt(entries, respondedAt),
    referrals: referralsOf(entries, partnerOf),
    reopenedAt: entries.filter((e) => e.type === "reopened").map((e) => e.at),
    atEnd: {
      closed: lastCloseOrReopen?.type === "closed",
      acknowledged: byEnd.some((e) => e.type === "acknowledged" || e.type === "responded"),
      reopenRespondBy: lastReopen ? (String(lastReopen.detail.respondBy)) : null,
      respondedThisCycle: lastResponse !== null && (lastReopen === null || happenedAfter(lastResponse, lastReopen)),
      lastActionAt: latest(actions)?.at ?? null,
      assigneeId: assigneeAt(entries, end),
    },
  };
}

/** The value the last correction of a kind gave, if any gave one. */
function lastCorrected(entries: HistoryEntry[], type: string, value: (entry: HistoryEntry) => unknown): unknown {
  return entries.filter((e) => e.type === type).map(value).filter((v) => v !== undefined && v !== null).at(-1);
}

/** The assignee by an instant (the last assignment that had happened by then), or the latest when `instant` is null. */
function assigneeAt(entries: HistoryEntry[], instant: Date | null): number | null {
  const assignment = latest(entries.filter((e) => e.type === "assigned" && (instant === null || e.at <= instant)));
  const to = assignment?.detail.to;
  return to === null || to === undefined ? null : Number(to);
}

/** Each referral with its reply: the first reply from the same partner after it. */
function referralsOf(entries: HistoryEntry[], partnerOf: PartnerOf): ReferralFacts[] {
  return entries
    .filter((e) => e.type === "partner_referral")
    .map((referral) => {
      const partner = partnerOf(referral.detail);
      const reply = entries.find((e) => e.type === "partner_reply" && e.seq > referral.seq && samePartner(partnerOf(e.detail), partner));
      return { partner, sentAt: referral.at, expectedBy: String(referral.detail.expectedBy), repliedAt: reply?.at ?? null };
    });
}

function samePartner(a: string, b: string): boolean {
  return a.localeCompare(b, "en", { sensitivity: "base" }) === 0;
}

function earliest(entries: HistoryEntry[]): Date | null {
  return entries.reduce<Date | null>((min, e) => (min === null || e.at < min ? e.at : min), null);
}

/** Whether `a` happened after `b` (the later-written one when both happened at once). */
function happenedAfter(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.at > b.at || (a.at.getTime() === b.at.getTime() && a.seq > b.seq);
}

/** The entry that happened last. */
function latest(entries: HistoryEntry[]): HistoryEntry | null {
  return entries.reduce<HistoryEntry | null>((last, e) => (last === null || happenedAfter(e, last) ? e : last), null);
}

/** The statutory type last given to the case (as known now), or null for the office's own standard. */
function statutoryTypeOf(entries: readonly HistoryEntry[]): string | null {
  const last = latestBySeq(entries.filter((entry) => entry.type === "case_type_set"));
  return typeof last?.detail.type === "string" ? last.detail.type : null;
}

function latestBySeq(entries: readonly HistoryEntry[]): HistoryEntry | undefined {
  return [...entries].sort((a, b) => b.seq - a.seq)[0];
}
