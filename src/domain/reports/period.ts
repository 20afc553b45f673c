import { z } from "zod";
import { addDays, formatDate, type LocalDate } from "../calendar/local-date.ts";
import { parseInput } from "../errors.ts";

/** A reporting period: whole calendar months, London dates, both ends included. */
export interface Period {
  from: LocalDate;
  to: LocalDate;
  label: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const periodSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}(\.\.\d{4}-\d{2})?$/, "Give the period as YYYY-MM or YYYY-MM..YYYY-MM.")
  .refine((text) => text.split("..").every((month) => MONTH.test(month)), "Months run from 01 to 12.")
  .refine((text) => {
    const [first, last = first] = text.split("..");
    return first! <= last!;
  }, "The period's first month must not be after its last.")
  .optional();

function lastDayOf(month: string): LocalDate {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return addDays(`${m === 12 ? year + 1 : year}-${String(m === 12 ? 1 : m + 1).padStart(2, "0")}-01`, -1);
}

function monthName(month: string): string {
  return formatDate(`${month}-01`).split(" ").slice(2).join(" ");
}

/** `YYYY-MM`, `YYYY-MM..YYYY-MM`, or nothing for the last complete month before `today`. */
export function parsePeriod(raw: unknown, today: LocalDate): Period {
  const text = parseInput(periodSchema, raw === "" ? undefined : raw);
  if (!text) {
    const previous = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    return { from: `${previous}-01`, to: lastDayOf(previous), label: monthName(previous) };
  }
  const [first, last = first] = text.split("..") as [string, string?];
  return {
    from: `${first}-01`,
    to: lastDayOf(last),
    label: first === last ? monthName(first) : `${monthName(first)} to ${monthName(last)}`,
  };
}
