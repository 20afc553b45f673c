import type { LocalDate } from "./local-date.ts";
import { NATIONS, WorkingCalendar, type Nation } from "./working-calendar.ts";

/** What a clock needs of a calendar. `WorkingCalendar` (the office's) is one; `UkWorkingDays` another. */
export interface WorkingDays {
  isWorkingDay(date: LocalDate): boolean;
  /** The end of working day `n` counted from `start` (day 0 whatever its kind). */
  addWorkingDays(start: LocalDate, n: number): LocalDate;
  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
}

/**
 * Working days as the Freedom of Information Act 2000 defines them (s.10(6)): any day but a
 * Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday in *any* part of the United
 * Kingdom. So 2 January and St Andrew's Day (Scotland) and 17 March and 12 July (Northern
 * Ireland) are not working days for an office in England either.
 *
 * The office's closure days are not excluded: the Act does not stop for an office's shutdown.
 */
export class UkWorkingDays extends WorkingCalendar implements WorkingDays {
  private readonly nations: readonly WorkingCalendar[] = (Object.keys(NATIONS) as Nation[]).map((nation) => new WorkingCalendar(nation));

  /** Counting forward and between (and remembering answers) is WorkingCalendar's own; only what a working day is differs. */
  override isWorkingDay(date: LocalDate): boolean {
    return this.nations.every((calendar) => calendar.isWorkingDay(date));
  }
}
