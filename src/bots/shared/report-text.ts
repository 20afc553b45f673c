import { DISMISS_LABELS, DISMISS_REASONS } from "../../domain/intake/intake-message.ts";
import type { ChannelReport } from "../../domain/digest/digest-publisher.ts";
import type { AuditReport } from "../../domain/audit/audit.ts";
import { EXCEPTION_KINDS } from "../../domain/audit/audit.ts";
import type { AccessEvent } from "../../domain/privacy/access-log.ts";
import type { RetentionCandidate } from "../../domain/privacy/privacy-store.ts";
import type { PerformanceReport, Rate, Spread, ThemesReport } from "../../domain/reports/report.ts";
import { formatDate, formatDateTime } from "../../domain/calendar/local-date.ts";
import { UNIT_WORDS } from "../../domain/clocks/case-clock.ts";
import type { ComplaintsStatement } from "../../domain/reports/complaints-statement.ts";

/** Plain-text reports, audit and logs: the CLI's output and every platform's fallback text. */

function rateText(rate: Rate): string {
  return rate.percent === null ? "– (nothing to measure)" : `${rate.count} of ${rate.of} (${rate.percent}%)`;
}

function spreadText(spread: Spread): string {
  return spread.measured === 0 ? "–" : `median ${spread.median}, 90th percentile ${spread.p90} working days (${spread.measured} measured)`;
}

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record).sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${n}`);
  return parts.length ? parts.join(", ") : "none";
}

/** A group of figures that belong together: each a label and its value, in the words every platform shows. */
export interface ReportFigures {
  title: string;
  facts: [label: string, value: string][];
}

/** Rows of figures with the same columns (per partner, per caseworker, per week). */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: string[][];
  /** Said instead of the table when it has no rows. */
  empty: string;
}

/** A performance report laid out once for every platform: Slack's Block Kit and Teams' Adaptive Card render this, in these words. */
export interface ReportLayout {
  title: string;
  /** The day the report stands at, and what "received in the period" means. */
  asOf: string;
  groups: ReportFigures[];
  tables: ReportTable[];
  /** The chart's title, also its alternative text. */
  chartTitle: string;
}

export function reportTitle(report: PerformanceReport): string {
  return `Performance report — ${report.period.label}`;
}

export function chartTitle(report: PerformanceReport): string {
  return `Received vs responded on time — ${report.period.label}`;
}

export function reportLayout(report: PerformanceReport): ReportLayout {
  const notYetDue = (n: number) => (n ? ` (${n} not yet due)` : "");
  const atEnd = report.periodEnd === report.asOf ? "now" : `at ${formatDate(report.periodEnd)}`;
  const groups: ReportFigures[] = [
    {
      title: "Received in the period",
      facts: [
        ["Received", String(report.received.total)],
        ["By channel", counts(report.received.byChannel)],
        ["By kind", counts(report.received.byKind)],
        ...(report.loggedAfterPeriod ? [["Logged after the period", `${report.loggedAfterPeriod}, after ${formatDate(report.period.to)}`] as [string, string]] : []),
        ...(report.voided ? [["Voided as logged in error", `${report.voided} (in no figure)`] as [string, string]] : []),
        ...(report.statutory ? [["On statutory clocks", `${report.statutory} (judged by their own clocks: statement)`] as [string, string]] : []),
      ],
    },
    {
      title: "Deadlines",
      facts: [
        ["Acknowledged within 2 working days", `${rateText(report.acknowledgedInTime)}${notYetDue(report.acknowledgementsNotYetDue)}`],
        ["Working days to acknowledge", spreadText(report.workingDaysToAcknowledge)],
        ...(report.acknowledgedAutomatically ? [["Acknowledged automatically (by Postbag)", `${report.acknowledgedAutomatically} of the cases acknowledged`] as [string, string]] : []),
        ["Fully responded within 10 working days", `${rateText(report.respondedInTime)}${notYetDue(report.responsesNotYetDue)}`],
        ["Working days to respond", spreadText(report.workingDaysToRespond)],
        [
          "Time awaiting partners (beside, not subtracted)",
          `${report.partnerWait.totalWorkingDays} working days over ${report.partnerWait.casesReferred} referred case(s); ${report.partnerWait.lateWithPartnerWait} late response(s) had waited on a partner`,
        ],
      ],
    },
    {
      title: `The office ${atEnd}`,
      facts: [
        ["Open", String(report.openAtEnd.total)],
        ["Of which late", String(report.openAtEnd.late)],
        ["Reopened in the period", String(report.reopened)],
      ],
    },
  ];
  if (report.intake) {
    const i = report.intake;
    const reasons = DISMISS_REASONS.filter((reason) => i.dismissedBy[reason]).map((reason) => `${DISMISS_LABELS[reason]} ${i.dismissedBy[reason]}`).join(", ");
    groups.push({
      title: "Emails",
      facts: [
        ["Received", String(i.received)],
        ["Logged as cases", String(i.logged)],
        ["Added to cases", String(i.attached)],
        ["Dismissed", `${i.dismissed}${reasons ? ` (${reasons})` : ""}`],
        ["Awaiting triage", String(i.awaiting)],
        ["Unaccounted", String(i.unaccounted)],
      ],
    });
  }
  const tables: ReportTable[] = [
    {
      title: "Partner referrals",
      columns: ["Partner", "Referred", "Replied", "Median reply (working days)", "Outstanding past due"],
      rows: report.partners.map((p) => [p.partner, String(p.referred), String(p.replied), p.medianReplyWorkingDays === null ? "–" : String(p.medianReplyWorkingDays), String(p.outstandingPastDue)]),
      empty: "No referrals in the period.",
    },
    {
      title: "Per caseworker",
      columns: ["Caseworker", "Handled", "On time", "Open", "Stale"],
      rows: report.caseworkers.map((w) => [w.name, String(w.handled), rateText(w.onTime), String(w.open), String(w.stale)]),
      empty: "No cases handled in the period.",
    },
    {
      title: "Top themes",
      columns: ["Theme", "Cases"],
      rows: report.topThemes.map((t) => [t.theme, String(t.count)]),
      empty: "No themes recorded.",
    },
    {
      title: "Per week of receipt",
      columns: ["Week of", "Received", "Responded on time", "Response not yet due"],
      rows: report.weeks.map((week) => [formatDate(week.weekOf), String(week.received), String(week.respondedOnTime), String(week.responseNotYetDue)]),
      empty: "No weeks in the period.",
    },
  ];
  return {
    title: reportTitle(report),
    asOf: `Cases received in the period, with every step known on ${formatDate(report.asOf)}; the office ${report.periodEnd === report.asOf ? "as it stands now" : `at the end of ${formatDate(report.periodEnd)}`}.`,
    groups,
    tables,
    chartTitle: chartTitle(report),
  };
}

export function reportText(report: PerformanceReport): string {
  const notYetDue = (n: number) => (n ? ` (${n} not yet due)` : "");
  const open = report.periodEnd === report.asOf ? "Open now" : `Open at ${formatDate(report.periodEnd)}`;
  const lines = [
    `Performance report — ${report.period.label} (as known on ${formatDate(report.asOf)})`,
    "",
    `Received: ${report.received.total}   by channel: ${counts(report.received.byChannel)}   by kind: ${counts(report.received.byKind)}`,
    ...(report.loggedAfterPeriod ? [`  ${report.loggedAfterPeriod} logged after ${formatDate(report.period.to)}`] : []),
    ...(report.voided ? [`  and ${report.voided} voided as logged in error (in no figure)`] : []),
    ...(report.statutory ? [`  of them ${report.statutory} on statutory clocks, judged by their own clocks in the quarterly statement (not in the timeliness figures)`] : []),
    `Acknowledged within 2 working days: ${rateText(report.acknowledgedInTime)}${notYetDue(report.acknowledgementsNotYetDue)}; ${spreadText(report.workingDaysToAcknowledge)}`,
    ...(report.acknowledgedAutomatically ? [`  acknowledged automatically by Postbag: ${report.acknowledgedAutomatically} of the cases acknowledged`] : []),
    `Fully responded within 10 working days: ${rateText(report.respondedInTime)}${notYetDue(report.responsesNotYetDue)}; ${spreadText(report.workingDaysToRespond)}`,
    `  beside it, time awaiting partners: ${report.partnerWait.totalWorkingDays} working days over ${report.partnerWait.casesReferred} referred case(s) (${spreadText(report.partnerWait.perReferredCase)}); ${report.partnerWait.lateWithPartnerWait} late response(s) had waited on a partner`,
    `${open}: ${report.openAtEnd.total}, of which late: ${report.openAtEnd.late}`,
    `Reopened: ${report.reopened}`,
  ];
  if (report.intake) {
    const i = report.intake;
    const reasons = DISMISS_REASONS.filter((reason) => i.dismissedBy[reason]).map((reason) => `${DISMISS_LABELS[reason]} ${i.dismissedBy[reason]}`).join(", ");
    lines.push(`Emails received: ${i.received} — logged as cases ${i.logged}, added to cases ${i.attached}, dismissed ${i.dismissed}${reasons ? ` (${reasons})` : ""}, awaiting triage ${i.awaiting}, unaccounted ${i.unaccounted}`);
  }
  lines.push("", "Partner referrals:");
  if (report.partners.length === 0) lines.push("  none");
  for (const p of report.partners) {
    lines.push(`  ${p.partner}: ${p.referred} referred, ${p.replied} replied (median ${p.medianReplyWorkingDays ?? "–"} working days), ${p.outstandingPastDue} outstanding past due`);
  }
  lines.push("", "Per caseworker (received in the period, by who handled them; open and stale at its end):");
  if (report.caseworkers.length === 0) lines.push("  none");
  for (const w of report.caseworkers) lines.push(`  ${w.name}: ${w.handled} handled, on time ${rateText(w.onTime)}, ${w.open} open, ${w.stale} stale`);
  lines.push("", `Top themes: ${report.topThemes.map((t) => `${t.theme} (${t.count})`).join(", ") || "none"}`);
  lines.push("", "Week of receipt: received / responded on time / response not yet due");
  for (const week of report.weeks) lines.push(`  ${formatDate(week.weekOf)}: ${week.received} / ${week.respondedOnTime} / ${week.responseNotYetDue}`);
  return lines.join("\n");
}

/** Figures by name, then groups of lines: the audit, themes and retention review laid out once, in the words every platform shows. */
export interface ListingLayout {
  title: string;
  /** A sentence under the title: what the figures are, or what to do with them. */
  lead?: string;
  /** Said in place of the figures and groups when there is nothing to show. */
  empty?: string;
  facts: [label: string, value: string][];
  /** Figures for the record rather than for reading (the audit's seal): after the others, in small print where there is any. */
  footnotes?: [label: string, value: string][];
  /** Lines under a heading; `total` may count more than are listed. */
  groups: { title: string; total: number; lines: string[] }[];
  /** How many there are beyond the figures listed. */
  more?: number;
}

export function themesLayout(report: ThemesReport): ListingLayout {
  return {
    title: `Themes — ${report.period.label}`,
    ...(report.themes.length === 0 ? { empty: `No themes recorded for ${report.period.label}.` } : {}),
    facts: report.themes.map((t) => [t.theme, `${t.total} (${counts(t.byKind)})${t.examples.length ? ` e.g. ${t.examples.join(", ")}` : ""}`]),
    groups: [],
  };
}

export function themesText(report: ThemesReport): string {
  const layout = themesLayout(report);
  if (layout.empty) return layout.empty;
  return [layout.title, ...layout.facts.map(([theme, value]) => `  ${theme}: ${value}`)].join("\n");
}

export function auditLayout(report: AuditReport): ListingLayout {
  return {
    title: `No-loss audit — ${report.asOfText}: ${report.exceptionCount} exception${report.exceptionCount === 1 ? "" : "s"}`,
    facts: [
      ["Cases", `${report.cases.total} logged = ${report.cases.closed} closed + ${report.cases.voided} voided + ${report.cases.open} open${report.cases.erased ? ` (${report.cases.erased} erased, anonymised record kept)` : ""}`],
      ["Timeline", `${report.entries.verified} of ${report.entries.total} entries verified by the hash chain${report.entries.erased ? ` (${report.entries.erased} erased, chain intact)` : ""}${report.entries.sealedNow ? `; ${report.entries.sealedNow} pre-chain entries sealed now` : ""}`],
      ["Per month logged = closed + voided + open", report.months.map((m) => `${m.month} ${m.logged}=${m.closed}+${m.voided}+${m.open}`).join("; ") || "no cases yet"],
      ["References per year", report.years.map((y) => `${y.year} 1–${y.lastNumber}, ${y.cases} cases${y.missing.length ? `, ${y.missing.length} missing` : ", gap-free"}`).join("; ") || "none yet"],
      ...(report.intake ? [["Email", `received ${report.intake.received}, logged ${report.intake.logged}, added to cases ${report.intake.attached}, dismissed ${report.intake.dismissed}, awaiting triage ${report.intake.awaiting}, unaccounted ${report.intake.unaccounted}`] as [string, string]] : []),
    ],
    footnotes: [["Seal", report.seal]],
    groups: Object.entries(report.totals).map(([kind, total]) => ({
      title: EXCEPTION_KINDS[kind as keyof typeof EXCEPTION_KINDS],
      total,
      lines: report.exceptions.filter((x) => x.kind === kind).map((e) => `${e.subject}: ${e.detail}`),
    })),
  };
}

export function auditText(report: AuditReport): string {
  const layout = auditLayout(report);
  const lines = [layout.title, ...[...layout.facts, ...(layout.footnotes ?? [])].map(([label, value]) => `${label}: ${value}`)];
  for (const group of layout.groups) {
    lines.push("", `${group.title}: ${group.total}`);
    for (const line of group.lines) lines.push(`  ${line}`);
  }
  return lines.join("\n");
}

export function accessLogText(events: AccessEvent[]): string {
  if (events.length === 0) return "The audit log is empty.";
  return events.map((e) => `${formatDateTime(e.at)}  ${e.action.padEnd(16)} ${e.subject.padEnd(18)} ${e.actorName} (${e.platform})${e.detail ? `  — ${e.detail}` : ""}`).join("\n");
}

/** The retention review; `commandPrefix` is how the erase command is typed where it is shown (Slack's "/case "). */
export function retentionLayout(result: { cutoff: string; total: number; cases: RetentionCandidate[] }, commandPrefix = ""): ListingLayout {
  const title = `Retention review: ${result.total} closed case${result.total === 1 ? "" : "s"} past the retention period`;
  if (result.total === 0) return { title, empty: `No closed case is older than the retention period (closed before ${formatDate(result.cutoff)}).`, facts: [], groups: [] };
  return {
    title,
    lead: `${result.total} closed case(s) past the retention period (closed before ${formatDate(result.cutoff)}) — review, then erase with: ${commandPrefix}erase <ref> --confirm`,
    facts: result.cases.map((c) => [c.reference, `closed ${formatDate(c.closedOn)}${c.outcome ? ` (${c.outcome})` : ""}`]),
    groups: [],
    ...(result.total > result.cases.length ? { more: result.total - result.cases.length } : {}),
  };
}

export function retentionText(result: { cutoff: string; total: number; cases: RetentionCandidate[] }): string {
  const layout = retentionLayout(result);
  if (layout.empty) return layout.empty;
  return [layout.lead!, ...layout.facts.map(([reference, closed]) => `  ${reference}  ${closed}`), ...(layout.more ? [`  …and ${layout.more} more`] : [])].join("\n");
}

/** A scheduled channel report's title and text, the same on every platform. */
export function channelReportText(report: ChannelReport): { title: string; text: string } {
  switch (report.kind) {
    case "audit": {
      const count = report.report.exceptionCount;
      return { title: `No-loss audit: ${count} exception${count === 1 ? "" : "s"}`, text: auditText(report.report) };
    }
    case "retention":
      return { title: retentionLayout(report.review).title, text: retentionText(report.review) };
  }
}

/** The quarter's statement in words: a line a type that had anything, every figure as the CSV has it. */
export function statementText(statement: ComplaintsStatement): string {
  const lines = [`Complaints and requests statement, ${statement.period.label}`];
  const active = statement.rows.filter((row) => row.received || row.completed || row.stops || row.extensions || row.upheld || row.notUpheld || row.recommendationsMade || row.recommendationsAnswered || row.recommendationsAwaiting || row.satisfactionAsked || row.satisfactionAnswers);
  if (active.length === 0) lines.push("No case of a statutory type was received or completed in the quarter.");
  for (const row of active) {
    const timing = row.inTime === null ? "" : `; ${row.inTime} in time, ${row.outOfTime} out of time (${row.lateAccepted} accepted, ${row.lateRefused} refused)`;
    const completed = row.completed
      ? `${row.completed} completed, ${row.withinTarget} within target (${Math.round((100 * row.withinTarget) / row.completed)}%), median ${row.medianDays} ${UNIT_WORDS[row.unit]}`
      : "none completed";
    const clock = row.stops || row.extensions ? `; ${row.stops} clock stop${row.stops === 1 ? "" : "s"}, ${row.extensions} extension${row.extensions === 1 ? "" : "s"}` : "";
    const findings = row.upheld || row.notUpheld ? `; ${row.upheld} upheld, ${row.notUpheld} not upheld` : "";
    const recommendations =
      row.recommendationsMade || row.recommendationsAnswered || row.recommendationsAwaiting
        ? `; ${row.recommendationsMade} recommendation${row.recommendationsMade === 1 ? "" : "s"} to the force, ${row.recommendationsAnswered} answered, ${row.recommendationsAwaiting} awaiting an answer (${row.recommendationsOverdue} past their time)`
        : "";
    const satisfaction =
      row.satisfactionAsked || row.satisfactionAnswers
        ? `; satisfaction asked on ${row.satisfactionAsked} case${row.satisfactionAsked === 1 ? "" : "s"}, ${row.satisfactionAnswers} answer${row.satisfactionAnswers === 1 ? "" : "s"}${row.satisfactionAverage === null ? "" : ` (average ${row.satisfactionAverage.toFixed(1)} of 5, ${row.satisfied} satisfied)`}`
        : "";
    lines.push(`${row.label}: ${row.received} received${timing}; ${completed}${clock}${findings}${recommendations}${satisfaction}.`);
  }
  lines.push("The spreadsheet and the page to publish are attached; README: \"The quarterly complaints statement\" says how each figure is counted.");
  return lines.join("\n");
}
