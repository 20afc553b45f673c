import { addDays, dayOfWeek, type LocalDate } from "./local-date.ts";
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
export class UkWorkingDays implements WorkingDays {
  private readonly nations: readonly WorkingCalendar[] = (Object.keys(NATIONS) as Nation[]).map((nation) => new WorkingCalendar(nation));
  /** Answers already worked out, as WorkingCalendar keeps them: the calendar never changes once made. */
  private readonly answers = new Map<string, LocalDate | number>();

  isWorkingDay(date: LocalDate): boolean {
    const weekday = dayOfWeek(date);
    if (weekday === 0 || weekday === 6) return false;
    return this.nations.every((calendar) => calendar.isWorkingDay(date));
  }

  addWorkingDays(start: LocalDate, n: number): LocalDate {
    return this.remembered(`add ${start} ${n}`, () => {
      let date = start;
      for (let counted = 0; counted < n; ) {
        date = addDays(date, 1);
        if (this.isWorkingDay(date)) counted += 1;
      }
      return date;
    });
  }

  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    return this.remembered(`between ${from} ${to}`, () => {
      let count = 0;
      for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
        if (this.isWorkingDay(date)) count += 1;
      }
      return count;
    });
  }

  private remembered<Answer extends LocalDate | number>(question: string, work: () => Answer): Answer {
    const known = this.answers.get(question);
    if (known !== undefined) return known as Answer;
    if (this.answers.size >= 10_000) this.answers.clear();
    const answer = work();
    this.answers.set(question, answer);
    return answer;
  }
}
