import { addCalendarMonths, calendarDaysBetween } from "../calendar/calendar-days.ts";
import { addDays, formatDate, type LocalDate } from "../calendar/local-date.ts";
import type { ClockEvent } from "./clock.schema.ts";
import { checkedEvents, checkStopReason, dayCounter, readDeadline, refuse, refuseInput, type ClockExtension, type ClockReading, type ClockStop } from "./clock.ts";

/**
 * A subject-access request (UK GDPR arts. 12(3) and 12A, as the Data (Use and Access) Act 2025
 * set them; ICO right-of-access guidance). Calendar days throughout.
 *
 * - Due one month after the relevant time: the corresponding date of the next month, or that
 *   month's last day when it has none (31 Jan → 28 or 29 Feb). The relevant time is day 0: the
 *   day of receipt, whatever its kind (ICO).
 * - Awaiting proof of identity stops the clock; the day the proof arrives is the new relevant
 *   time (art. 12A: the latest of receipt and receipt of the information asked for), and the month
 *   starts afresh from it.
 * - Awaiting clarification (which information, which processing) pauses the clock: the days from
 *   the day it was asked for to the day it arrived, both included, do not count (art. 12A), so
 *   the due date moves on by that many days (less the day of receipt itself, which never counted).
 * - An extension of one or two further months (two in all at most), with a reason, told to the
 *   requester within the first month (by the one-month date, pauses included). The extended date
 *   is counted from the relevant time, as the ICO counts it (31 Jan + 3 months → 30 Apr), plus
 *   the paused days.
 * - The clock does not stop once the request is late, nor extend while it is stopped.
 */

/** The law's month and its most extension (art. 12A). */
export const SAR_MONTHS = 1;
export const SAR_MAX_EXTENSION_MONTHS = 2;

export interface SarInput {
  receivedOn: LocalDate;
  events: readonly ClockEvent[];
}

export interface SarReading extends ClockReading {
  type: "subject_access_request";
  /** The day the month counts from: receipt, or the proof of identity. */
  relevantTime: LocalDate;
  /** Calendar days paused awaiting clarification since the relevant time. */
  pausedDays: number;
  /** Months of extension given (0, 1 or 2). */
  extensionMonths: number;
  /** The one-month date with pauses: the last day to tell the requester of an extension. Null while stopped. */
  firstMonthEnds: LocalDate | null;
}

export function readSarClock(input: SarInput, ctx: { asOf: LocalDate }): SarReading {
  let relevantTime = input.receivedOn;
  let pausedDays = 0;
  let extensionMonths = 0;
  let stop: ClockStop | null = null;
  const stops: ClockStop[] = [];
  const extensions: ClockExtension[] = [];
  const firstMonthEnds = (): LocalDate => addDays(addCalendarMonths(relevantTime, SAR_MONTHS), pausedDays);
  const due = (): LocalDate => addDays(addCalendarMonths(relevantTime, SAR_MONTHS + extensionMonths), pausedDays);

  for (const event of checkedEvents("subject_access_request", input.events, input.receivedOn, ctx.asOf)) {
    if (event.kind === "stopped") {
      checkStopReason("subject_access_request", event.awaiting);
      if (stop) refuse(`The clock has been stopped since ${formatDate(stop.on)}, awaiting ${awaitingText(stop)}. Record the reply first (it restarts the clock).`, "kind");
      if (event.on > due()) {
        refuse(`The request was due ${formatDate(due())}, before ${awaitingText(event)} was asked for (${formatDate(event.on)}): the clock cannot stop once a request is late.`, "on");
      }
      stop = { on: event.on, awaiting: event.awaiting, reason: event.reason.trim(), restartedOn: null };
      stops.push(stop);
    } else if (event.kind === "restarted") {
      if (!stop) refuse("The clock of this subject-access request is not stopped, so there is nothing to restart. Record what was asked for first.", "kind");
      stop.restartedOn = event.on;
      if (stop.awaiting === "identity") {
        // The proof of identity is the new relevant time: a fresh month, earlier pauses behind it.
        relevantTime = event.on;
        pausedDays = 0;
      } else {
        // From the day asked to the day answered, both included, but never the relevant time itself (day 0 does not count).
        const firstCounted = stop.on > relevantTime ? stop.on : addDays(relevantTime, 1);
        pausedDays += Math.max(0, calendarDaysBetween(firstCounted, event.on) + 1);
      }
      stop = null;
    } else if (event.kind === "extended") {
      if (stop) refuse(`The clock has been stopped since ${formatDate(stop.on)}, awaiting ${awaitingText(stop)}. Extend it, if need be, once the reply restarts it.`, "kind");
      if (event.to !== undefined || event.months === undefined) refuseInput("A subject-access request is extended by whole months: give 1 or 2.", "months");
      const left = SAR_MAX_EXTENSION_MONTHS - extensionMonths;
      if (event.months > left) {
        refuseInput(
          left === 0
            ? "This request is already extended by two months, the most the law allows (UK GDPR art. 12A)."
            : extensionMonths === 0
              ? "A subject-access request can be extended by two months at most (UK GDPR art. 12A): give 1 or 2."
              : `A subject-access request can be extended by two months at most (UK GDPR art. 12A); this one is already extended by ${extensionMonths}, so give 1.`,
          "months",
        );
      }
      if (event.on > firstMonthEnds()) {
        refuse(`An extension must be told to the requester within the first month, by ${formatDate(firstMonthEnds())}; ${formatDate(event.on)} is too late.`, "on");
      }
      const from = due();
      extensionMonths += event.months;
      extensions.push({ on: event.on, reason: event.reason.trim(), from, to: due() });
    }
  }

  return {
    type: "subject_access_request",
    asOf: ctx.asOf,
    status: stop ? "stopped" : "running",
    startedOn: relevantTime,
    stop,
    deadlines: [readDeadline("response", stop ? null : due(), "calendar_days", ctx.asOf, dayCounter("calendar_days"))],
    stops,
    extensions,
    relevantTime,
    pausedDays,
    extensionMonths,
    firstMonthEnds: stop ? null : firstMonthEnds(),
  };
}

function awaitingText(stop: Pick<ClockStop, "awaiting">): string {
  return stop.awaiting === "identity" ? "proof of identity" : "clarification";
}
