import { describe, expect, it } from "vitest";
import { addCalendarMonths } from "../../src/domain/calendar/calendar-days.ts";
import { UkWorkingDays } from "../../src/domain/calendar/uk-working-days.ts";
import { WorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { clockEventSchema, clockSettingsSchema, DEFAULT_CLOCK_SETTINGS, type ClockEvent } from "../../src/domain/clocks/clock.schema.ts";
import { readCaseClock, type CaseClockInput, type CaseClockReading, type ClockContext } from "../../src/domain/clocks/statutory-clocks.ts";
import { DomainError } from "../../src/domain/errors.ts";

/**
 * The statutory clocks (docs/statutory-clocks.md) held to dates worked out by hand. Bank holidays
 * as date-holidays has them, printed and checked by hand: 2 Jan 2027 (Sat) is Scotland's substitute
 * Mon 4 Jan; 2028's New Year substitutes are Mon 3 Jan (everywhere) and Tue 4 Jan (Scotland);
 * 12 Jul 2026 (Sun) is Northern Ireland's substitute Mon 13 Jul.
 */

const englandAndWales = new WorkingCalendar("england-and-wales");
const uk = new UkWorkingDays();

function clock(input: CaseClockInput, asOf: string, overrides: Partial<ClockContext> = {}): CaseClockReading {
  return readCaseClock(input, { asOf, officeCalendar: englandAndWales, ukCalendar: uk, settings: DEFAULT_CLOCK_SETTINGS, ...overrides });
}

function due(input: CaseClockInput, asOf: string, overrides: Partial<ClockContext> = {}): (string | null)[] {
  return clock(input, asOf, overrides).deadlines.map((deadline) => deadline.due);
}

function refusal(read: () => unknown): DomainError {
  try {
    read();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const stop = (on: string, awaiting: "clarification" | "identity" = "clarification"): ClockEvent => ({ kind: "stopped", on, awaiting, reason: "Asked which documents are meant" });
const restart = (on: string): ClockEvent => ({ kind: "restarted", on });
const extendTo = (on: string, to: string): ClockEvent => ({ kind: "extended", on, to, reason: "Public-interest test (s.31)" });
const extendBy = (on: string, months: number): ClockEvent => ({ kind: "extended", on, months, reason: "Complex: records held by three teams" });

describe("calendar months: the corresponding date, or the month's last day", () => {
  it.each([
    ["2027-01-31", 1, "2027-02-28", "31 Jan 2027 → 28 Feb: 2027 is not a leap year"],
    ["2028-01-31", 1, "2028-02-29", "31 Jan 2028 → 29 Feb: a leap year"],
    ["2027-01-30", 1, "2027-02-28", "30 Jan → 28 Feb: no 30 Feb"],
    ["2026-03-31", 1, "2026-04-30", "31 Mar → 30 Apr: no 31 Apr"],
    ["2026-12-31", 1, "2027-01-31", "across the year end"],
    ["2027-01-31", 3, "2027-04-30", "three months from 31 Jan, not month by month (which would give 28 Apr)"],
    ["2028-02-29", 1, "2028-03-29", "29 Feb → 29 Mar"],
  ])("%s + %i month(s) is %s (%s)", (date, months, expected) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });
});

describe("the FOI Act's working days: a bank holiday in any part of the UK", () => {
  it.each([
    ["2026-01-02", "2 January: Scotland only"],
    ["2027-01-04", "Mon 4 Jan 2027: Scotland's substitute for 2 January, a Saturday"],
    ["2028-01-04", "Tue 4 Jan 2028: Scotland's New Year substitute"],
    ["2026-03-17", "St Patrick's Day: Northern Ireland only"],
    ["2026-07-13", "Mon 13 Jul 2026: Northern Ireland's substitute for 12 July, a Sunday"],
    ["2026-08-03", "first Monday of August: Scotland only"],
    ["2026-08-31", "last Monday of August: England, Wales and Northern Ireland"],
    ["2026-11-30", "St Andrew's Day, a Monday: Scotland only"],
    ["2026-04-06", "Easter Monday: not in Scotland, but elsewhere"],
    ["2026-12-28", "Mon 28 Dec 2026: Boxing Day's substitute"],
  ])("%s is not a working day (%s)", (date) => {
    expect(uk.isWorkingDay(date)).toBe(false);
  });

  it("counts the office's closure days as working days: the Act does not stop for a shutdown", () => {
    expect(uk.isWorkingDay("2026-12-29")).toBe(true);
    expect(uk.isWorkingDay("2026-07-14")).toBe(true);
  });
});

describe("FOI request: 20 working days after receipt, day of receipt day 0", () => {
  // received → due
  it.each([
    ["2026-03-02", "2026-03-31", "17 Mar (Northern Ireland) skipped: England alone would give Mon 30 Mar"],
    ["2026-12-10", "2027-01-13", "25 and 28 Dec, 1 Jan, and Scotland's 4 Jan 2027 skipped: England alone would give Tue 12 Jan"],
    ["2027-12-16", "2028-01-19", "27, 28 Dec 2027, Mon 3 and Tue 4 Jan 2028 (Scotland's New Year substitute) skipped"],
    ["2027-03-15", "2027-04-15", "17 Mar (NI), Good Friday 26 Mar and Easter Monday 29 Mar 2027 skipped"],
    ["2026-04-01", "2026-05-01", "Good Friday 3 Apr and Easter Monday 6 Apr 2026 skipped"],
    ["2027-07-02", "2027-08-03", "12 Jul (NI) and Mon 2 Aug 2027 (Scotland's summer holiday) skipped"],
    ["2026-07-20", "2026-08-18", "Mon 3 Aug 2026, Scotland's first Monday of August, skipped"],
    ["2026-11-16", "2026-12-15", "St Andrew's Day, Mon 30 Nov 2026, skipped"],
    ["2026-11-21", "2026-12-21", "received on a Saturday: still day 0; St Andrew's Day skipped"],
  ])("received %s: due %s (%s)", (receivedOn, expected) => {
    expect(due({ type: "foi_request", receivedOn, events: [] }, receivedOn)).toEqual([expected]);
  });

  it("reads days remaining and days late in the Act's working days", () => {
    const request: CaseClockInput = { type: "foi_request", receivedOn: "2026-11-16", events: [] };
    // Due Tue 15 Dec 2026: from Fri 11 Dec, Mon 14 and Tue 15 remain.
    expect(clock(request, "2026-12-11").deadlines[0]).toMatchObject({ state: "pending", daysRemaining: 2, daysLate: 0, unit: "uk_working_days" });
    expect(clock(request, "2026-12-15").deadlines[0]).toMatchObject({ state: "due_today", daysRemaining: 0 });
    // Wed 16 and Thu 17 Dec past it.
    expect(clock(request, "2026-12-17").deadlines[0]).toMatchObject({ state: "overdue", daysLate: 2 });
  });

  it("stops while clarification is awaited, then runs a fresh 20 working days from the reply", () => {
    const request: CaseClockInput = { type: "foi_request", receivedOn: "2026-03-02", events: [stop("2026-03-04")] };
    const stopped = clock(request, "2026-03-06");
    expect(stopped).toMatchObject({ status: "stopped", stop: { on: "2026-03-04", awaiting: "clarification", restartedOn: null }, originalDue: null });
    expect(stopped.deadlines[0]).toMatchObject({ due: null, state: "stopped" });
    // Reply Mon 9 Mar is the new day 0: 17 Mar (NI), Good Friday 3 Apr and Easter Monday 6 Apr skipped → Thu 9 Apr.
    const restarted = clock({ ...request, events: [...request.events, restart("2026-03-09")] }, "2026-03-10");
    expect(restarted).toMatchObject({ status: "running", startedOn: "2026-03-09", stop: null, stops: [{ on: "2026-03-04", restartedOn: "2026-03-09" }] });
    expect(restarted.deadlines[0]?.due).toBe("2026-04-09");
  });

  it("records a public-interest extension as a new date, up to 20 working days past the original", () => {
    // Due Tue 15 Dec 2026; 20 working days on (1 Jan and Scotland's 4 Jan skipped) is Mon 18 Jan 2027.
    const events = [extendTo("2026-12-10", "2027-01-15")];
    const extended = clock({ type: "foi_request", receivedOn: "2026-11-16", events }, "2026-12-10");
    expect(extended.deadlines[0]?.due).toBe("2027-01-15");
    expect(extended.extensions).toEqual([{ on: "2026-12-10", reason: "Public-interest test (s.31)", from: "2026-12-15", to: "2027-01-15" }]);
    // A further extension within the limit, given by the date then in force.
    expect(due({ type: "foi_request", receivedOn: "2026-11-16", events: [...events, extendTo("2027-01-14", "2027-01-18")] }, "2027-01-14")).toEqual(["2027-01-18"]);
  });

  it.each([
    ["an extension past the limit", [extendTo("2026-12-10", "2027-01-19")], "invalid_input", /at most 20 working days past the original due date \(Tue 15 Dec 2026\): choose Mon 18 Jan 2027 or earlier/],
    ["an extension given after the due date", [extendTo("2026-12-16", "2027-01-15")], "invalid_transition", /must be given by the due date/],
    ["an extension to a date no later", [extendTo("2026-12-10", "2026-12-15")], "invalid_input", /later than the date it is due now \(Tue 15 Dec 2026\)/],
    ["an extension by months", [extendBy("2026-12-10", 1)], "invalid_input", /to a new date/],
    ["a stop once the request is late", [stop("2026-12-16")], "invalid_transition", /due Tue 15 Dec 2026, before clarification was asked for/],
    ["a stop after an extension", [extendTo("2026-12-10", "2027-01-15"), stop("2026-12-11")], "invalid_transition", /extended on Thu 10 Dec 2026 for the public-interest test/],
    ["a restart without a stop", [restart("2026-11-20")], "invalid_transition", /not stopped, so there is nothing to restart/],
    ["a second stop", [stop("2026-11-18"), stop("2026-11-19")], "invalid_transition", /stopped since Wed 18 Nov 2026/],
    ["a stop awaiting proof of identity", [stop("2026-11-18", "identity")], "invalid_transition", /only clarification stops the FOI clock/],
    ["an extension while stopped", [stop("2026-11-18"), extendTo("2026-11-19", "2027-01-15")], "invalid_transition", /once the reply restarts it/],
  ])("refuses %s", (_name, events, code, message) => {
    expect(refusal(() => clock({ type: "foi_request", receivedOn: "2026-11-16", events }, "2027-01-20"))).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe("FOI internal review: a new cycle of 20 working days, 40 at most", () => {
  it("is due 20 working days after the request for review, extendable to 40", () => {
    // From Mon 14 Dec 2026: 25, 28 Dec, 1 Jan and Scotland's 4 Jan skipped → Fri 15 Jan 2027; 40 → Fri 12 Feb 2027.
    const review: CaseClockInput = { type: "foi_internal_review", receivedOn: "2026-12-14", events: [] };
    expect(due(review, "2026-12-14")).toEqual(["2027-01-15"]);
    expect(due({ ...review, events: [extendTo("2027-01-15", "2027-02-12")] }, "2027-01-15")).toEqual(["2027-02-12"]);
    expect(refusal(() => clock({ ...review, events: [extendTo("2027-01-15", "2027-02-15")] }, "2027-01-15"))).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/choose Fri 12 Feb 2027 or earlier/),
    });
    expect(refusal(() => clock({ ...review, events: [stop("2026-12-15")] }, "2026-12-15"))).toMatchObject({ code: "invalid_transition", message: expect.stringMatching(/cannot stop the clock on an FOI internal review/) });
  });

  it.each([
    ["2026-11-26", false, "Thu 26 Nov 2026 is the 40th working day after the response of Thu 1 Oct"],
    ["2026-11-27", true, "the 41st: the office may refuse the review"],
  ])("a review asked for on %s after a response of 1 Oct 2026: late %s (%s)", (receivedOn, late) => {
    const reading = clock({ type: "foi_internal_review", receivedOn, responseSentOn: "2026-10-01", events: [] }, receivedOn);
    expect(reading).toMatchObject({ requestedLate: late });
  });
});

describe("subject-access request: one calendar month, day of receipt day 0", () => {
  it.each([
    ["2027-01-31", "2027-02-28", "no 29 Feb in 2027 (a Sunday: the strict date, not the next working day)"],
    ["2028-01-31", "2028-02-29", "leap year"],
    ["2027-01-30", "2027-02-28", "no 30 Feb"],
    ["2026-03-31", "2026-04-30", "no 31 Apr"],
    ["2026-09-03", "2026-10-03", "the ICO's own example: 3 Sep → 3 Oct"],
    ["2026-12-25", "2027-01-25", "received on Christmas Day: calendar days, holidays make no difference"],
    ["2026-12-31", "2027-01-31", "across the year end"],
  ])("received %s: due %s (%s)", (receivedOn, expected) => {
    expect(due({ type: "subject_access_request", receivedOn, events: [] }, receivedOn)).toEqual([expected]);
  });

  it("reads days remaining and days late in calendar days", () => {
    const request: CaseClockInput = { type: "subject_access_request", receivedOn: "2027-01-31", events: [] };
    expect(clock(request, "2027-02-20").deadlines[0]).toMatchObject({ state: "pending", daysRemaining: 8, unit: "calendar_days" });
    expect(clock(request, "2027-03-03").deadlines[0]).toMatchObject({ state: "overdue", daysLate: 3 });
  });

  it("extends from the day of receipt, as the ICO counts: 31 Jan + 3 months is 30 Apr, not 28 Apr", () => {
    const base: CaseClockInput = { type: "subject_access_request", receivedOn: "2027-01-31", events: [] };
    expect(due({ ...base, events: [extendBy("2027-02-10", 2)] }, "2027-02-10")).toEqual(["2027-04-30"]);
    expect(due({ ...base, events: [extendBy("2027-02-10", 1)] }, "2027-02-10")).toEqual(["2027-03-31"]);
    // Two extensions of a month each, both within the first month (the last day of which is 28 Feb).
    const twice = clock({ ...base, events: [extendBy("2027-02-10", 1), extendBy("2027-02-28", 1)] }, "2027-02-28");
    expect(twice.deadlines[0]?.due).toBe("2027-04-30");
    expect(twice.extensions.map((extension) => [extension.from, extension.to])).toEqual([
      ["2027-02-28", "2027-03-31"],
      ["2027-03-31", "2027-04-30"],
    ]);
  });

  it("starts a fresh month from the day proof of identity arrives", () => {
    const events = [stop("2027-03-02", "identity"), restart("2027-03-10")];
    const reading = clock({ type: "subject_access_request", receivedOn: "2027-03-01", events }, "2027-03-10");
    expect(reading).toMatchObject({ status: "running", relevantTime: "2027-03-10", startedOn: "2027-03-10" });
    expect(reading.deadlines[0]?.due).toBe("2027-04-10");
    const waiting = clock({ type: "subject_access_request", receivedOn: "2027-03-01", events: events.slice(0, 1) }, "2027-03-05");
    expect(waiting).toMatchObject({ status: "stopped", firstMonthEnds: null, deadlines: [{ due: null, state: "stopped" }] });
  });

  it.each([
    [[stop("2027-03-05"), restart("2027-03-10")], "2027-04-07", 6, "paused 5–10 Mar, both days included: 1 Apr + 6"],
    [[stop("2027-03-01"), restart("2027-03-10")], "2027-04-10", 9, "asked on the day of receipt, which never counted: 2–10 Mar, as a fresh month from the reply"],
    [[stop("2027-03-05"), restart("2027-03-10"), extendBy("2027-04-07", 2)], "2027-06-07", 6, "extended on the last day of the first month (7 Apr with the pause): 1 Jun + 6"],
  ])("pauses while clarification is awaited (received 1 Mar 2027): due %#", (events, expected, pausedDays) => {
    const reading = clock({ type: "subject_access_request", receivedOn: "2027-03-01", events }, "2027-04-07");
    expect(reading).toMatchObject({ pausedDays, relevantTime: "2027-03-01" });
    expect(reading.deadlines[0]?.due).toBe(expected);
  });

  it("moves a due date at the month's end by the days paused", () => {
    // 31 Jan 2027 is due 28 Feb; paused 20–25 Feb (6 days) → 6 Mar.
    expect(due({ type: "subject_access_request", receivedOn: "2027-01-31", events: [stop("2027-02-20"), restart("2027-02-25")] }, "2027-02-25")).toEqual(["2027-03-06"]);
  });

  it.each([
    ["an extension of three months", [extendBy("2027-03-05", 3)], "invalid_input", /two months at most \(UK GDPR art. 12A\): give 1 or 2/],
    ["a third month", [extendBy("2027-03-05", 2), extendBy("2027-03-06", 1)], "invalid_input", /already extended by two months, the most the law allows/],
    ["two more after one", [extendBy("2027-03-05", 1), extendBy("2027-03-06", 2)], "invalid_input", /already extended by 1, so give 1/],
    ["an extension after the first month", [extendBy("2027-04-02", 1)], "invalid_transition", /within the first month, by Thu 1 Apr 2027/],
    ["an extension to a date", [extendTo("2027-03-05", "2027-05-01")], "invalid_input", /by whole months: give 1 or 2/],
    ["an extension while stopped", [stop("2027-03-02", "identity"), extendBy("2027-03-05", 1)], "invalid_transition", /awaiting proof of identity. Extend it, if need be, once the reply restarts it/],
    ["a stop once late", [stop("2027-04-02")], "invalid_transition", /due Thu 1 Apr 2027, before clarification was asked for/],
    ["a restart without a stop", [restart("2027-03-05")], "invalid_transition", /not stopped, so there is nothing to restart/],
  ])("refuses %s (received 1 Mar 2027)", (_name, events, code, message) => {
    expect(refusal(() => clock({ type: "subject_access_request", receivedOn: "2027-03-01", events }, "2027-04-30"))).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe("police complaint review: 28 days to apply, then the office's targets", () => {
  const review = (outcomeLetterOn: string, receivedOn: string, events: ClockEvent[] = [], misdirectedOn?: string): CaseClockInput => ({
    type: "complaint_review",
    receivedOn,
    outcomeLetterOn,
    misdirectedOn,
    events,
  });

  it.each([
    ["2026-12-03", "2026-12-31", "2026-12-31", true, 0, "day 28 after Thu 3 Dec: the letter's date is day 0"],
    ["2026-12-03", "2027-01-01", "2026-12-31", false, 1, "a day late, on New Year's Day: calendar days, holidays make no difference"],
    ["2027-02-01", "2027-03-01", "2027-03-01", true, 0, "February 2027 has 28 days: 1 Feb + 28 is 1 Mar"],
    ["2028-02-01", "2028-03-01", "2028-02-29", false, 1, "a leap year: 1 Feb 2028 + 28 is 29 Feb"],
  ])("outcome letter %s, application %s: last day %s, in time %s, %i day(s) late (%s)", (letter, received, lastDay, inTime, daysLate) => {
    const reading = clock(review(letter, received), received);
    expect(reading).toMatchObject({ application: { lastDay, inTime, daysLate, decision: inTime ? "not_needed" : "needed" } });
  });

  it("counts an application sent first to the IOPC from the day the IOPC received it", () => {
    const reading = clock(review("2026-12-03", "2027-01-06", [], "2026-12-30"), "2027-01-06");
    expect(reading).toMatchObject({ application: { madeOn: "2026-12-30", inTime: true, decision: "not_needed" } });
  });

  it("records the decision on a late application; a later decision corrects it", () => {
    const accepted = { kind: "late_application_decided", on: "2027-01-04", accepted: true, reason: "Outcome letter went to an old address" } as const;
    expect(clock(review("2026-12-03", "2027-01-01", [accepted]), "2027-01-04")).toMatchObject({ application: { decision: "accepted", decisionReason: "Outcome letter went to an old address" } });
    const corrected = [accepted, { ...accepted, on: "2027-01-05", accepted: false, reason: "No special circumstances" }];
    expect(clock(review("2026-12-03", "2027-01-01", corrected), "2027-01-05")).toMatchObject({ application: { decision: "refused" } });
  });

  // received → [acknowledge by (5 working days), complete by (28 working days)]
  it.each([
    ["2026-12-24", "england-and-wales", "2027-01-05", "2027-02-05", "25 Dec, Boxing Day's substitute 28 Dec and 1 Jan skipped", []],
    ["2026-04-01", "england-and-wales", "2026-04-10", "2026-05-14", "Good Friday, Easter Monday and 4 May skipped", []],
    ["2026-11-23", "scotland", "2026-12-01", "2027-01-07", "a Scottish office skips St Andrew's Day, 25 and 28 Dec, 1 Jan and 4 Jan 2027 (2 January's substitute)", []],
    ["2026-11-23", "england-and-wales", "2026-11-30", "2027-01-05", "an English office works on St Andrew's Day and 4 Jan 2027", []],
    ["2026-12-24", "england-and-wales", "2027-01-08", "2027-02-10", "the office's Christmas closure, 29–31 Dec, skipped too", ["2026-12-29", "2026-12-30", "2026-12-31"]],
  ])("received %s (%s office): acknowledge by %s, complete by %s (%s)", (receivedOn, nation, acknowledgeBy, completeBy, _reason, closures) => {
    const officeCalendar = new WorkingCalendar(nation as "england-and-wales" | "scotland", closures);
    expect(due(review(receivedOn, receivedOn), receivedOn, { officeCalendar })).toEqual([acknowledgeBy, completeBy]);
  });

  it("takes the office's own published targets", () => {
    const settings = clockSettingsSchema.parse({ complaintReview: { acknowledgeWorkingDays: 2, completeWorkingDays: 20 } });
    // From Thu 24 Dec 2026: 2 working days is Wed 30 Dec; 20 (1 Jan skipped) is Tue 26 Jan 2027.
    expect(due(review("2026-12-01", "2026-12-24"), "2026-12-24", { settings })).toEqual(["2026-12-30", "2027-01-26"]);
  });

  it.each([
    ["a stop", [stop("2027-01-05")], "invalid_transition", /cannot stop the clock on a police complaint review: its targets run from receipt/],
    ["an extension", [extendTo("2027-01-05", "2027-03-01")], "invalid_transition", /cannot extend it on a police complaint review/],
    ["a decision on an application made in time", [{ kind: "late_application_decided", on: "2027-01-04", accepted: true, reason: "x" }], "invalid_transition", /made in time \(by Thu 31 Dec 2026/],
  ] as [string, ClockEvent[], string, RegExp][])("refuses %s", (_name, events, code, message) => {
    expect(refusal(() => clock(review("2026-12-03", "2026-12-30", events), "2027-01-06"))).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it("refuses an outcome letter dated after the application", () => {
    expect(refusal(() => clock(review("2027-01-02", "2026-12-30"), "2027-01-06"))).toMatchObject({ code: "invalid_input", field: "outcomeLetterOn" });
  });
  const upheld = (on: string): ClockEvent => ({ kind: "review_outcome", on, upheld: true, reason: "The force did not interview the witness" });
  const recommend = (on: string, number: number): ClockEvent => ({ kind: "recommendation_made", on, number, reason: `Recommendation ${number}` });
  const answer = (on: string, number: number, accepted = true): ClockEvent => ({ kind: "recommendation_answered", on, number, accepted, reason: "Will be done" });

  // made → the force's answer due (56 calendar days, Sch. 3 para 28ZA), read on a day
  it.each([
    ["2027-01-31", "2027-03-28", "2027-03-28", "due_today", 0, "31 Jan 2027 + 56: February has 28 days, so 28 Mar (Easter Sunday: calendar days)"],
    ["2028-01-31", "2028-03-27", "2028-03-28", "overdue", 1, "a leap year: 31 Jan 2028 + 56 is 27 Mar"],
    ["2026-12-10", "2027-02-04", "2027-01-04", "pending", 31, "over Christmas and New Year: calendar days, holidays make no difference"],
  ])("a recommendation made %s: the force's answer is due %s; on %s it is %s, %i day(s) %s", (madeOn, dueOn, asOf, state, days) => {
    const reading = clock(review("2026-11-20", "2026-12-01", [upheld(madeOn), recommend(madeOn, 1)]), asOf);
    expect(reading).toMatchObject({ outcome: { upheld: true, on: madeOn }, recommendations: [{ number: 1, madeOn, answered: null, answer: { due: dueOn, state, unit: "calendar_days", ...(state === "overdue" ? { daysLate: days } : { daysRemaining: days }) } }] });
  });

  it("tracks each recommendation until the force answers it, answered or not in time", () => {
    const events = [upheld("2027-01-06"), recommend("2027-01-06", 1), recommend("2027-01-07", 2), answer("2027-03-10", 2, false)];
    const reading = clock(review("2026-12-03", "2026-12-30", events), "2027-03-10");
    // Recommendation 1: due Thu 3 Mar 2027, unanswered, 7 days late; 2: answered (late, on 10 Mar), so neither due nor late.
    expect(reading).toMatchObject({
      recommendations: [
        { number: 1, answer: { due: "2027-03-03", state: "overdue", daysLate: 7 }, answered: null },
        { number: 2, answer: { due: "2027-03-04", state: "pending", daysLate: 0 }, answered: { on: "2027-03-10", accepted: false, reason: "Will be done" } },
      ],
    });
  });

  it("reads the last finding recorded: a later one corrects it", () => {
    const corrected = [upheld("2027-01-06"), { kind: "review_outcome", on: "2027-01-07", upheld: false, reason: "Misread the file" } as ClockEvent];
    // Counted (in the complaints statement) as found on the first finding's day.
    expect(clock(review("2026-12-03", "2026-12-30", corrected), "2027-01-07")).toMatchObject({ outcome: { upheld: false, on: "2027-01-07", firstOn: "2027-01-06", reason: "Misread the file" } });
  });

  it.each([
    ["a recommendation before any finding", [recommend("2027-01-06", 1)], /Only an upheld review makes recommendations/],
    ["a recommendation on a review not upheld", [{ kind: "review_outcome", on: "2027-01-06", upheld: false, reason: "Reasonable" }, recommend("2027-01-06", 1)], /Only an upheld review makes recommendations/],
    ["a finding of not upheld after recommendations", [upheld("2027-01-06"), recommend("2027-01-06", 1), { kind: "review_outcome", on: "2027-01-07", upheld: false, reason: "x" }], /cannot be found not upheld/],
    ["an answer to a recommendation never made", [upheld("2027-01-06"), recommend("2027-01-06", 1), answer("2027-01-07", 2)], /no recommendation 2 on this review: they are numbered 1/],
    ["a second answer to one recommendation", [upheld("2027-01-06"), recommend("2027-01-06", 1), answer("2027-01-07", 1), answer("2027-01-08", 1)], /answer to recommendation 1 was recorded on Thu 7 Jan 2027/],
  ] as [string, ClockEvent[], RegExp][])("refuses %s", (_name, events, message) => {
    // The force's letter of Thu 10 Dec 2026, the application Mon 4 Jan 2027: in time (the last day was Thu 7 Jan).
    expect(refusal(() => clock(review("2026-12-10", "2027-01-04", events), "2027-01-08"))).toMatchObject({ code: "invalid_transition", message: expect.stringMatching(message) });
  });

  // The force's letter of Tue 1 Dec 2026, the application Mon 4 Jan 2027: 6 days out of time (the last day was Tue 29 Dec).
  const decided = (on: string, accepted: boolean): ClockEvent => ({ kind: "late_application_decided", on, accepted, reason: accepted ? "In hospital all December" : "No special circumstances" });
  it.each([
    ["a finding on a late application refused", [decided("2027-01-05", false), upheld("2027-01-06")], /late application was refused/],
    ["a finding while the late application awaits its decision", [upheld("2027-01-06")], /made out of time: a manager decides whether to accept it before the review can find/],
    ["a decision on the late application once the review has found", [decided("2027-01-05", true), upheld("2027-01-06"), decided("2027-01-07", false)], /The review has found \(Wed 6 Jan 2027\), so the decision to accept the late application stands/],
  ] as [string, ClockEvent[], RegExp][])("refuses %s", (_name, events, message) => {
    expect(refusal(() => clock(review("2026-12-01", "2027-01-04", events), "2027-01-08"))).toMatchObject({ code: "invalid_transition", message: expect.stringMatching(message) });
  });

  it("finds on a late application once it is accepted", () => {
    expect(clock(review("2026-12-01", "2027-01-04", [decided("2027-01-05", true), upheld("2027-01-06")]), "2027-01-08")).toMatchObject({ application: { decision: "accepted" }, outcome: { upheld: true } });
  });

  it("refuses an answer dated before its recommendation, saying when the recommendation was made", () => {
    const events = [upheld("2027-01-06"), recommend("2027-01-07", 1), answer("2027-01-06", 1)];
    expect(refusal(() => clock(review("2026-12-10", "2027-01-04", events), "2027-01-08"))).toMatchObject({
      code: "invalid_transition",
      field: "on",
      message: "Recommendation 1 was made on Thu 7 Jan 2027: the force's answer cannot be dated before it.",
    });
  });

  it("has no finding on any other type", () => {
    expect(refusal(() => clock({ type: "foi_request", receivedOn: "2027-03-01", events: [upheld("2027-03-02")] }, "2027-03-15"))).toMatchObject({ message: "You cannot record a review's outcome on an FOI request." });
  });
});

describe("complaint about the Chief Constable: record in 10 working days, update every 28 days", () => {
  it.each([
    ["2026-12-24", "england-and-wales", "2027-01-12", "2027-01-21", "25, 28 Dec and 1 Jan skipped (DOMAIN.md's own 10-day example); update 28 calendar days on"],
    ["2025-12-24", "scotland", "2026-01-13", "2026-01-21", "a Scottish office skips 2 January 2026"],
    ["2025-12-24", "england-and-wales", "2026-01-12", "2026-01-21", "an English office works on 2 January"],
    ["2027-01-31", "england-and-wales", "2027-02-12", "2027-02-28", "28 days from 31 Jan is 28 Feb"],
  ])("received %s (%s office): record by %s, first update by %s (%s)", (receivedOn, nation, recordBy, updateBy) => {
    const officeCalendar = new WorkingCalendar(nation as "england-and-wales" | "scotland");
    expect(due({ type: "chief_constable_complaint", receivedOn, events: [] }, receivedOn, { officeCalendar })).toEqual([recordBy, updateBy]);
  });

  it("counts the next update from the last one, in calendar days, until the complaint is closed", () => {
    const complaint: CaseClockInput = { type: "chief_constable_complaint", receivedOn: "2026-12-24", events: [{ kind: "updated", on: "2027-01-18" }, { kind: "updated", on: "2027-01-28" }] };
    const reading = clock(complaint, "2027-03-01");
    expect(reading).toMatchObject({ lastUpdateOn: "2027-01-28" });
    // Update due Thu 25 Feb 2027, 4 days late on 1 Mar; recording due Tue 12 Jan, 34 working days late.
    expect(reading.deadlines).toMatchObject([
      { step: "recording", due: "2027-01-12", state: "overdue", daysLate: 34, unit: "working_days" },
      { step: "update", due: "2027-02-25", state: "overdue", daysLate: 4, unit: "calendar_days" },
    ]);
    expect(clock({ ...complaint, closedOn: "2027-02-20" }, "2027-03-01").deadlines.map((deadline) => deadline.step)).toEqual(["recording"]);
  });

  it.each([
    ["a stop", [stop("2027-01-05")], /cannot stop the clock on a complaint about the Chief Constable/],
    ["an extension", [extendTo("2027-01-05", "2027-03-01")], /cannot extend it on a complaint about the Chief Constable: keep the complainant updated/],
  ])("refuses %s", (_name, events, message) => {
    expect(refusal(() => clock({ type: "chief_constable_complaint", receivedOn: "2026-12-24", events }, "2027-01-06"))).toMatchObject({ code: "invalid_transition", message: expect.stringMatching(message) });
  });
});

describe("every clock's events", () => {
  it.each([
    ["before receipt", [stop("2027-02-28")], /before a subject-access request was received \(Mon 1 Mar 2027\)/],
    ["after the day asked about", [stop("2027-03-20")], /after Mon 15 Mar 2027: record it on the day it happens/],
    ["without a reason", [{ ...stop("2027-03-02", "identity"), reason: "  " }], /Give the reason/],
  ])("are refused when dated or given %s", (_name, events, message) => {
    expect(refusal(() => clock({ type: "subject_access_request", receivedOn: "2027-03-01", events }, "2027-03-15"))).toMatchObject({ code: "invalid_input", message: expect.stringMatching(message) });
  });

  it("are refused on a type whose rules have no such event", () => {
    expect(refusal(() => clock({ type: "foi_request", receivedOn: "2027-03-01", events: [{ kind: "updated", on: "2027-03-02" }] }, "2027-03-15"))).toMatchObject({
      code: "invalid_transition",
      message: "You cannot record a complainant update on an FOI request.",
    });
    const decided: ClockEvent = { kind: "late_application_decided", on: "2027-03-02", accepted: true, reason: "Late but fair" };
    expect(refusal(() => clock({ type: "subject_access_request", receivedOn: "2027-03-01", events: [decided] }, "2027-03-15"))).toMatchObject({
      message: "You cannot decide a late application on a subject-access request.",
    });
  });

  it("are read in date order, whatever order they were recorded in", () => {
    const events = [restart("2027-03-10"), stop("2027-03-05")];
    expect(due({ type: "subject_access_request", receivedOn: "2027-03-01", events }, "2027-03-10")).toEqual(["2027-04-07"]);
  });

  it("parse from what an adapter or a stored entry hands in", () => {
    expect(clockEventSchema.parse({ kind: "extended", on: "2027-03-05", months: 2, reason: "  Complex  " })).toEqual({ kind: "extended", on: "2027-03-05", months: 2, reason: "Complex" });
    expect(clockEventSchema.safeParse({ kind: "stopped", on: "2027-03-05", awaiting: "fee", reason: "x" }).success).toBe(false);
    expect(clockEventSchema.safeParse({ kind: "extended", on: "2027-02-30", months: 1, reason: "x" }).success).toBe(false);
    expect(DEFAULT_CLOCK_SETTINGS).toEqual({
      complaintReview: { applicationWindowDays: 28, acknowledgeWorkingDays: 5, completeWorkingDays: 28 },
      chiefConstableComplaint: { recordWorkingDays: 10, updateEveryDays: 28 },
      foi: { publicInterestExtensionWorkingDays: 20, reviewWorkingDays: 20, reviewExceptionalWorkingDays: 40, reviewRequestWithinWorkingDays: 40 },
    });
    expect(clockSettingsSchema.safeParse({ complaintReview: { completeWorkingDays: 0 } }).success).toBe(false);
  });
});
