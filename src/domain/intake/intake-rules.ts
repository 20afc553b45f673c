import { addDays, endOfLondonDay, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";

/**
 * An email is decided within one working day: recorded on day 0 (whatever kind of day), it must
 * be logged, added to a case or dismissed by the end of working day 1. Counted as the office
 * counts its deadlines (DOMAIN.md), in London time.
 */
export const TRIAGE_WORKING_DAYS = 1;

/** The instant before which a message still undecided on `today` is past its working day: recorded on a day whose working day 1 ended before today. */
export function unaccountedBefore(today: LocalDate, calendar: WorkingCalendar): Date {
  let day = addDays(today, -1);
  while (calendar.addWorkingDays(day, TRIAGE_WORKING_DAYS) >= today) day = addDays(day, -1);
  return new Date(endOfLondonDay(day).getTime() + 1);
}

/** The first instant of a London day. */
export function startOfLondonDay(date: LocalDate): Date {
  return new Date(endOfLondonDay(addDays(date, -1)).getTime() + 1);
}
