import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import type { PerformanceReport } from "../../src/domain/reports/report.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };

/**
 * May 2026 in England and Wales: bank holidays Mon 4 May and Mon 25 May. Every expected
 * figure below was worked out by hand from the calendar (see the comments).
 */
describeEachDatabase("the performance report", (database) => {
  let postbag: Postbag;
  let office: Office;
  let report: PerformanceReport;
  const refs: Record<string, string> = {};
  const clock = new TestClock("2026-04-29T10:00:00Z");

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
    const cases = postbag.core.cases;
    const on = (date: string) => clock.setLondonMorning(date);
    const log = async (key: string, date: string, overrides: Record<string, unknown>) => {
      on(date);
      refs[key] = (await cases.logCase(office.admin, letter({ receivedOn: date, ...overrides }), cli)).reference;
    };
    const ref = (key: string) => ({ reference: refs[key]! });

    // E: April, Cora's, never touched: open and late at the end of May, and stale.
    await log("E", "2026-04-29", { assignee: office.otherCaseworker.id });
    // A: Fri 1 May. Ack due Wed 6 May (Mon 4 May is a holiday), response due Mon 18 May.
    await log("A", "2026-05-01", { assignee: office.caseworker.id, themes: ["neighbourhood policing"] });
    on("2026-05-06");
    await cases.perform(office.admin, "acknowledge", ref("A"), cli); // 2 working days
    on("2026-05-07");
    await cases.perform(office.caseworker, "refer", { ...ref("A"), partner: "Police" }, cli);
    on("2026-05-12");
    await cases.perform(office.caseworker, "partner_reply", { ...ref("A"), text: "Patrols added" }, cli); // 3 working days
    // C: Mon 11 May, phone, acknowledged at once, referred, never answered. Response due Tue 26 May.
    await log("C", "2026-05-11", { channel: "phone", assignee: office.caseworker.id, themes: ["Neighbourhood policing", "speeding"] });
    await cases.perform(office.admin, "acknowledge", ref("C"), cli); // 0 working days
    await cases.perform(office.caseworker, "refer", { ...ref("C"), partner: "Police" }, cli); // reply expected Tue 26 May
    on("2026-05-15");
    await cases.perform(office.caseworker, "respond", { ...ref("A"), text: "Reply sent" }, cli); // 9 working days
    await cases.perform(office.caseworker, "close", { ...ref("A"), outcome: "responded" }, cli);
    // D: Wed 20 May, withdrawn the next day: counted as received, not as needing a response.
    await log("D", "2026-05-20", {});
    on("2026-05-21");
    await cases.perform(office.admin, "close", { ...ref("D"), outcome: "withdrawn" }, cli);
    on("2026-05-20");
    await cases.perform(office.caseworker, "reopen", { ...ref("A"), reason: "Not satisfied" }, cli); // new response due Thu 4 Jun
    // B: Fri 22 May, an email complaint before the holiday Monday. Ack due Wed 27 May, response Mon 8 Jun.
    await log("B", "2026-05-22", { channel: "email", kind: "complaint", assignee: office.otherCaseworker.id, themes: ["stalking"] });

    clock.setLondonMorning("2026-06-10");
    report = await postbag.core.reports.performanceReport(office.manager, "2026-05");
  });
  afterAll(() => postbag?.close());

  it("counts items received by channel and kind", () => {
    expect(report.period).toEqual({ from: "2026-05-01", to: "2026-05-31", label: "May 2026" });
    // Made on 10 June: every step known by then counts; "at period end" figures stand at 31 May.
    expect(report.asOf).toBe("2026-06-10");
    expect(report.periodEnd).toBe("2026-05-31");
    expect(report.loggedAfterPeriod).toBe(0);
    expect(report.received).toEqual({ total: 4, byChannel: { letter: 2, phone: 1, email: 1 }, byKind: { casework: 3, complaint: 1 } });
  });

  it("measures acknowledgements and responses against the calendar, bank holidays excluded", () => {
    // A and C in time; D (withdrawn unacknowledged) and B (due Wed 27 May) not.
    expect(report.acknowledgedInTime).toEqual({ count: 2, of: 4, percent: 50 });
    expect(report.acknowledgementsNotYetDue).toBe(0);
    expect(report.workingDaysToAcknowledge).toEqual({ median: 1, p90: 2, measured: 2 });
    // A on time; C late (due 26 May); B late by the report's day (due Mon 8 Jun); D withdrawn.
    expect(report.respondedInTime).toEqual({ count: 1, of: 3, percent: 33.3 });
    expect(report.responsesNotYetDue).toBe(0);
    expect(report.workingDaysToRespond).toEqual({ median: 9, p90: 9, measured: 1 });
  });

  it("shows time awaiting partners beside the raw figures", () => {
    // A: 7→12 May = 3 working days; C: 11 May → 10 Jun (the report's day) unanswered = 21 (25 May excluded).
    expect(report.partnerWait).toEqual({ totalWorkingDays: 24, casesReferred: 2, perReferredCase: { median: 12, p90: 21, measured: 2 }, lateWithPartnerWait: 1 });
    expect(report.partners).toEqual([{ partner: "Police", referred: 2, replied: 1, medianReplyWorkingDays: 3, outstandingPastDue: 1 }]);
  });

  it("counts open, late and reopened cases at the period's end", () => {
    // Open: A (reopened, due 4 Jun), B (ack late), C (response late), E (ack late).
    expect(report.openAtEnd).toEqual({ total: 4, late: 3 });
    expect(report.reopened).toBe(1);
  });

  it("breaks the figures down per caseworker", () => {
    expect(report.caseworkers).toEqual([
      { name: "Carl Caseworker", handled: 2, onTime: { count: 1, of: 2, percent: 50 }, open: 2, stale: 1 },
      { name: "Cora Caseworker", handled: 1, onTime: { count: 0, of: 1, percent: 0 }, open: 2, stale: 1 },
    ]);
  });

  it("lists top themes and weekly received vs responded on time", () => {
    expect(report.topThemes).toEqual([
      { theme: "neighbourhood policing", count: 2 },
      { theme: "speeding", count: 1 },
      { theme: "stalking", count: 1 },
    ]);
    expect(report.weeks).toEqual([
      { weekOf: "2026-04-27", received: 1, respondedOnTime: 1, responseNotYetDue: 0 },
      { weekOf: "2026-05-04", received: 0, respondedOnTime: 0, responseNotYetDue: 0 },
      { weekOf: "2026-05-11", received: 1, respondedOnTime: 0, responseNotYetDue: 0 },
      { weekOf: "2026-05-18", received: 2, respondedOnTime: 0, responseNotYetDue: 0 },
      { weekOf: "2026-05-25", received: 0, respondedOnTime: 0, responseNotYetDue: 0 },
    ]);
  });

  it("gives the same figures however often it is run (only the timeline counts)", async () => {
    expect(await postbag.core.reports.performanceReport(office.viewer, "2026-05")).toEqual(report);
    expect(await postbag.core.reports.performanceReport(office.viewer, "2026-05-01..2026-05-31")).toEqual({ ...report, period: { from: "2026-05-01", to: "2026-05-31", label: "Fri 1 May 2026 to Sun 31 May 2026" } });
  });

  it("themes: counts by theme and kind with example references", async () => {
    const themes = await postbag.core.reports.themes(office.viewer, "2026-05");
    expect(themes.themes).toEqual([
      { theme: "neighbourhood policing", total: 2, byKind: { casework: 2 }, examples: [refs.C, refs.A] },
      { theme: "speeding", total: 1, byKind: { casework: 1 }, examples: [refs.C] },
      { theme: "stalking", total: 1, byKind: { complaint: 1 }, examples: [refs.B] },
    ]);
  });

  it("is for managers and viewers; a bad period is refused", async () => {
    await expect(postbag.core.reports.performanceReport(office.caseworker, "2026-05")).rejects.toBeInstanceOf(DomainError);
    await expect(postbag.core.reports.performanceReport(office.manager, "2026-13")).rejects.toThrow(/01 to 12/);
    await expect(postbag.core.reports.performanceReport(office.manager, "2026-06..2026-05")).rejects.toThrow(/not be after/);
    await expect(postbag.core.reports.performanceReport(office.manager, "2026-02-30")).rejects.toThrow(/not a date in the calendar/);
    await expect(postbag.core.reports.performanceReport(office.manager, "2026-05..2026-05-15")).rejects.toThrow(/both ends as months/);
  });
});
