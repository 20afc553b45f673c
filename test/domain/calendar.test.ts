import { describe, expect, it } from "vitest";
import { endOfLondonDay, formatDate, isLocalDate } from "../../src/domain/calendar/local-date.ts";
import { WorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";

const englandAndWales = new WorkingCalendar("england-and-wales");

describe("working-day deadlines (England and Wales)", () => {
  // received → [acknowledge by (2), respond by (10)]
  it.each([
    // DOMAIN.md's own examples
    ["2026-12-24", "2026-12-30", "2027-01-12", "Thursday before Christmas, Boxing Day substitute on Mon 28 Dec"],
    ["2026-12-26", "2026-12-30", "2027-01-12", "received on Boxing Day, a Saturday: day 0 whatever its kind"],
    ["2026-04-01", "2026-04-07", "2026-04-17", "Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr"],
    // Christmas and New Year substitute days
    ["2027-12-23", "2027-12-29", "2028-01-11", "2027: Christmas and Boxing Day fall at the weekend, substitutes Mon 27 and Tue 28 Dec; New Year substitute Mon 3 Jan 2028"],
    ["2028-12-22", "2028-12-28", "2029-01-10", "2028: Christmas Mon 25, Boxing Day Tue 26, New Year Mon 1 Jan 2029"],
    ["2027-03-25", "2027-03-31", "2027-04-12", "Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar"],
    // Weekends
    ["2026-11-21", "2026-11-24", "2026-12-04", "received on a Saturday"],
    ["2026-11-22", "2026-11-24", "2026-12-04", "received on a Sunday"],
    ["2026-11-20", "2026-11-24", "2026-12-04", "received on a Friday"],
    // Clock-change weekends: the counting is by calendar day, unaffected by the hour lost or gained
    ["2026-03-27", "2026-03-31", "2026-04-14", "BST begins Sun 29 Mar 2026, Easter follows"],
    ["2026-10-23", "2026-10-27", "2026-11-06", "BST ends Sun 25 Oct 2026"],
  ])("received %s: acknowledge by %s, respond by %s (%s)", (received, acknowledgeBy, respondBy) => {
    expect(englandAndWales.addWorkingDays(received, 2)).toBe(acknowledgeBy);
    expect(englandAndWales.addWorkingDays(received, 10)).toBe(respondBy);
  });

  it("skips the office's own closure days as well as bank holidays", () => {
    const shutdown = new WorkingCalendar("england-and-wales", ["2026-12-29", "2026-12-30", "2026-12-31"]);
    expect(shutdown.addWorkingDays("2026-12-24", 2)).toBe("2027-01-05");
  });

  it("follows the configured nation's bank holidays", () => {
    const scotland = new WorkingCalendar("scotland");
    // 2 January and St Andrew's Day are Scottish bank holidays only.
    expect(scotland.isWorkingDay("2026-01-02")).toBe(false);
    expect(englandAndWales.isWorkingDay("2026-01-02")).toBe(true);
    expect(scotland.isWorkingDay("2026-11-30")).toBe(false);
    // Easter Monday is not a Scottish bank holiday.
    expect(scotland.isWorkingDay("2026-04-06")).toBe(true);
    const northernIreland = new WorkingCalendar("northern-ireland");
    expect(northernIreland.isWorkingDay("2026-03-17")).toBe(false);
    expect(northernIreland.isWorkingDay("2026-07-13")).toBe(false);
  });

  it("counts working days between two dates as the deadlines do", () => {
    expect(englandAndWales.workingDaysBetween("2026-12-24", "2027-01-12")).toBe(10);
    expect(englandAndWales.workingDaysBetween("2026-12-24", "2026-12-24")).toBe(0);
  });
});

describe("deadline instants and display", () => {
  it("a deadline is the end of the day in London, in winter and in summer time", () => {
    expect(endOfLondonDay("2026-12-30").toISOString()).toBe("2026-12-30T23:59:59.999Z");
    expect(endOfLondonDay("2026-07-15").toISOString()).toBe("2026-07-15T22:59:59.999Z");
    // The clock-change days themselves.
    expect(endOfLondonDay("2026-03-29").toISOString()).toBe("2026-03-29T22:59:59.999Z");
    expect(endOfLondonDay("2026-10-25").toISOString()).toBe("2026-10-25T23:59:59.999Z");
  });

  it.each([
    ["2026-12-30", "Wed 30 Dec 2026"],
    ["2027-01-12", "Tue 12 Jan 2027"],
    ["2026-09-01", "Tue 1 Sep 2026"],
  ])("shows %s as %s", (date, text) => {
    expect(formatDate(date)).toBe(text);
  });

  it.each(["2026-02-30", "2026-13-01", "26-12-01", "2026-1-1", "yesterday", ""])("rejects %j as a date", (value) => {
    expect(isLocalDate(value)).toBe(false);
  });
});
