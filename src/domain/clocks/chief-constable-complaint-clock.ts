import { addDays, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingDays } from "../calendar/uk-working-days.ts";
import type { ClockEvent, ClockSettings } from "./clock.schema.ts";
import { checkedEvents, dayCounter, readDeadline, type ClockDeadline, type ClockReading } from "./clock.ts";

/**
 * A complaint about the Chief Constable, for which the PCC is the appropriate authority
 * (Police Reform Act 2002, Schedule 3), as the office's standard sets its clocks:
 *
 * - The recording decision (record it, or decide not to and say why) within 10 working days of
 *   receipt, counted on the office's calendar.
 * - An update to the complainant at least every 28 calendar days while the complaint is open:
 *   the next is due 28 days after the last update, or after receipt before the first. Any
 *   letter, email, call or meeting with the complainant is an update.
 * - Nothing stops or extends the clock. Both figures are settings.
 */

export interface ChiefConstableComplaintInput {
  receivedOn: LocalDate;
  /** The day the complaint was closed, if it is: no update is owed after it. */
  closedOn?: LocalDate | null;
  events: readonly ClockEvent[];
}

export interface ChiefConstableComplaintReading extends ClockReading {
  type: "chief_constable_complaint";
  /** The last update to the complainant, if any. */
  lastUpdateOn: LocalDate | null;
}

export function readChiefConstableComplaintClock(
  input: ChiefConstableComplaintInput,
  ctx: { asOf: LocalDate; calendar: WorkingDays; settings: ClockSettings["chiefConstableComplaint"] },
): ChiefConstableComplaintReading {
  let lastUpdateOn: LocalDate | null = null;
  for (const event of checkedEvents("chief_constable_complaint", input.events, input.receivedOn, ctx.asOf)) {
    if (event.kind === "updated") lastUpdateOn = event.on;
  }
  const deadlines: ClockDeadline[] = [
    readDeadline("recording", ctx.calendar.addWorkingDays(input.receivedOn, ctx.settings.recordWorkingDays), "working_days", ctx.asOf, dayCounter("working_days", ctx.calendar)),
  ];
  const open = !input.closedOn || input.closedOn > ctx.asOf;
  if (open) {
    const nextUpdate = addDays(lastUpdateOn ?? input.receivedOn, ctx.settings.updateEveryDays);
    deadlines.push(readDeadline("update", nextUpdate, "calendar_days", ctx.asOf, dayCounter("calendar_days")));
  }
  return {
    type: "chief_constable_complaint",
    asOf: ctx.asOf,
    status: "running",
    startedOn: input.receivedOn,
    stop: null,
    deadlines,
    stops: [],
    extensions: [],
    lastUpdateOn,
  };
}
