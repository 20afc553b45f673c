import type { Clock } from "../../src/domain/ports.ts";

/** A clock the test sets: deadlines and staleness on any day, Christmas included. */
export class TestClock implements Clock {
  private current: Date;

  constructor(start: string | Date) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string | Date): void {
    this.current = new Date(instant);
  }

  /** Moves to 10:00 London time on a date (GMT in winter, BST in summer). */
  setLondonMorning(date: string): void {
    const month = Number(date.slice(5, 7));
    const summer = month >= 4 && month <= 10;
    this.current = new Date(`${date}T${summer ? "09" : "10"}:00:00Z`);
  }
}
