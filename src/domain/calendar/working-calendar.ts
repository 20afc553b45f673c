import Holidays from "date-holidays";
import { addDays, dayOfWeek, type LocalDate } from "./local-date.ts";

/** The UK nations whose bank holidays the office can follow. */
export const NATIONS = {
  "england-and-wales": "ENG",
  scotland: "SCT",
  "northern-ireland": "NIR",
} as const;
export type Nation = keyof typeof NATIONS;

/**
 * Working days: Monday–Friday less the nation's bank holidays (substitute days
 * included) less the office's own closure days.
 */
export class WorkingCalendar {
  private readonly holidays: Holidays;
  private readonly closures: ReadonlySet<LocalDate>;
  private readonly holidaysByYear = new Map<number, ReadonlySet<LocalDate>>();
  /** Answers already worked out: the calendar never changes once made, and every case view asks the same few questions. */
  private readonly answers = new Map<string, LocalDate | number>();

  constructor(nation: Nation = "england-and-wales", closureDays: readonly LocalDate[] = []) {
    this.holidays = new Holidays("GB", NATIONS[nation]);
    this.closures = new Set(closureDays);
  }

  isWorkingDay(date: LocalDate): boolean {
    const weekday = dayOfWeek(date);
    if (weekday === 0 || weekday === 6) return false;
    if (this.closures.has(date)) return false;
    return !this.bankHolidaysOf(Number(date.slice(0, 4))).has(date);
  }

  /**
   * The end of working day `n` counted from `start`, as the ICO counts: `start`
   * is day 0 whatever kind of day it is, day 1 the first working day after it.
   */
  addWorkingDays(start: LocalDate, n: number): LocalDate {
    return this.remembered(`add ${start} ${n}`, () => this.countForward(start, n));
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    return this.remembered(`between ${from} ${to}`, () => this.countBetween(from, to));
  }

  private countForward(start: LocalDate, n: number): LocalDate {
    let date = start;
    for (let counted = 0; counted < n; ) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) counted += 1;
    }
    return date;
  }

  private countBetween(from: LocalDate, to: LocalDate): number {
    let count = 0;
    for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
      if (this.isWorkingDay(date)) count += 1;
    }
    return count;
  }

  private remembered<Answer extends LocalDate | number>(question: string, work: () => Answer): Answer {
    const known = this.answers.get(question);
    if (known !== undefined) return known as Answer;
    // Bounded: a long-running process forgets and starts again rather than growing.
    if (this.answers.size >= 10_000) this.answers.clear();
    const answer = work();
    this.answers.set(question, answer);
    return answer;
  }

  private bankHolidaysOf(year: number): ReadonlySet<LocalDate> {
    let days = this.holidaysByYear.get(year);
    if (!days) {
      days = new Set(
        this.holidays
          .getHolidays(year)
          .filter((holiday) => holiday.type === "public" || holiday.type === "bank")
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      this.holidaysByYear.set(year, days);
    }
    return days;
  }
}
