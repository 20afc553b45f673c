/**
 * Calendar dates as the office reads them: `YYYY-MM-DD` strings in Europe/London.
 * Strings rather than Date objects, because a date of receipt is a day on a
 * letter, not an instant, and must not shift with time zones or clock changes.
 */
export type LocalDate = string;

export const OFFICE_TIME_ZONE = "Europe/London";
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const londonDateFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: OFFICE_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const londonOffsetFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: OFFICE_TIME_ZONE,
  timeZoneName: "longOffset",
});
// Spelt out rather than left to Intl, whose en-GB data writes "Sept" in some ICU versions.
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The London calendar date of an instant. */
export function londonDateOf(instant: Date): LocalDate {
  return londonDateFormat.format(instant);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The last instant of a London day, 23:59:59.999 local time, in summer time too. */
export function endOfLondonDay(date: LocalDate): Date {
  // The offset at local noon is the day's offset everywhere but the clock-change
  // hour itself, which is well before the end of the day.
  const noon = new Date(`${date}T12:00:00Z`);
  const offset = londonOffsetFormat.format(noon).match(/GMT([+-]\d{2}):(\d{2})/);
  const offsetMinutes = offset ? Number(offset[1]) * 60 + Math.sign(Number(offset[1])) * Number(offset[2]) : 0;
  return new Date(Date.parse(`${date}T23:59:59.999Z`) - offsetMinutes * 60_000);
}

/** How dates are shown to people: `Wed 30 Dec 2026`. */
export function formatDate(date: LocalDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${WEEKDAYS[dayOfWeek(date)]} ${day} ${MONTHS[month - 1]} ${year}`;
}

const londonClockFormat = new Intl.DateTimeFormat("en-GB", { timeZone: OFFICE_TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** An instant as people read it, in London time: `Wed 2 Dec 2026 14:05`. */
export function formatDateTime(instant: Date): string {
  return `${formatDate(londonDateOf(instant))} ${londonClockFormat.format(instant)}`;
}

/** Prisma maps a SQL DATE to a Date at UTC midnight. */
export function localDateFromDb(value: Date): LocalDate {
  return value.toISOString().slice(0, 10);
}

export function localDateToDb(date: LocalDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** An instant given as a London wall-clock time (`HH:MM`) on a date, in summer time too. */
export function londonTimeOn(date: LocalDate, time: string): Date {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  const midnightLondon = endOfLondonDay(addDays(date, -1)).getTime() + 1;
  // Correct for a clock change between midnight and the time (never at office hours in the UK, but be exact).
  const guess = new Date(midnightLondon + (hours * 60 + minutes) * 60_000);
  const drift = (Number(londonHourOf(guess)) - hours) * 60;
  return drift ? new Date(guess.getTime() - drift * 60_000) : guess;
}

const londonHourFormat = new Intl.DateTimeFormat("en-GB", { timeZone: OFFICE_TIME_ZONE, hour: "2-digit", hourCycle: "h23" });
function londonHourOf(instant: Date): string {
  return londonHourFormat.format(instant);
}
