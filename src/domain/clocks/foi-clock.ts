import { formatDate, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingDays } from "../calendar/uk-working-days.ts";
import type { ClockEvent, ClockSettings } from "./clock.schema.ts";
import { checkedEvents, checkStopReason, dayCounter, readDeadline, refuse, refuseInput, type ClockExtension, type ClockReading, type ClockStop } from "./clock.ts";

/**
 * A Freedom of Information request (Freedom of Information Act 2000, s.10), and its internal
 * review (s.45 code of practice, ICO guidance). Both count the Act's working days
 * (UkWorkingDays): not a weekend, Christmas Day, Good Friday or a bank holiday in any part of the UK.
 *
 * Request:
 * - Due at the end of the 20th working day after receipt: the day of receipt is day 0, day 1 the
 *   first working day after it (s.10(1)).
 * - While clarification is awaited (s.1(3)) the clock is stopped and has no due date. The reply is
 *   the new date of receipt (s.10(6)(b)): a fresh 20 working days counted from it as day 0.
 *   Clarification is asked for before the request is worked: not once it is late, nor after an extension.
 * - An extension for the public-interest test (s.10(3)) is a new date with a reason, given by the
 *   due date (with the s.17(2) notice). It may run at most 20 working days (a setting) past the
 *   original due date, ICO's "normally no more than a further 20 working days". A further extension
 *   within that limit may follow, given by the date then in force.
 *
 * Internal review (a new cycle, counted from the request for review as day 0):
 * - Due in 20 working days; extendable to a new date with a reason, given by the due date, to at
 *   most 40 working days from the request for review (exceptional cases).
 * - A review asked for more than 40 working days after the response is flagged: the office may
 *   refuse it. Nothing stops the review's clock.
 */

/** The Act's 20 working days (s.10(1)). */
export const FOI_WORKING_DAYS = 20;

export interface FoiRequestInput {
  receivedOn: LocalDate;
  events: readonly ClockEvent[];
}

export interface FoiRequestReading extends ClockReading {
  type: "foi_request";
  /** 20 working days from the current day 0, before any extension; null while stopped. */
  originalDue: LocalDate | null;
}

export function readFoiRequestClock(
  input: FoiRequestInput,
  ctx: { asOf: LocalDate; calendar: WorkingDays; settings: ClockSettings["foi"] },
): FoiRequestReading {
  const { calendar } = ctx;
  let startedOn = input.receivedOn;
  let originalDue: LocalDate = calendar.addWorkingDays(startedOn, FOI_WORKING_DAYS);
  let due: LocalDate = originalDue;
  let stop: ClockStop | null = null;
  const stops: ClockStop[] = [];
  const extensions: ClockExtension[] = [];

  for (const event of checkedEvents("foi_request", input.events, input.receivedOn, ctx.asOf)) {
    if (event.kind === "stopped") {
      checkStopReason("foi_request", event.awaiting);
      if (stop) refuse(`The clock has been stopped since ${formatDate(stop.on)}, awaiting clarification. Record the reply first (it restarts the clock).`, "kind");
      if (extensions.length > 0) {
        refuse(`The request was extended on ${formatDate(extensions[0]!.on)} for the public-interest test, so it is past clarification: the clock cannot stop now.`, "kind");
      }
      if (event.on > due) {
        refuse(`The request was due ${formatDate(due)}, before clarification was asked for (${formatDate(event.on)}): the clock cannot stop once a request is late.`, "on");
      }
      stop = { on: event.on, awaiting: event.awaiting, reason: event.reason.trim(), restartedOn: null };
      stops.push(stop);
    } else if (event.kind === "restarted") {
      if (!stop) refuse("The clock of this FOI request is not stopped, so there is nothing to restart. Record the request for clarification first.", "kind");
      stop.restartedOn = event.on;
      stop = null;
      // The reply is the new date of receipt (s.10(6)(b)): a fresh 20 working days.
      startedOn = event.on;
      originalDue = due = calendar.addWorkingDays(startedOn, FOI_WORKING_DAYS);
    } else if (event.kind === "extended") {
      if (stop) refuse(`The clock has been stopped since ${formatDate(stop.on)}, awaiting clarification. Extend it, if need be, once the reply restarts it.`, "kind");
      const limit = calendar.addWorkingDays(originalDue, ctx.settings.publicInterestExtensionWorkingDays);
      const from = due;
      due = extendTo(event, due, limit, `${ctx.settings.publicInterestExtensionWorkingDays} working days past the original due date (${formatDate(originalDue)})`);
      extensions.push({ on: event.on, reason: event.reason.trim(), from, to: due });
    }
  }

  const deadlineDue = stop ? null : due;
  return {
    type: "foi_request",
    asOf: ctx.asOf,
    status: stop ? "stopped" : "running",
    startedOn,
    stop,
    deadlines: [readDeadline("response", deadlineDue, "uk_working_days", ctx.asOf, dayCounter("uk_working_days", calendar))],
    stops,
    extensions,
    originalDue: stop ? null : originalDue,
  };
}

export interface FoiInternalReviewInput {
  /** The day the request for an internal review was received: day 0 of the review. */
  receivedOn: LocalDate;
  /** The day the response under review was sent, if known. */
  responseSentOn?: LocalDate | null;
  events: readonly ClockEvent[];
}

export interface FoiInternalReviewReading extends ClockReading {
  type: "foi_internal_review";
  /** Asked for more than 40 working days (a setting) after the response: the office may refuse the review. */
  requestedLate: boolean;
}

export function readFoiInternalReviewClock(
  input: FoiInternalReviewInput,
  ctx: { asOf: LocalDate; calendar: WorkingDays; settings: ClockSettings["foi"] },
): FoiInternalReviewReading {
  const { calendar, settings } = ctx;
  if (input.responseSentOn && input.responseSentOn > input.receivedOn) {
    refuseInput(`The response (${formatDate(input.responseSentOn)}) cannot be later than the request for its review (${formatDate(input.receivedOn)}): check both dates.`, "responseSentOn");
  }
  let due = calendar.addWorkingDays(input.receivedOn, settings.reviewWorkingDays);
  const limit = calendar.addWorkingDays(input.receivedOn, settings.reviewExceptionalWorkingDays);
  const extensions: ClockExtension[] = [];
  for (const event of checkedEvents("foi_internal_review", input.events, input.receivedOn, ctx.asOf)) {
    if (event.kind !== "extended") continue;
    const from = due;
    due = extendTo(event, due, limit, `${settings.reviewExceptionalWorkingDays} working days from the request for review (${formatDate(input.receivedOn)}), the most for an exceptional case`);
    extensions.push({ on: event.on, reason: event.reason.trim(), from, to: due });
  }
  const requestedLate = input.responseSentOn ? calendar.workingDaysBetween(input.responseSentOn, input.receivedOn) > settings.reviewRequestWithinWorkingDays : false;
  return {
    type: "foi_internal_review",
    asOf: ctx.asOf,
    status: "running",
    startedOn: input.receivedOn,
    stop: null,
    deadlines: [readDeadline("response", due, "uk_working_days", ctx.asOf, dayCounter("uk_working_days", calendar))],
    stops: [],
    extensions,
    requestedLate,
  };
}

/** The new due date of an extension to a date, refusing one given too late, not later, or past `limit`. */
function extendTo(event: Extract<ClockEvent, { kind: "extended" }>, due: LocalDate, limit: LocalDate, limitText: string): LocalDate {
  if (event.months !== undefined || event.to === undefined) refuseInput("An FOI extension is to a new date: give the date it is extended to.", "to");
  if (event.on > due) {
    refuse(`It was due ${formatDate(due)}: an extension must be given by the due date, and ${formatDate(event.on)} is after it.`, "on");
  }
  if (event.to <= due) refuseInput(`The new date must be later than the date it is due now (${formatDate(due)}).`, "to");
  if (event.to > limit) refuseInput(`An extension may run at most ${limitText}: choose ${formatDate(limit)} or earlier.`, "to");
  return event.to;
}
