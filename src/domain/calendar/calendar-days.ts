import { type LocalDate } from "./local-date.ts";

/**
 * Calendar-day and calendar-month arithmetic on local dates, for the clocks the law sets in
 * days and months rather than working days (statutory-clocks.md).
 */

const DAY_MS = 86_400_000;

/** Days from `from` to `to`: 1 for the next day, negative when `to` is earlier. */
export function calendarDaysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The last day of a month (month 1–12): 28, 29, 30 or 31. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The corresponding date `months` months on, or that month's last day when it has no such date:
 * 31 Jan + 1 → 28 Feb (29 Feb in a leap year), 31 Mar + 1 → 30 Apr, 15 Jan + 1 → 15 Feb.
 * Always counted from the date given, never month by month (31 Jan + 2 is 31 Mar, not 28 Mar).
 */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, "0")}-${String(targetMonth).padStart(2, "0")}-${String(targetDay).padStart(2, "0")}`;
}
