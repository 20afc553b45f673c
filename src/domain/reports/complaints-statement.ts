import { z } from "zod";
import { addDays, endOfLondonDay, formatDate, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { CLOCK_TYPES, COMPLAINANT_UPDATES, readClock, responseDeadline, TYPE_LABELS, UNIT_WORDS, type CaseClock } from "../clocks/case-clock.ts";
import { clockEventSchema, type ClockEvent, type ClockSettings } from "../clocks/clock.schema.ts";
import { dayCounter, type ClockType, type CountingUnit } from "../clocks/clock.ts";
import type { CaseClockReading } from "../clocks/statutory-clocks.ts";
import { UkWorkingDays } from "../calendar/uk-working-days.ts";
import { parseInput } from "../errors.ts";
import { caseFactsOf } from "./case-facts.ts";
import { toCsv } from "../exports/csv.ts";
import type { Period } from "./period.ts";
import type { CaseHistory, HistoryEntry } from "./report.ts";

/**
 * The quarterly complaints statement an office publishes: for each statutory type, what was
 * received, in time or not, completed, how long it took in the clock's own unit and how much
 * within target, and the clock stops and extensions — every figure from the timeline, as known
 * when the statement is made (README: "The quarterly complaints statement").
 */

export interface StatementRow {
  type: ClockType;
  label: string;
  unit: CountingUnit;
  /** Cases of the type received in the quarter (voided ones never count). */
  received: number;
  /** Complaint reviews received in the quarter: made in time, out of time, and what was decided of those. */
  inTime: number | null;
  outOfTime: number | null;
  lateAccepted: number | null;
  lateRefused: number | null;
  /** Cases of the type whose response (the recording decision, the review's outcome) went in the quarter. */
  completed: number;
  /** Of those, sent by the due date their clock gave on the day (stops, restarts and extensions counted). */
  withinTarget: number;
  /** Median days from receipt to response, in `unit`; null when none was completed. */
  medianDays: number | null;
  /** Stops and extensions dated in the quarter. */
  stops: number;
  extensions: number;
  /** How completed cases were closed (as recorded: responded, withdrawn…), when closed. */
  outcomes: Record<string, number>;
  /** Complaint reviews only (null otherwise): reviews that first found in the quarter, each under its finding as last recorded by the statement's day. */
  upheld: number | null;
  notUpheld: number | null;
  /** Complaint reviews only: recommendations to the force made in the quarter, answers dated in the quarter, and at the quarter's end those unanswered and, of them, past their time. */
  recommendationsMade: number | null;
  recommendationsAnswered: number | null;
  recommendationsAwaiting: number | null;
  recommendationsOverdue: number | null;
  /** The satisfaction question: cases it was sent on in the quarter (however often), and cases first answering in it (each once, its answer as last recorded). */
  satisfactionAsked: number;
  satisfactionAnswers: number;
  /** The mean answer (1–5) to one decimal place, and how many were 4 or 5; null with no answer. */
  satisfactionAverage: number | null;
  satisfied: number;
}

export interface ComplaintsStatement {
  period: Period;
  /** The day the statement was made: steps recorded later may change it. */
  madeOn: LocalDate;
  rows: StatementRow[];
}

const QUARTER = /^(\d{4})-?Q([1-4])$/i;

export const quarterSchema = z
  .string()
  .trim()
  .regex(QUARTER, "Give the quarter as YYYY-Qn, like 2026-Q4.")
  .optional();

/** `YYYY-Qn`, or nothing for the last complete quarter before `today`. */
export function parseQuarter(raw: unknown, today: LocalDate): Period {
  const given = parseInput(quarterSchema, raw === "" ? undefined : raw);
  let year: number;
  let quarter: number;
  if (given) {
    const [, y, q] = QUARTER.exec(given)!;
    [year, quarter] = [Number(y), Number(q)];
  } else {
    const current = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
    [year, quarter] = current === 1 ? [Number(today.slice(0, 4)) - 1, 4] : [Number(today.slice(0, 4)), current - 1];
  }
  const firstMonth = (quarter - 1) * 3 + 1;
  const from = `${year}-${String(firstMonth).padStart(2, "0")}-01`;
  const next = quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(firstMonth + 3).padStart(2, "0")}-01`;
  return { from, to: addDays(next, -1), label: `${year} Q${quarter} (${formatDate(from)} to ${formatDate(addDays(next, -1))})` };
}

/** The work entries that update a complainant, as the clock counts them. */
const UPDATES = new Set<string>(COMPLAINANT_UPDATES);
const CLOCK_ENTRIES = new Set(["clock_stopped", "clock_restarted", "clock_extended", "late_application_decided", "review_outcome", "recommendation_made", "recommendation_answered"]);

/** A case's clock as its timeline tells it up to `until` (inclusive): the last type given, and the events since. */
function clockFromTimeline(entries: readonly HistoryEntry[], until: LocalDate): CaseClock | null {
  let clock = null as CaseClock | null;
  const undone = undoneByBounce(entries);
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const on = londonDateOf(entry.at);
    if (entry.type === "case_type_set") {
      const type = entry.detail.type as ClockType | null;
      const facts = { outcomeLetterOn: day(entry.detail.outcomeLetterOn), misdirectedOn: day(entry.detail.misdirectedOn), responseSentOn: day(entry.detail.responseSentOn) };
      clock = type ? { type, ...facts, events: clock?.events ?? [] } : null;
    } else if (clock && CLOCK_ENTRIES.has(entry.type)) {
      const event = clockEventSchema.safeParse(entry.detail.event);
      if (event.success && event.data.on <= until) clock = { ...clock, events: [...clock.events, event.data] };
    } else if (clock?.type === "chief_constable_complaint" && UPDATES.has(entry.type) && on <= until && isToComplainant(entry) && !undone.has(entry.seq)) {
      clock = { ...clock, events: [...clock.events, { kind: "updated", on } satisfies ClockEvent] };
    }
  }
  return clock;
}

/** The entries of emails that bounced and whose step was undone (outgoing-steps.ts): they reached nobody. */
function undoneByBounce(entries: readonly HistoryEntry[]): Set<number> {
  return new Set(entries.flatMap((entry) => (entry.type === "outgoing_bounced" && typeof (entry.detail.undid as { seq?: unknown } | null)?.seq === "number" ? [(entry.detail.undid as { seq: number }).seq] : [])));
}

/** A letter or email the desk sent to a partner (a referral, a chase) is no update to the complainant; one by hand names nobody. */
const isToComplainant = (entry: HistoryEntry) => entry.detail.recipient !== "partner" && entry.detail.partner === undefined;

const day = (value: unknown): LocalDate | null => (typeof value === "string" ? value : null);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const UK_WORKING_DAYS = new UkWorkingDays();

export function computeStatement(input: {
  histories: readonly CaseHistory[];
  period: Period;
  today: LocalDate;
  calendar: WorkingCalendar;
  clocks?: ClockSettings;
}): ComplaintsStatement {
  const { period, today } = input;
  const end = endOfLondonDay(period.to < today ? period.to : today);
  const within = (date: LocalDate) => date >= period.from && date <= period.to;
  const rows = new Map<ClockType, StatementRow & { days: number[]; scores: number[] }>(
    CLOCK_TYPES.map((type) => {
      const review = type === "complaint_review";
      const unit = readUnit(type);
      const reviewOnly = review ? 0 : null;
      return [
        type,
        {
          type, label: TYPE_LABELS[type], unit, received: 0, inTime: reviewOnly, outOfTime: reviewOnly, lateAccepted: reviewOnly, lateRefused: reviewOnly, completed: 0, withinTarget: 0, medianDays: null, stops: 0, extensions: 0, outcomes: {},
          upheld: reviewOnly, notUpheld: reviewOnly, recommendationsMade: reviewOnly, recommendationsAnswered: reviewOnly, recommendationsAwaiting: reviewOnly, recommendationsOverdue: reviewOnly,
          satisfactionAsked: 0, satisfactionAnswers: 0, satisfactionAverage: null, satisfied: 0, days: [], scores: [],
        },
      ];
    }),
  );
  for (const history of input.histories) {
    const facts = caseFactsOf(history, end);
    if (!facts || facts.voided) continue;
    const clock = clockFromTimeline(history.entries, period.to < today ? period.to : today);
    if (!clock) continue;
    const row = rows.get(clock.type)!;
    const record = { receivedOn: facts.receivedOn, closedAt: null };
    const rules = { today: period.to < today ? period.to : today, calendar: input.calendar, clocks: input.clocks };
    if (within(facts.receivedOn)) {
      row.received += 1;
      if (clock.type === "complaint_review" && clock.outcomeLetterOn) {
        const reading = readClock(clock, record, { ...rules, today: rules.today < facts.receivedOn ? facts.receivedOn : rules.today });
        if (reading.type === "complaint_review") {
          if (reading.application.inTime) row.inTime! += 1;
          else row.outOfTime! += 1;
          if (reading.application.decision === "accepted") row.lateAccepted! += 1;
          if (reading.application.decision === "refused") row.lateRefused! += 1;
        }
      }
    }
    for (const event of clock.events) {
      if (!within(event.on)) continue;
      if (event.kind === "stopped") row.stops += 1;
      if (event.kind === "extended") row.extensions += 1;
    }
    countSatisfaction(row, history.entries, within);
    if (clock.type === "complaint_review" && clock.outcomeLetterOn) {
      const atQuarterEnd = { ...rules, today: rules.today < facts.receivedOn ? facts.receivedOn : rules.today };
      countRecommendations(row, readClock(clock, record, atQuarterEnd), within);
      // The finding as known on the statement's day: a correction after the quarter corrects the quarter the review found in.
      const known = clockFromTimeline(history.entries, today);
      if (known?.type === "complaint_review" && known.outcomeLetterOn) countFinding(row, readClock(known, record, { ...rules, today: today < facts.receivedOn ? facts.receivedOn : today }), within);
    }
    const respondedOn = facts.respondedAt ? londonDateOf(facts.respondedAt) : null;
    if (respondedOn && within(respondedOn)) {
      row.completed += 1;
      // The due date the clock gave on the day of the response, with the events recorded by then.
      const then = { ...clock, events: clock.events.filter((event) => event.on <= respondedOn) };
      const reading = readClock(then, record, { ...rules, today: respondedOn });
      const due = responseDeadline(reading).due;
      if (due === null || respondedOn <= due) row.withinTarget += 1;
      const count = row.unit === "working_days" ? dayCounter("working_days", input.calendar) : dayCounter(row.unit, UK_WORKING_DAYS);
      row.days.push(count(reading.startedOn, respondedOn));
      const outcome = outcomeOf(history.entries);
      if (outcome) row.outcomes[outcome] = (row.outcomes[outcome] ?? 0) + 1;
    }
  }
  return {
    period,
    madeOn: today,
    rows: [...rows.values()].map(({ days, scores, ...row }) => ({
      ...row,
      medianDays: median(days),
      satisfactionAnswers: scores.length,
      satisfactionAverage: scores.length ? Math.round((10 * scores.reduce((sum, score) => sum + score, 0)) / scores.length) / 10 : null,
      satisfied: scores.filter((score) => score >= 4).length,
    })),
  };
}

/**
 * The satisfaction question on one case: asked in the quarter if it was sent then at least once
 * (an email sent or a letter posted from the `satisfaction` template, not one that bounced), and
 * the case's answer as last recorded by the statement's day, if its first answer was recorded in the quarter.
 */
function countSatisfaction(row: StatementRow & { scores: number[] }, entries: readonly HistoryEntry[], within: (date: LocalDate) => boolean): void {
  // A bounce names its item; on a closed case it undoes nothing, so the item is what says it reached nobody.
  const bounced = new Set(entries.flatMap((entry) => (entry.type === "outgoing_bounced" ? [entry.detail.item] : [])));
  const asked = entries.some((entry) => {
    const sent = entry.type === "letter_out" || (entry.type === "email_out" && !bounced.has(entry.detail.item));
    return sent && entry.detail.template === "satisfaction" && within(londonDateOf(entry.at));
  });
  if (asked) row.satisfactionAsked += 1;
  // Counted once, in the quarter of the first answer, as last recorded: a correction moves no answer between quarters.
  const answers = entries.filter((entry) => entry.type === "satisfaction_recorded" && typeof entry.detail.score === "number").sort((a, b) => a.seq - b.seq);
  if (answers.length && within(londonDateOf(answers[0]!.at))) row.scores.push(answers.at(-1)!.detail.score as number);
}

/** A review's finding: once, under the finding as last recorded, in the quarter the review first found (a correction moves no review between quarters). */
function countFinding(row: StatementRow, reading: CaseClockReading, within: (date: LocalDate) => boolean): void {
  if (reading.type !== "complaint_review" || !reading.outcome || !within(reading.outcome.firstOn)) return;
  if (reading.outcome.upheld) row.upheld! += 1;
  else row.notUpheld! += 1;
}

/** A review's recommendations, as its clock reads at the quarter's end (or the statement's day). */
function countRecommendations(row: StatementRow, reading: CaseClockReading, within: (date: LocalDate) => boolean): void {
  if (reading.type !== "complaint_review") return;
  for (const item of reading.recommendations) {
    if (within(item.madeOn)) row.recommendationsMade! += 1;
    if (item.answered && within(item.answered.on)) row.recommendationsAnswered! += 1;
    if (!item.answered) {
      row.recommendationsAwaiting! += 1;
      if (item.answer.state === "overdue") row.recommendationsOverdue! += 1;
    }
  }
}

function readUnit(type: ClockType): CountingUnit {
  return type === "subject_access_request" ? "calendar_days" : type === "foi_request" || type === "foi_internal_review" ? "uk_working_days" : "working_days";
}

function outcomeOf(entries: readonly HistoryEntry[]): string | null {
  const closed = [...entries].filter((entry) => entry.type === "closed").sort((a, b) => b.seq - a.seq)[0];
  return closed ? (typeof closed.detail.outcome === "string" ? closed.detail.outcome : "closed") : null;
}

/** The statement's figures, one line a type, as the CSV and the page show them. */
export const STATEMENT_COLUMNS: { header: string; value: (row: StatementRow) => string }[] = [
  { header: "Type", value: (row) => row.label },
  { header: "Received", value: (row) => String(row.received) },
  { header: "In time", value: (row) => (row.inTime === null ? "" : String(row.inTime)) },
  { header: "Out of time", value: (row) => (row.outOfTime === null ? "" : String(row.outOfTime)) },
  { header: "Late: accepted", value: (row) => (row.lateAccepted === null ? "" : String(row.lateAccepted)) },
  { header: "Late: refused", value: (row) => (row.lateRefused === null ? "" : String(row.lateRefused)) },
  { header: "Completed", value: (row) => String(row.completed) },
  { header: "Within target", value: (row) => String(row.withinTarget) },
  { header: "Within target (%)", value: (row) => (row.completed ? String(Math.round((100 * row.withinTarget) / row.completed)) : "") },
  { header: "Median time taken", value: (row) => (row.medianDays === null ? "" : String(row.medianDays)) },
  { header: "Counted in", value: (row) => UNIT_WORDS[row.unit] },
  { header: "Clock stops", value: (row) => String(row.stops) },
  { header: "Extensions", value: (row) => String(row.extensions) },
  { header: "Outcomes", value: (row) => Object.entries(row.outcomes).map(([outcome, count]) => `${outcome}: ${count}`).join("; ") },
  { header: "Upheld", value: (row) => reviewFigure(row.upheld) },
  { header: "Not upheld", value: (row) => reviewFigure(row.notUpheld) },
  { header: "Recommendations made", value: (row) => reviewFigure(row.recommendationsMade) },
  { header: "Answered by the force", value: (row) => reviewFigure(row.recommendationsAnswered) },
  { header: "Awaiting the force's answer", value: (row) => reviewFigure(row.recommendationsAwaiting) },
  { header: "Of them past their time", value: (row) => reviewFigure(row.recommendationsOverdue) },
  { header: "Satisfaction: cases asked", value: (row) => String(row.satisfactionAsked) },
  { header: "Satisfaction: answers", value: (row) => String(row.satisfactionAnswers) },
  { header: "Satisfaction: average (1–5)", value: (row) => (row.satisfactionAverage === null ? "" : row.satisfactionAverage.toFixed(1)) },
  { header: "Satisfaction: satisfied (4 or 5)", value: (row) => String(row.satisfied) },
];

const reviewFigure = (count: number | null) => (count === null ? "" : String(count));

/** The statement as a spreadsheet: one row a type, the columns above. */
export function statementCsv(statement: ComplaintsStatement): string {
  const columns = STATEMENT_COLUMNS.map((column) => column.header);
  return toCsv(columns, statement.rows.map((row) => Object.fromEntries(STATEMENT_COLUMNS.map((column) => [column.header, column.value(row)]))), { header: true });
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const html = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

/**
 * The statement as a page the office can publish: one table with a caption and column and row
 * headers (`scope`), plain language notes on how each figure is counted, no script, no styling
 * that carries meaning — readable by a screen reader and printable as it is.
 */
export function statementHtml(statement: ComplaintsStatement, office: string): string {
  const title = `${office}: complaints and requests statement, ${statement.period.label}`;
  const head = STATEMENT_COLUMNS.map((column, index) => `<th scope="col"${index === 0 ? "" : ' class="n"'}>${html(column.header)}</th>`).join("");
  const body = statement.rows
    .map((row) => `<tr>${STATEMENT_COLUMNS.map((column, index) => (index === 0 ? `<th scope="row">${html(column.value(row))}</th>` : `<td>${html(column.value(row)) || "–"}</td>`)).join("")}</tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse}th,td{border:1px solid #555;padding:.3rem .5rem;text-align:left}td{text-align:right}caption{text-align:left;font-weight:bold;margin-bottom:.5rem}</style>
</head>
<body>
<main>
<h1>${html(title)}</h1>
<p>Made ${html(formatDate(statement.madeOn))} from the case records. Figures for a quarter can change if a step is recorded later.</p>
<table>
<caption>Received, completed and time taken, by type</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<h2>How the figures are counted</h2>
<ul>
<li>Received: cases of the type received in the quarter (by the date received, as corrected). Cases logged in error are not counted.</li>
<li>In time and out of time: police complaint reviews, whether the application was made within 28 days of the force's outcome letter; late applications accepted or refused.</li>
<li>Completed: the response (for a complaint about the Chief Constable, the recording decision) sent in the quarter.</li>
<li>Within target: sent by the due date the clock gave on that day, counting stops for clarification or proof of identity and extensions.</li>
<li>Median time taken: from receipt (or the reply that restarted the clock) to the response, in the unit shown: working days; UK working days for FOI (a bank holiday anywhere in the UK does not count); calendar days for subject-access requests.</li>
<li>Clock stops and extensions: those made in the quarter.</li>
<li>Upheld and not upheld: police complaint reviews whose finding is dated in the quarter, as last recorded.</li>
<li>Recommendations: those an upheld review made to the force in the quarter, and the force's written answers dated in the quarter; at the quarter's end, those still awaiting an answer and, of them, those past the time the force has to answer.</li>
<li>Satisfaction: the question (how satisfied, from 1, very dissatisfied, to 5, very satisfied) sent in the quarter by email or letter, once a case is closed and only if the office chooses to ask; the answers recorded in the quarter, a case's latest answer counting once; their average, and how many answered 4 or 5.</li>
</ul>
</main>
</body>
</html>
`;
}
