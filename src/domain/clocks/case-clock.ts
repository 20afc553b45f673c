import { z } from "zod";
import { addDays, formatDate, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import { UkWorkingDays, type WorkingDays } from "../calendar/uk-working-days.ts";
import { localDateSchema } from "../cases/case.schema.ts";
import type { CaseChange } from "../cases/case-record.ts";
import type { CaseRecord } from "../cases/case-record.ts";
import { DomainError } from "../errors.ts";
import { clockEventSchema, DEFAULT_CLOCK_SETTINGS, type ClockEvent, type ClockSettings } from "./clock.schema.ts";
import { CLOCK_RULES, dayCounter, REVIEW_EVENTS, type ClockDeadline, type ClockStep, type ClockType, type CountingUnit } from "./clock.ts";
import { readCaseClock, type CaseClockInput, type CaseClockReading } from "./statutory-clocks.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { TYPE_WORDS } from "./type-words.ts";

/**
 * A case's statutory clock, wired to the case: the type a case is given (a police complaint
 * review, a complaint about the Chief Constable, an FOI request or its internal review, a
 * subject-access request), the dates its rules need, and its events (stops, restarts,
 * extensions, late-application decisions, updates to the complainant). The rules themselves
 * are the clocks' (statutory-clocks.ts); this file keeps the case's dates in step with them:
 * every change reads the clock afresh and stores what it says is due, so lists, the digest
 * and the figures read stored dates, and a stopped clock is stored as stopped.
 */

export const CLOCK_TYPES = ["complaint_review", "chief_constable_complaint", "foi_request", "foi_internal_review", "subject_access_request"] as const satisfies readonly ClockType[];

export { TYPE_WORDS };

/** A type as a card heads it. */
export const TYPE_LABELS: Record<ClockType, string> = {
  complaint_review: "Police complaint review",
  chief_constable_complaint: "Complaint about the Chief Constable",
  foi_request: "FOI request",
  foi_internal_review: "FOI internal review",
  subject_access_request: "Subject-access request",
};

/** The types as a form offers them, by the word a command uses; `none`: the office's own standard. */
export const TYPE_CHOICES: { value: string; label: string }[] = Object.entries(TYPE_WORDS).map(([word, type]) => ({ value: word, label: type ? TYPE_LABELS[type] : "None: the office's own standard" }));

const optionalDay = (label: string) => z.preprocess((value) => (value === "" || value === undefined ? null : value), localDateSchema(label).nullable());

/** What a case keeps of its clock (the `clock` column), parsed whenever it is read. */
export const caseClockSchema = z.object({
  type: z.enum(CLOCK_TYPES),
  /** A complaint review: the date of the force's outcome letter the complainant asks to have reviewed. */
  outcomeLetterOn: optionalDay("The date of the force's outcome letter").default(null),
  /** A complaint review first sent to the IOPC: the day the IOPC received it. */
  misdirectedOn: optionalDay("The day the IOPC received it").default(null),
  /** An FOI internal review: the day the response under review was sent. */
  responseSentOn: optionalDay("The day the response was sent").default(null),
  events: z.array(clockEventSchema).default([]),
});
export type CaseClock = z.output<typeof caseClockSchema>;

/** The Act's working days, the same for every office. */
const UK_WORKING_DAYS = new UkWorkingDays();

export interface ClockRules {
  today: LocalDate;
  calendar: WorkingCalendar;
  /** The clocks' settings; else the office's standards' (a rule context carries them); else the defaults. */
  clocks?: ClockSettings;
  standards?: { clocks?: ClockSettings };
}

function clockInput(clock: CaseClock, record: Pick<CaseRecord, "receivedOn" | "closedAt">, closedOn: LocalDate | null): CaseClockInput {
  const base = { receivedOn: record.receivedOn, events: clock.events };
  switch (clock.type) {
    case "complaint_review":
      if (!clock.outcomeLetterOn) throw new DomainError("invalid_input", "A police complaint review needs the date of the force's outcome letter it asks to have reviewed.", "outcomeLetterOn");
      return { type: clock.type, ...base, outcomeLetterOn: clock.outcomeLetterOn, misdirectedOn: clock.misdirectedOn };
    case "chief_constable_complaint":
      return { type: clock.type, ...base, closedOn };
    case "foi_internal_review":
      return { type: clock.type, ...base, responseSentOn: clock.responseSentOn };
    default:
      return { type: clock.type, ...base };
  }
}

/** The clock as it stands today; throws a DomainError when its events break the type's rules. */
export function readClock(clock: CaseClock, record: Pick<CaseRecord, "receivedOn" | "closedAt">, rules: ClockRules, closedOn: LocalDate | null = null): CaseClockReading {
  return readCaseClock(clockInput(clock, record, closedOn), {
    asOf: rules.today,
    officeCalendar: rules.calendar,
    ukCalendar: UK_WORKING_DAYS,
    settings: rules.clocks ?? rules.standards?.clocks ?? DEFAULT_CLOCK_SETTINGS,
  });
}

/** The deadline of a reading that the case's response date follows: completion, the recording decision, or the response. */
const RESPONSE_STEPS: readonly ClockStep[] = ["completion", "recording", "response"];

export function responseDeadline(reading: CaseClockReading): ClockDeadline {
  return reading.deadlines.find((deadline) => RESPONSE_STEPS.includes(deadline.step))!;
}

/** The case's stored dates as the clock sets them: a stopped clock keeps the response date it had. */
function storedDates(record: Pick<CaseRecord, "acknowledgeBy" | "respondBy" | "cycle">, reading: CaseClockReading) {
  const acknowledgement = reading.deadlines.find((deadline) => deadline.step === "acknowledgement");
  const response = responseDeadline(reading);
  // A reopened case's later cycle runs on the office's standard (lifecycle.reopen): the clock sets the first cycle's dates only.
  if (record.cycle > 1) return { acknowledgeBy: record.acknowledgeBy, respondBy: record.respondBy, clockStopped: false };
  return {
    acknowledgeBy: acknowledgement?.due ?? record.acknowledgeBy,
    respondBy: response.due ?? record.respondBy,
    clockStopped: reading.status === "stopped",
  };
}

/** How a clock counts, in words: "20 UK working days". */
export const UNIT_WORDS: Record<CountingUnit, string> = { working_days: "working days", uk_working_days: "UK working days", calendar_days: "calendar days" };

function assertClockOpen(record: CaseRecord): void {
  if (record.status === "voided") throw new DomainError("invalid_transition", `${record.reference} was voided (logged in error), so nothing more is done on it.`);
  if (record.status === "closed") throw new DomainError("invalid_transition", `${record.reference} is closed, so its clock is finished. Reopen it first with: reopen ${record.reference} <reason>.`);
}

/**
 * Gives a case its statutory type (or takes it back to the office's own standard with `null`):
 * its due dates become the clock's, counted from the date it was received.
 */
export function setCaseType(
  record: CaseRecord,
  type: ClockType | null,
  facts: ClockFacts,
  rules: ClockRules & { standardDates: { acknowledgeBy: LocalDate; respondBy: LocalDate } },
): CaseChange {
  assertClockOpen(record);
  if (type === null) {
    if (!record.clock) throw new DomainError("invalid_transition", `${record.reference} already runs on the office's own standard.`);
    const dates = record.cycle === 1 ? rules.standardDates : { acknowledgeBy: record.acknowledgeBy, respondBy: record.respondBy };
    return {
      patch: { clock: null, clockStopped: false, forceAnswerDue: null, ...dates },
      entry: { type: "case_type_set", text: `Statutory clock removed: the office's own standard applies (respond by ${formatDate(dates.respondBy)})`, detail: { type: null } },
      countsAsAction: false,
    };
  }
  return typedClock(record, type, facts, rules);
}

type ClockFacts = { outcomeLetterOn?: LocalDate | null; misdirectedOn?: LocalDate | null; responseSentOn?: LocalDate | null };

/**
 * A case being logged with its statutory type: the clock it starts with, the dates it sets and
 * the timeline entry that says so, decided before anything is written (the store writes them
 * with the case, or nothing).
 */
export function clockAtLogging(receivedOn: LocalDate, type: ClockType, facts: ClockFacts, rules: ClockRules & { standardDates: { acknowledgeBy: LocalDate; respondBy: LocalDate } }): CaseChange {
  return typedClock({ receivedOn, closedAt: null, cycle: 1, clock: null, ...rules.standardDates }, type, facts, rules);
}

function typedClock(record: Pick<CaseRecord, "receivedOn" | "closedAt" | "cycle" | "clock" | "acknowledgeBy" | "respondBy">, type: ClockType, facts: ClockFacts, rules: ClockRules): CaseChange {
  // A type with its dates; events recorded on an earlier type are kept, and the new type's rules must allow them.
  const clock = caseClockSchema.parse({ type, ...facts, events: record.clock?.events ?? [] });
  const reading = readClock(clock, record, rules);
  const dates = storedDates(record, reading);
  const response = responseDeadline(reading);
  const late = reading.type === "complaint_review" && !reading.application.inTime
    ? ` The application was made ${reading.application.daysLate} day${reading.application.daysLate === 1 ? "" : "s"} out of time (the last day was ${formatDate(reading.application.lastDay)}): decide whether to accept it.`
    : "";
  return {
    patch: { clock, ...dates },
    entry: {
      type: "case_type_set",
      text: `${TYPE_LABELS[type]}: ${STEP_WORDS[response.step]} due ${response.due ? formatDate(response.due) : "when the clock restarts"} (${UNIT_WORDS[response.unit]}).${late}`,
      detail: { type, outcomeLetterOn: clock.outcomeLetterOn, misdirectedOn: clock.misdirectedOn, responseSentOn: clock.responseSentOn, respondBy: dates.respondBy },
    },
    countsAsAction: false,
  };
}

export const STEP_WORDS: Record<ClockStep, string> = {
  acknowledgement: "acknowledgement",
  completion: "completion",
  recording: "recording decision",
  update: "next update to the complainant",
  response: "response",
  answer: "force's answer",
};

/** What each event is on the timeline. */
const EVENT_ENTRY = {
  stopped: "clock_stopped",
  restarted: "clock_restarted",
  extended: "clock_extended",
  late_application_decided: "late_application_decided",
  updated: "complainant_updated",
  review_outcome: "review_outcome",
  recommendation_made: "recommendation_made",
  recommendation_answered: "recommendation_answered",
} as const;

/** The timeline entries that carry a clock event in their detail. */
export const CLOCK_EVENT_ENTRIES: readonly string[] = Object.values(EVENT_ENTRY);

/** Records a stop, restart, extension or decision on the case's clock, if its type's rules allow it there and then. */
export function recordClockEvent(record: CaseRecord, event: ClockEvent, rules: ClockRules): CaseChange {
  // A review's finding and the force's answers come when the review is done, and a late application may be
  // decided after the case was closed (refused at the door, say): they are recorded on a closed case too.
  if (REVIEW_EVENTS.includes(event.kind) || event.kind === "late_application_decided") {
    if (record.status === "voided") assertClockOpen(record);
  } else assertClockOpen(record);
  if (!record.clock) {
    throw new DomainError(
      "invalid_transition",
      `${record.reference} runs on the office's own standard, which has no clock to stop or extend. Give it its type first: type ${record.reference} foi|foi-review|sar|review|cc-complaint.`,
    );
  }
  const clock: CaseClock = { ...record.clock, events: [...record.clock.events, event] };
  const reading = readClock(clock, record, rules);
  if (REVIEW_EVENTS.includes(event.kind)) {
    // Found after the review is done, so the review's own dates stay as they are.
    return {
      patch: { clock, forceAnswerDue: forceAnswerDueOf(reading) },
      entry: { type: EVENT_ENTRY[event.kind], text: eventWords(event, reading), detail: { event } },
      countsAsAction: true,
    };
  }
  const dates = storedDates(record, reading);
  return {
    patch: { clock, ...dates },
    entry: { type: EVENT_ENTRY[event.kind], text: eventWords(event, reading), detail: { event, respondBy: dates.respondBy } },
    // A stop or an extension is the office acting on the case; a complainant update is contact.
    countsAsAction: true,
  };
}

function eventWords(event: ClockEvent, reading: CaseClockReading): string {
  const response = responseDeadline(reading);
  const due = response.due ? `${STEP_WORDS[response.step]} now due ${formatDate(response.due)}` : "";
  switch (event.kind) {
    case "stopped":
      return `Awaiting ${event.awaiting === "identity" ? "proof of identity" : "clarification"}: ${event.reason.trim()}`;
    case "restarted":
      return `The reply arrived ${formatDate(event.on)}; ${due}`;
    case "extended":
      return `${event.months ? `By ${event.months} month${event.months === 1 ? "" : "s"}` : `To ${formatDate(event.to!)}`}: ${event.reason.trim()}; ${due}`;
    case "late_application_decided":
      return `Late application ${event.accepted ? "accepted" : "refused"}: ${event.reason.trim()}`;
    case "updated":
      return `Complainant updated ${formatDate(event.on)}`;
    case "review_outcome":
      return `Review ${event.upheld ? "upheld" : "not upheld"}: ${event.reason.trim()}`;
    case "recommendation_made": {
      const made = reading.type === "complaint_review" ? reading.recommendations.find((item) => item.number === event.number) : undefined;
      return `Recommendation ${event.number} to the force${made?.answer.due ? ` (answer due ${formatDate(made.answer.due)})` : ""}: ${event.reason.trim()}`;
    }
    case "recommendation_answered":
      return `The force ${event.accepted ? "accepted" : "did not accept"} recommendation ${event.number}: ${event.reason.trim()}`;
  }
}

/** Whether the force owes an answer to one of the review's recommendations past its day, read afresh from the clock (closed cases too). */
export function forceAnswerOverdue(record: Pick<CaseRecord, "clock" | "receivedOn" | "closedAt">, rules: ClockRules): boolean {
  if (record.clock?.type !== "complaint_review" || !record.clock.outcomeLetterOn) return false;
  const reading = readClock(record.clock, record, rules);
  return reading.type === "complaint_review" && reading.recommendations.some((item) => !item.answered && item.answer.state === "overdue");
}

/** The earliest day the force owes an answer to a recommendation it has not answered; null when none is awaited. */
function forceAnswerDueOf(reading: CaseClockReading): LocalDate | null {
  if (reading.type !== "complaint_review") return null;
  const awaited = reading.recommendations.filter((item) => !item.answered).map((item) => item.answer.due!);
  return awaited.length ? awaited.sort()[0]! : null;
}

/** The work entries that update a complainant about the Chief Constable: any letter, email, call or meeting with them. */
export const COMPLAINANT_UPDATES = ["call_out", "email_out", "letter_out", "holding_reply", "meeting"] as const;

/** A complaint about the Chief Constable counts contact with the complainant as its update; other clocks are untouched. */
export function clockAfterContact(record: CaseRecord, on: LocalDate): Pick<CaseChange["patch"], "clock"> {
  if (record.clock?.type !== "chief_constable_complaint" || !CLOCK_RULES.chief_constable_complaint.updates) return {};
  return { clock: { ...record.clock, events: [...record.clock.events, { kind: "updated", on }] } };
}

/** What an erased case's clock events say in place of their words (a reason, a finding, the force's answer). */
export const ERASED_WORDS = "[erased]";

/** A clock event with its words erased: its kind, dates and decisions stay, so the figures stay as they were. */
export function eventWithoutWords(event: ClockEvent): ClockEvent {
  return "reason" in event ? { ...event, reason: ERASED_WORDS } : event;
}

/** A timeline entry's detail with its clock event's words erased, nothing else of it changed; any other detail is structure only and stays. */
export function detailWithoutWords(detail: Record<string, unknown>): Record<string, unknown> {
  const event = detail.event;
  return event && typeof event === "object" && "reason" in event ? { ...detail, event: { ...event, reason: ERASED_WORDS } } : detail;
}

/** A stored clock (the `clock` column) as the domain reads it: checked against its schema. */
export function storedClock(stored: unknown): CaseClock | null {
  return stored === null || stored === undefined ? null : caseClockSchema.parse(stored);
}

/** How a type's due dates count their lateness: its acknowledgement (the office's working days) and its response. */
export function clockCounting(type: ClockType, rules: { calendar: WorkingDays }): Record<"acknowledgement" | "response", { unit: CountingUnit; count: (from: LocalDate, to: LocalDate) => number }> {
  const office = { unit: "working_days" as const, count: dayCounter("working_days", rules.calendar) };
  const unit = RESPONSE_UNITS[type];
  return { acknowledgement: office, response: { unit, count: unit === "working_days" ? office.count : dayCounter(unit, UK_WORKING_DAYS) } };
}

/** The unit each type's response date counts in (the clock files say why). */
const RESPONSE_UNITS: Record<ClockType, CountingUnit> = {
  complaint_review: "working_days",
  chief_constable_complaint: "working_days",
  foi_request: "uk_working_days",
  foi_internal_review: "uk_working_days",
  subject_access_request: "calendar_days",
};

/** A case's clock as its card shows it; reasons only to a reader who sees the case in full. */
export interface ClockView {
  type: ClockType;
  label: string;
  /** What the response date is for: "completion", "recording decision", "response". */
  responseStep: string;
  unit: CountingUnit;
  stopped: { sinceText: string; awaiting: string; reason: string | null } | null;
  extensions: { onText: string; fromText: string; toText: string; reason: string | null }[];
  /** A complaint about the Chief Constable: the next update owed to the complainant. */
  nextUpdate: { dueText: string; state: ClockDeadline["state"]; daysLate: number } | null;
  /** A complaint review: whether the application was in time, and what was decided if not. */
  application: { inTime: boolean; lastDayText: string; daysLate: number; decision: "not_needed" | "needed" | "accepted" | "refused"; reason: string | null } | null;
  /** A complaint review: its finding, and its recommendations to the force with where each answer stands. */
  review: { outcome: { upheld: boolean; onText: string; reason: string | null } | null; recommendations: RecommendationView[] } | null;
}

export interface RecommendationView {
  number: number;
  madeOnText: string;
  text: string | null;
  answerDueText: string;
  /** While awaited: pending, due_today or overdue (calendar days late). */
  state: ClockDeadline["state"];
  daysLate: number;
  answered: { onText: string; accepted: boolean; reason: string | null } | null;
}

export function clockView(record: CaseRecord, rules: ClockRules, withReasons: boolean): ClockView | null {
  if (!record.clock) return null;
  const closedOn = record.closedAt ? londonDateOf(record.closedAt) : null;
  // Read as it stood on the day asked about (a digest as of an earlier day): later events had not happened.
  const asOfThen = { ...record.clock, events: record.clock.events.filter((event) => event.on <= rules.today) };
  const reading = readClock(asOfThen, record, rules, closedOn);
  const reason = (text: string) => (withReasons ? text : null);
  const response = responseDeadline(reading);
  const update = reading.deadlines.find((deadline) => deadline.step === "update");
  return {
    type: reading.type,
    label: TYPE_LABELS[reading.type],
    responseStep: STEP_WORDS[response.step],
    unit: response.unit,
    stopped: reading.stop ? { sinceText: formatDate(reading.stop.on), awaiting: reading.stop.awaiting === "identity" ? "proof of identity" : "clarification", reason: reason(reading.stop.reason) } : null,
    extensions: reading.extensions.map((extension) => ({ onText: formatDate(extension.on), fromText: formatDate(extension.from), toText: formatDate(extension.to), reason: reason(extension.reason) })),
    nextUpdate: update?.due ? { dueText: formatDate(update.due), state: update.state, daysLate: update.daysLate } : null,
    application:
      reading.type === "complaint_review"
        ? { inTime: reading.application.inTime, lastDayText: formatDate(reading.application.lastDay), daysLate: reading.application.daysLate, decision: reading.application.decision, reason: reading.application.decisionReason === null ? null : reason(reading.application.decisionReason) }
        : null,
    review:
      reading.type === "complaint_review"
        ? {
            outcome: reading.outcome ? { upheld: reading.outcome.upheld, onText: formatDate(reading.outcome.on), reason: reason(reading.outcome.reason) } : null,
            recommendations: reading.recommendations.map((item) => ({
              number: item.number,
              madeOnText: formatDate(item.madeOn),
              text: reason(item.text),
              answerDueText: formatDate(item.answer.due!),
              state: item.answer.state,
              daysLate: item.answer.daysLate,
              answered: item.answered ? { onText: formatDate(item.answered.on), accepted: item.answered.accepted, reason: reason(item.answered.reason) } : null,
            })),
          }
        : null,
  };
}

/** Whether a complaint review's out-of-time application still awaits its decision (the office's window, as its settings give it). */
export function lateApplicationUndecided(record: Pick<CaseRecord, "clock" | "receivedOn">, settings: ClockSettings = DEFAULT_CLOCK_SETTINGS): boolean {
  const clock = record.clock;
  if (clock?.type !== "complaint_review" || !clock.outcomeLetterOn) return false;
  const madeOn = clock.misdirectedOn ?? record.receivedOn;
  const lastDay = addDays(clock.outcomeLetterOn, settings.complaintReview.applicationWindowDays);
  return madeOn > lastDay && !clock.events.some((event) => event.kind === "late_application_decided");
}

/** A clocked case's stored dates read afresh (a corrected date of receipt moves its day 0); null on the office's own standard. */
export function clockDatesOf(record: CaseRecord, rules: ClockRules): ReturnType<typeof storedDates> | null {
  if (!record.clock) return null;
  return storedDates(record, readClock(record.clock, record, rules));
}
