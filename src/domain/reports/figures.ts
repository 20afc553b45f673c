import { addDays, dayOfWeek, endOfLondonDay, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { ServiceStandards } from "../settings.ts";
import type { Period } from "./period.ts";
import type { CaseFacts, PerformanceReport, Rate, Spread } from "./report.ts";

/**
 * The performance figures, as pure functions of timeline facts and the working calendar:
 * the same calendar the deadlines use, so "within 2 working days" means here exactly what
 * it means on a case card. README "Reports" defines each figure in words.
 */

export function rate(count: number, of: number): Rate {
  return { count, of, percent: of === 0 ? null : Math.round((count / of) * 1000) / 10 };
}

/** Median (mean of the middle two for an even count) and 90th percentile by nearest rank. */
export function spread(values: number[]): Spread {
  if (values.length === 0) return { median: null, p90: null, measured: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, p90: sorted[Math.ceil(0.9 * sorted.length) - 1]!, measured: sorted.length };
}

/** The Monday of a date's week. */
export function weekOf(date: LocalDate): LocalDate {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}

export interface FigureInputs {
  period: Period;
  /** The day the report is made. */
  today: LocalDate;
  cases: CaseFacts[];
  staffNames: Map<number, string>;
  topThemes: { theme: string; count: number }[];
  calendar: WorkingCalendar;
  standards: ServiceStandards;
}

/**
 * Two kinds of figure (README "Reports"): those over the cases *received* in the period,
 * with every step known on the report's day; and those that describe the office at the
 * period's end (open, late, stale, outstanding), from the steps that had happened by then.
 * A step not yet due on the report's day is neither on time nor late: it is "not yet due".
 */
export function computeReport(all: FigureInputs): PerformanceReport {
  // A case voided as logged in error is in no figure; it is counted apart.
  const voidedCases = all.cases.filter((c) => c.voided);
  const input = { ...all, cases: all.cases.filter((c) => !c.voided) };
  const { period, today, calendar, standards } = input;
  const periodEnd = period.to < today ? period.to : today;
  const inPeriod = (date: LocalDate) => date >= period.from && date <= period.to;
  const wd = (from: LocalDate, to: LocalDate) => calendar.workingDaysBetween(from, to);
  const received = input.cases.filter((c) => inPeriod(c.receivedOn));

  const byChannel: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const c of received) {
    byChannel[c.channel] = (byChannel[c.channel] ?? 0) + 1;
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  }

  const ackDays: number[] = [];
  const respondDays: number[] = [];
  const ack = { onTime: 0, decided: 0, notYetDue: 0 };
  const response = { onTime: 0, decided: 0, notYetDue: 0 };
  const responseState = new Map<string, "on_time" | "late" | "not_yet_due">();
  let statutory = 0;
  for (const c of received) {
    // A statutory clock's case is judged by its own clock, in the quarterly statement.
    if (c.statutoryType) {
      statutory += 1;
      continue;
    }
    const ackDue = calendar.addWorkingDays(c.receivedOn, standards.acknowledgeWorkingDays);
    if (c.acknowledgedAt) {
      const on = londonDateOf(c.acknowledgedAt);
      ackDays.push(wd(c.receivedOn, on));
      ack.decided += 1;
      if (on <= ackDue) ack.onTime += 1;
    } else if (ackDue < today) ack.decided += 1;
    else ack.notYetDue += 1;

    if (c.closedWithoutResponse) continue;
    const due = calendar.addWorkingDays(c.receivedOn, standards.respondWorkingDays);
    if (c.respondedAt) {
      const on = londonDateOf(c.respondedAt);
      respondDays.push(wd(c.receivedOn, on));
      response.decided += 1;
      if (on <= due) response.onTime += 1;
      responseState.set(c.reference, on <= due ? "on_time" : "late");
    } else if (due < today) {
      response.decided += 1;
      responseState.set(c.reference, "late");
    } else {
      response.notYetDue += 1;
      responseState.set(c.reference, "not_yet_due");
    }
  }

  // Time awaiting partners: each referral of a case received in the period, from sending to
  // its reply (or to the report's day while unanswered), in working days.
  const waitByCase = new Map<string, number>();
  for (const c of received) {
    for (const r of c.referrals) {
      const until = r.repliedAt ? londonDateOf(r.repliedAt) : today;
      waitByCase.set(c.reference, (waitByCase.get(c.reference) ?? 0) + wd(londonDateOf(r.sentAt), until));
    }
  }

  // The office at the period's end.
  const end = endOfLondonDay(periodEnd);
  const open = input.cases.filter((c) => c.receivedOn <= periodEnd && !c.atEnd.closed);
  const isLate = (c: CaseFacts) => {
    if (c.statutoryType) return false;
    const ackLate = !c.atEnd.acknowledged && calendar.addWorkingDays(c.receivedOn, standards.acknowledgeWorkingDays) < periodEnd;
    const respondBy = c.atEnd.reopenRespondBy ?? calendar.addWorkingDays(c.receivedOn, standards.respondWorkingDays);
    return ackLate || (!c.atEnd.respondedThisCycle && respondBy < periodEnd);
  };
  // Quiet since its last action, or since receipt when nothing had been done (or logged) by then.
  const isStale = (c: CaseFacts) => {
    if (c.atEnd.respondedThisCycle) return false;
    const quietSince = c.atEnd.lastActionAt ? londonDateOf(c.atEnd.lastActionAt) : c.receivedOn;
    return calendar.addWorkingDays(quietSince, standards.staleAfterWorkingDays) < periodEnd;
  };

  const partners = new Map<string, { referred: number; replied: number; days: number[]; outstandingPastDue: number }>();
  for (const c of input.cases) {
    for (const r of c.referrals) {
      const sentOn = londonDateOf(r.sentAt);
      if (sentOn > periodEnd) continue;
      const repliedOn = r.repliedAt ? londonDateOf(r.repliedAt) : null;
      const repliedByEnd = r.repliedAt !== null && r.repliedAt <= end;
      // Sent, replied to, or outstanding during the period.
      if (!inPeriod(sentOn) && repliedByEnd && !(repliedOn !== null && inPeriod(repliedOn))) continue;
      const entry = partners.get(r.partner) ?? { referred: 0, replied: 0, days: [], outstandingPastDue: 0 };
      if (inPeriod(sentOn)) entry.referred += 1;
      if (repliedOn && inPeriod(repliedOn)) {
        entry.replied += 1;
        entry.days.push(wd(sentOn, repliedOn));
      }
      if (!repliedByEnd && r.expectedBy < periodEnd) entry.outstandingPastDue += 1;
      partners.set(r.partner, entry);
    }
  }

  const workers = new Map<number, { handled: number; onTime: number; decided: number; open: number; stale: number }>();
  const worker = (id: number) => {
    let entry = workers.get(id);
    if (!entry) workers.set(id, (entry = { handled: 0, onTime: 0, decided: 0, open: 0, stale: 0 }));
    return entry;
  };
  for (const c of received) {
    if (c.handledBy === null) continue;
    const entry = worker(c.handledBy);
    entry.handled += 1;
    const state = responseState.get(c.reference);
    if (state === "on_time") entry.onTime += 1;
    if (state === "on_time" || state === "late") entry.decided += 1;
  }
  for (const c of open) {
    if (c.atEnd.assigneeId === null) continue;
    const entry = worker(c.atEnd.assigneeId);
    entry.open += 1;
    if (isStale(c)) entry.stale += 1;
  }

  const weeks = new Map<LocalDate, { received: number; respondedOnTime: number; responseNotYetDue: number }>();
  for (let week = weekOf(period.from); week <= period.to; week = addDays(week, 7)) weeks.set(week, { received: 0, respondedOnTime: 0, responseNotYetDue: 0 });
  for (const c of received) {
    const entry = weeks.get(weekOf(c.receivedOn))!;
    entry.received += 1;
    const state = responseState.get(c.reference);
    if (state === "on_time") entry.respondedOnTime += 1;
    if (state === "not_yet_due") entry.responseNotYetDue += 1;
  }

  const start = new Date(endOfLondonDay(addDays(period.from, -1)).getTime() + 1);
  const reopened = input.cases.reduce((sum, c) => sum + c.reopenedAt.filter((at) => at >= start && at <= end).length, 0);
  const lateRefs = [...responseState].filter(([, state]) => state === "late").map(([reference]) => reference);
  const waits = [...waitByCase.values()];
  return {
    period,
    asOf: today,
    periodEnd,
    received: { total: received.length, byChannel, byKind },
    loggedAfterPeriod: received.filter((c) => londonDateOf(c.loggedAt) > period.to).length,
    voided: voidedCases.filter((c) => inPeriod(c.receivedOn)).length,
    statutory,
    acknowledgedInTime: rate(ack.onTime, ack.decided),
    acknowledgementsNotYetDue: ack.notYetDue,
    acknowledgedAutomatically: received.filter((c) => c.acknowledgedAt !== null && c.acknowledgedAutomatically).length,
    respondedInTime: rate(response.onTime, response.decided),
    responsesNotYetDue: response.notYetDue,
    workingDaysToAcknowledge: spread(ackDays),
    workingDaysToRespond: spread(respondDays),
    partnerWait: {
      totalWorkingDays: waits.reduce((sum, days) => sum + days, 0),
      casesReferred: waitByCase.size,
      perReferredCase: spread(waits),
      lateWithPartnerWait: lateRefs.filter((ref) => (waitByCase.get(ref) ?? 0) > 0).length,
    },
    openAtEnd: { total: open.length, late: open.filter(isLate).length },
    reopened,
    partners: [...partners]
      .map(([partner, p]) => ({ partner, referred: p.referred, replied: p.replied, medianReplyWorkingDays: spread(p.days).median, outstandingPastDue: p.outstandingPastDue }))
      .sort((a, b) => b.outstandingPastDue - a.outstandingPastDue || b.referred - a.referred || a.partner.localeCompare(b.partner)),
    caseworkers: [...workers]
      .map(([id, w]) => ({ name: input.staffNames.get(id) ?? `staff #${id}`, handled: w.handled, onTime: rate(w.onTime, w.decided), open: w.open, stale: w.stale }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    topThemes: input.topThemes,
    weeks: [...weeks].map(([weekOf, w]) => ({ weekOf, ...w })),
  };
}
