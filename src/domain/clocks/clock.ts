import { calendarDaysBetween } from "../calendar/calendar-days.ts";
import { formatDate, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingDays } from "../calendar/uk-working-days.ts";
import { DomainError } from "../errors.ts";
import type { ClockEvent, ClockEventKind, StopReason } from "./clock.schema.ts";

/**
 * What every statutory clock shares: the types it applies to, what each type's rules allow,
 * and how a due date reads on a given day. The rules themselves are one file per type
 * (complaint-review-clock.ts, chief-constable-complaint-clock.ts, foi-clock.ts, sar-clock.ts)
 * and are written down in docs/statutory-clocks.md.
 */

export type ClockType = "complaint_review" | "chief_constable_complaint" | "foi_request" | "foi_internal_review" | "subject_access_request";

/**
 * How a clock counts: the office's working days (its nation's bank holidays and closure days),
 * the Freedom of Information Act's working days (a bank holiday anywhere in the UK), or calendar days.
 */
export type CountingUnit = "working_days" | "uk_working_days" | "calendar_days";

/** What a due date is for. */
export type ClockStep = "acknowledgement" | "completion" | "recording" | "update" | "response" | "answer";

/** Where a due date stands on the day asked about. `stopped`: no date while the clock waits. */
export type ClockDeadlineState = "pending" | "due_today" | "overdue" | "stopped";

export interface ClockDeadline {
  step: ClockStep;
  /** Null while the clock is stopped: the date is set again when it restarts. */
  due: LocalDate | null;
  unit: CountingUnit;
  state: ClockDeadlineState;
  /** Days (in `unit`) after the day asked about up to and including the due date; 0 when due today, late or stopped. */
  daysRemaining: number;
  /** Days (in `unit`) after the due date up to and including the day asked about; 0 unless overdue. */
  daysLate: number;
}

export interface ClockStop {
  on: LocalDate;
  awaiting: StopReason;
  reason: string;
  /** The day the awaited reply arrived; null while still waiting. */
  restartedOn: LocalDate | null;
}

export interface ClockExtension {
  on: LocalDate;
  reason: string;
  /** The due date before the extension and after it. */
  from: LocalDate;
  to: LocalDate;
}

/** A clock as it stands on `asOf`: what cards, the digest and the figures show. */
export interface ClockReading {
  type: ClockType;
  asOf: LocalDate;
  status: "running" | "stopped";
  /** Day 0 of the count now running: the day of receipt, or the reply that set it going afresh. */
  startedOn: LocalDate;
  /** The stop the clock is in, if it is stopped. */
  stop: ClockStop | null;
  deadlines: ClockDeadline[];
  /** Every stop and extension, for the timeline's reader and the published figures. */
  stops: ClockStop[];
  extensions: ClockExtension[];
}

/**
 * What each type's rules allow, defined once: the clocks refuse anything else, and the
 * adapters offer only what is here (no "stop the clock" button on a complaint review).
 */
export const CLOCK_RULES: Record<
  ClockType,
  {
    /** How people name the type in a sentence. */
    label: string;
    stops: readonly StopReason[];
    extension: "none" | "to_date" | "by_months";
    updates: boolean;
    lateApplication: boolean;
    /** A finding (upheld or not) with recommendations to the force, tracked until answered. */
    reviewOutcome: boolean;
    /** Why a stop or extension is not available, when it is not: the end of the sentence a person is shown. */
    noStop?: string;
    noExtension?: string;
  }
> = {
  complaint_review: {
    label: "a police complaint review",
    stops: [],
    extension: "none",
    updates: false,
    lateApplication: true,
    reviewOutcome: true,
    noStop: "its targets run from receipt, whoever is slow (record the delay on the timeline instead)",
    noExtension: "its targets are the office's published ones (record why it is late on the timeline instead)",
  },
  chief_constable_complaint: {
    label: "a complaint about the Chief Constable",
    stops: [],
    extension: "none",
    updates: true,
    lateApplication: false,
    reviewOutcome: false,
    noStop: "the recording decision and the 28-day updates run however the complaint progresses",
    noExtension: "keep the complainant updated at least every 28 days instead",
  },
  foi_request: {
    label: "an FOI request",
    stops: ["clarification"],
    extension: "to_date",
    updates: false,
    lateApplication: false,
    reviewOutcome: false,
    noStop: "only clarification stops the FOI clock (FOIA s.1(3))",
  },
  foi_internal_review: {
    label: "an FOI internal review",
    stops: [],
    extension: "to_date",
    updates: false,
    lateApplication: false,
    reviewOutcome: false,
    noStop: "an internal review runs from the request for review to its outcome",
  },
  subject_access_request: {
    label: "a subject-access request",
    stops: ["identity", "clarification"],
    extension: "by_months",
    updates: false,
    lateApplication: false,
    reviewOutcome: false,
  },
};

const EVENT_NAMES: Record<ClockEventKind, string> = {
  stopped: "stop the clock",
  restarted: "restart the clock",
  extended: "extend it",
  updated: "record a complainant update",
  late_application_decided: "decide a late application",
  review_outcome: "record a review's outcome",
  recommendation_made: "record a recommendation to the force",
  recommendation_answered: "record the force's answer to a recommendation",
};

/** The events of a review's finding: recorded after the review is complete, so they never move its dates. */
export const REVIEW_EVENTS: readonly ClockEventKind[] = ["review_outcome", "recommendation_made", "recommendation_answered"];

/** A refusal of something the type's rules do not allow. */
export function refuse(message: string, field?: string): never {
  throw new DomainError("invalid_transition", message, field);
}

/** A refusal of a value that cannot be right (a date too late, an empty reason). */
export function refuseInput(message: string, field: string): never {
  throw new DomainError("invalid_input", message, field);
}

/**
 * The events in date order (stable: same-day events keep the order they were recorded in),
 * after refusing any the type never allows, any dated before day 0 and any dated after `asOf`.
 */
export function checkedEvents(type: ClockType, events: readonly ClockEvent[], receivedOn: LocalDate, asOf: LocalDate): ClockEvent[] {
  const rules = CLOCK_RULES[type];
  for (const event of events) {
    if (event.on < receivedOn) {
      refuseInput(`A clock event cannot be dated ${formatDate(event.on)}: that is before ${rules.label} was received (${formatDate(receivedOn)}).`, "on");
    }
    if (event.on > asOf) refuseInput(`A clock event cannot be dated ${formatDate(event.on)}, after ${formatDate(asOf)}: record it on the day it happens.`, "on");
    const allowed =
      event.kind === "stopped" || event.kind === "restarted"
        ? rules.stops.length > 0
        : event.kind === "extended"
          ? rules.extension !== "none"
          : event.kind === "updated"
            ? rules.updates
            : REVIEW_EVENTS.includes(event.kind)
              ? rules.reviewOutcome
              : rules.lateApplication;
    if (!allowed) {
      const why = event.kind === "stopped" || event.kind === "restarted" ? rules.noStop : event.kind === "extended" ? rules.noExtension : undefined;
      refuse(`You cannot ${EVENT_NAMES[event.kind]} on ${rules.label}${why ? `: ${why}` : ""}.`, "kind");
    }
    if ("reason" in event && event.reason.trim() === "") {
      refuseInput("Give the reason: it goes on the timeline and in the published figures.", "reason");
    }
  }
  return [...events].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** Refuses a stop for a reason the type does not stop for. */
export function checkStopReason(type: ClockType, awaiting: StopReason): void {
  const rules = CLOCK_RULES[type];
  if (!rules.stops.includes(awaiting)) {
    refuse(`You cannot stop the clock on ${rules.label} to await ${awaiting === "identity" ? "proof of identity" : "clarification"}${rules.noStop ? `: ${rules.noStop}` : ""}.`, "awaiting");
  }
}

/** Counts days between two dates in a clock's unit, as WorkingDays.workingDaysBetween does. */
export type DayCounter = (from: LocalDate, to: LocalDate) => number;

export function dayCounter(unit: CountingUnit, calendar?: WorkingDays): DayCounter {
  if (unit === "calendar_days") return (from, to) => Math.max(0, calendarDaysBetween(from, to));
  if (!calendar) throw new Error(`A ${unit} clock needs its calendar.`);
  return (from, to) => calendar.workingDaysBetween(from, to);
}

/** A due date as it reads on `asOf`. */
export function readDeadline(step: ClockStep, due: LocalDate | null, unit: CountingUnit, asOf: LocalDate, count: DayCounter): ClockDeadline {
  const base = { step, due, unit, daysRemaining: 0, daysLate: 0 };
  if (due === null) return { ...base, state: "stopped" };
  if (asOf === due) return { ...base, state: "due_today" };
  if (asOf < due) return { ...base, state: "pending", daysRemaining: count(asOf, due) };
  return { ...base, state: "overdue", daysLate: count(due, asOf) };
}
