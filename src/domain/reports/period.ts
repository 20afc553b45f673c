import { z } from "zod";
import { addDays, formatDate, isLocalDate, type LocalDate } from "../calendar/local-date.ts";
import { parseInput } from "../errors.ts";

/** A reporting period: London dates, both ends included. */
export interface Period {
  from: LocalDate;
  to: LocalDate;
  label: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PERIOD_HELP = "Give the period as YYYY-MM, YYYY-MM..YYYY-MM, or days as YYYY-MM-DD..YYYY-MM-DD.";

/** One end of a period: a whole month or a single day. */
const endSchema = z.string().superRefine((end, ctx) => {
  if (MONTH.test(end) || (DAY.test(end) && isLocalDate(end))) return;
  const message = /^\d{4}-\d{2}$/.test(end) ? "Months run from 01 to 12." : DAY.test(end) ? `${end} is not a date in the calendar.` : PERIOD_HELP;
  ctx.addIssue({ code: "custom", message });
});

export const periodSchema = z
  .string()
  .trim()
  .regex(/^[\d-]+(\.\.[\d-]+)?$/, PERIOD_HELP)
  .pipe(
    z
      .string()
      .transform((text) => text.split("..") as [string] | [string, string])
      .pipe(z.tuple([endSchema]).or(z.tuple([endSchema, endSchema])))
      .refine(([first, last = first]) => first.length === last.length, "Give both ends as months (YYYY-MM..YYYY-MM) or both as days (YYYY-MM-DD..YYYY-MM-DD).")
      .refine(([first, last = first]) => first <= last, "The period's first day must not be after its last."),
  )
  .optional();

function lastDayOf(month: string): LocalDate {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return addDays(`${m === 12 ? year + 1 : year}-${String(m === 12 ? 1 : m + 1).padStart(2, "0")}-01`, -1);
}

function monthName(month: string): string {
  return formatDate(`${month}-01`).split(" ").slice(2).join(" ");
}

/** `YYYY-MM`, `YYYY-MM..YYYY-MM`, `YYYY-MM-DD[..YYYY-MM-DD]`, or nothing for the last complete month before `today`. */
export function parsePeriod(raw: unknown, today: LocalDate): Period {
  const ends = parseInput(periodSchema, raw === "" ? undefined : raw);
  if (!ends) {
    const previous = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    return { from: `${previous}-01`, to: lastDayOf(previous), label: monthName(previous) };
  }
  const [first, last = first] = ends;
  if (DAY.test(first)) {
    return { from: first, to: last, label: first === last ? formatDate(first) : `${formatDate(first)} to ${formatDate(last)}` };
  }
  return {
    from: `${first}-01`,
    to: lastDayOf(last),
    label: first === last ? monthName(first) : `${monthName(first)} to ${monthName(last)}`,
  };
}
