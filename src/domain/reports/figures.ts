import { addDays, dayOfWeek, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { ServiceStandards } from "../settings.ts";
import type { Period } from "./period.ts";
import type { CaseFacts, PerformanceReport, Rate, ReferralFacts, Spread } from "./report.ts";

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
  asOf: LocalDate;
  cases: CaseFacts[];
  referrals: ReferralFacts[];
  reopened: number;
  staffNames: Map<number, string>;
  topThemes: { theme: string; count: number }[];
  calendar: WorkingCalendar;
  standards: ServiceStandards;
}

export function computeReport(input: FigureInputs): PerformanceReport {
  const { period, asOf, calendar, standards } = input;
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
  let ackOnTime = 0;
  let responseDecided = 0;
  let responseOnTime = 0;
  let pending = 0;
  const onTimeByRef = new Set<string>();
  const lateRefs = new Set<string>();
  for (const c of received) {
    const ackDue = calendar.addWorkingDays(c.receivedOn, standards.acknowledgeWorkingDays);
    if (c.acknowledgedAt) {
      const on = londonDateOf(c.acknowledgedAt);
      ackDays.push(wd(c.receivedOn, on));
      if (on <= ackDue) ackOnTime += 1;
    }
    if (c.closedWithoutResponse && !c.respondedAt) continue;
    const due = calendar.addWorkingDays(c.receivedOn, standards.respondWorkingDays);
    if (c.respondedAt) {
      const on = londonDateOf(c.respondedAt);
      respondDays.push(wd(c.receivedOn, on));
      responseDecided += 1;
      if (on <= due) {
        responseOnTime += 1;
        onTimeByRef.add(c.reference);
      } else lateRefs.add(c.reference);
    } else if (asOf > due) {
      responseDecided += 1;
      lateRefs.add(c.reference);
    } else pending += 1;
  }

  // Time awaiting partners: each referral on a case received in the period, from sending to
  // reply (or to the period's end if still unanswered), in working days.
  const receivedRefs = new Set(received.map((c) => c.reference));
  const waitByCase = new Map<string, number>();
  for (const r of input.referrals) {
    if (!receivedRefs.has(r.caseReference)) continue;
    const until = r.repliedAt ? londonDateOf(r.repliedAt) : asOf;
    waitByCase.set(r.caseReference, (waitByCase.get(r.caseReference) ?? 0) + wd(londonDateOf(r.sentAt), until));
  }

  const open = input.cases.filter((c) => !c.closedAtEnd && c.receivedOn <= asOf);
  const isLate = (c: CaseFacts) => {
    const ackLate = !c.acknowledgedAt && calendar.addWorkingDays(c.receivedOn, standards.acknowledgeWorkingDays) < asOf;
    const respondBy = c.reopenRespondBy ?? calendar.addWorkingDays(c.receivedOn, standards.respondWorkingDays);
    return ackLate || (!c.respondedThisCycleAtEnd && respondBy < asOf);
  };
  const isStale = (c: CaseFacts) =>
    !c.respondedThisCycleAtEnd && c.lastActionAt !== null && calendar.addWorkingDays(londonDateOf(c.lastActionAt), standards.staleAfterWorkingDays) < asOf;

  const partners = new Map<string, { referred: number; replied: number; days: number[]; outstandingPastDue: number }>();
  for (const r of input.referrals) {
    const key = r.partner;
    const entry = partners.get(key) ?? { referred: 0, replied: 0, days: [], outstandingPastDue: 0 };
    const sentOn = londonDateOf(r.sentAt);
    if (inPeriod(sentOn)) entry.referred += 1;
    if (r.repliedAt && inPeriod(londonDateOf(r.repliedAt))) {
      entry.replied += 1;
      entry.days.push(wd(sentOn, londonDateOf(r.repliedAt)));
    }
    if (!r.repliedAt && r.expectedBy < asOf) entry.outstandingPastDue += 1;
    partners.set(key, entry);
  }

  const workers = new Map<number, { handled: number; onTime: number; decided: number; open: number; stale: number }>();
  const worker = (id: number) => {
    let entry = workers.get(id);
    if (!entry) workers.set(id, (entry = { handled: 0, onTime: 0, decided: 0, open: 0, stale: 0 }));
    return entry;
  };
  for (const c of received) {
    if (c.assigneeId === null) continue;
    const entry = worker(c.assigneeId);
    entry.handled += 1;
    if (onTimeByRef.has(c.reference)) entry.onTime += 1;
    if (onTimeByRef.has(c.reference) || lateRefs.has(c.reference)) entry.decided += 1;
  }
  for (const c of open) {
    if (c.assigneeId === null) continue;
    const entry = worker(c.assigneeId);
    entry.open += 1;
    if (isStale(c)) entry.stale += 1;
  }

  const weeks = new Map<LocalDate, { received: number; respondedOnTime: number }>();
  for (let week = weekOf(period.from); week <= period.to; week = addDays(week, 7)) weeks.set(week, { received: 0, respondedOnTime: 0 });
  for (const c of received) {
    const entry = weeks.get(weekOf(c.receivedOn))!;
    entry.received += 1;
    if (onTimeByRef.has(c.reference)) entry.respondedOnTime += 1;
  }

  const waits = [...waitByCase.values()];
  return {
    period,
    asOf,
    received: { total: received.length, byChannel, byKind },
    acknowledgedInTime: rate(ackOnTime, received.length),
    respondedInTime: rate(responseOnTime, responseDecided),
    responsesPending: pending,
    workingDaysToAcknowledge: spread(ackDays),
    workingDaysToRespond: spread(respondDays),
    partnerWait: {
      totalWorkingDays: waits.reduce((sum, days) => sum + days, 0),
      casesReferred: waitByCase.size,
      perReferredCase: spread(waits),
      lateWithPartnerWait: [...lateRefs].filter((ref) => (waitByCase.get(ref) ?? 0) > 0).length,
    },
    openAtEnd: { total: open.length, late: open.filter(isLate).length },
    reopened: input.reopened,
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
