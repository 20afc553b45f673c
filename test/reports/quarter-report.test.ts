import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { reportText } from "../../src/bots/shared/report-text.ts";
import type { PerformanceReport } from "../../src/domain/reports/report.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };

/**
 * A quarter of an office's history, April–June 2026 in England and Wales: Good Friday 3 Apr
 * and Easter Monday 6 Apr, the May bank holidays Mon 4 and Mon 25 May. April was kept in the
 * old spreadsheet and imported on Wed 1 Jul; May and June were worked in Postbag, with two
 * letters found in the post tray and logged days late. Every report is made on Wed 1 Jul.
 * Each expected figure is worked out by hand in the comments beside it.
 *
 *   case  received      how                      acknowledged   response (due)              closed
 *   I1    Wed 1 Apr     imported, Carl           Thu 2 Apr      Wed 15 Apr (Fri 17 Apr)     Thu 16 Apr
 *   I2    Thu 2 Apr     imported, Cora, email    never (Wed 8)  never (Mon 20 Apr)          open
 *   I3    Thu 30 Apr    imported, unassigned     Tue 5 May      Fri 15 May (Fri 15 May)     Fri 15 May
 *   L8    Fri 22 May    email, Cora              Wed 27 May     never (Mon 8 Jun)           open, quiet since 27 May
 *   L2    Thu 28 May    logged Mon 1 Jun, Cora   Mon 1 Jun      Wed 10 Jun (Thu 11 Jun)     Wed 10 Jun
 *   L3    Fri 29 May    hand-delivered, logged Wed 3 Jun, unassigned, never touched (ack due Tue 2 Jun)
 *   L1    Tue 2 Jun     email, Carl              Wed 3 Jun      Tue 23 Jun (Tue 16 Jun)     Tue 23 Jun; Police 4→22 Jun
 *   L4    Mon 8 Jun     phone complaint, Carl    Mon 8 Jun      Fri 12 Jun (Mon 22 Jun)     12 Jun, reopened Tue 16 Jun (due Tue 30 Jun)
 *   L5    Wed 17 Jun    letter, unassigned       never (Fri 19 Jun)                          withdrawn Thu 18 Jun
 *   L6    Mon 29 Jun    letter, Carl             not yet due (Wed 1 Jul); response due Mon 13 Jul
 *   L7    Tue 30 Jun    web, Cora                Tue 30 Jun     not yet due (Tue 14 Jul)
 */
describeEachDatabase("a quarter's reports, held to hand-worked figures", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-05-22T09:00:00Z");
  const refs: Record<string, string> = {};
  const reports: Record<string, PerformanceReport> = {};

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
    const cases = postbag.core.cases;
    const on = (date: string) => clock.setLondonMorning(date);
    const ref = (key: string) => ({ reference: refs[key]! });
    const log = async (key: string, received: string, overrides: Record<string, unknown> = {}) => {
      refs[key] = (await cases.logCase(office.admin, letter({ receivedOn: received, ...overrides }), cli)).reference;
    };
    const carl = office.caseworker;
    const cora = office.otherCaseworker;

    on("2026-05-22");
    await log("L8", "2026-05-22", { channel: "email", assignee: cora.id });
    on("2026-05-27");
    await cases.perform(office.admin, "acknowledge", ref("L8"), cli);

    on("2026-06-01");
    await log("L2", "2026-05-28", { assignee: cora.id });
    await cases.perform(office.admin, "acknowledge", ref("L2"), cli);
    on("2026-06-02");
    await log("L1", "2026-06-02", { channel: "email", assignee: carl.id });
    on("2026-06-03");
    await log("L3", "2026-05-29", { channel: "hand-delivered" });
    await cases.perform(office.admin, "acknowledge", ref("L1"), cli);
    on("2026-06-04");
    await cases.perform(carl, "refer", { ...ref("L1"), partner: "Police" }, cli); // reply expected Thu 18 Jun
    on("2026-06-08");
    await log("L4", "2026-06-08", { channel: "phone", kind: "complaint", assignee: carl.id });
    await cases.perform(office.admin, "acknowledge", ref("L4"), cli);
    on("2026-06-10");
    await cases.perform(cora, "respond", { ...ref("L2"), text: "Answered" }, cli);
    await cases.perform(cora, "close", { ...ref("L2"), outcome: "responded" }, cli);
    on("2026-06-12");
    await cases.perform(carl, "respond", { ...ref("L4"), text: "Answered" }, cli);
    await cases.perform(carl, "close", { ...ref("L4"), outcome: "responded" }, cli);
    on("2026-06-16");
    await cases.perform(carl, "reopen", { ...ref("L4"), reason: "Not satisfied" }, cli);
    on("2026-06-17");
    await log("L5", "2026-06-17");
    on("2026-06-18");
    await cases.perform(office.admin, "close", { ...ref("L5"), outcome: "withdrawn" }, cli);
    on("2026-06-22");
    await cases.perform(carl, "partner_reply", { ...ref("L1"), text: "Officers visited" }, cli);
    on("2026-06-23");
    await cases.perform(carl, "respond", { ...ref("L1"), text: "Answered" }, cli);
    await cases.perform(carl, "close", { ...ref("L1"), outcome: "responded" }, cli);
    on("2026-06-29");
    await log("L6", "2026-06-29", { assignee: carl.id });
    on("2026-06-30");
    await log("L7", "2026-06-30", { channel: "web", assignee: cora.id });
    await cases.perform(office.admin, "acknowledge", ref("L7"), cli);

    on("2026-07-01");
    const row = (values: Record<string, string>) => ({ constituent_name: "Old Correspondent", subject: "From the spreadsheet", channel: "letter", ...values });
    const imported = async (key: string, values: Record<string, string>) => {
      refs[key] = (await cases.importCase(office.admin, row(values), { platform: "import" })).view.reference;
    };
    await imported("I1", { received_on: "2026-04-01", assignee: "carl@pfcc.example", acknowledged_on: "2026-04-02", responded_on: "2026-04-15", closed_on: "2026-04-16", outcome: "responded" });
    await imported("I2", { received_on: "2026-04-02", channel: "email", assignee: "Cora Caseworker" });
    await imported("I3", { received_on: "2026-04-30", acknowledged_on: "2026-05-05", responded_on: "2026-05-15", closed_on: "2026-05-15", outcome: "responded" });

    for (const period of ["2026-04", "2026-05", "2026-06", "2026-04..2026-06", "2026-05-28..2026-05-29"]) {
      reports[period] = await postbag.core.reports.performanceReport(office.manager, period);
    }
  });
  afterAll(() => postbag?.close());

  describe("April: the imported month", () => {
    it("counts every imported case in the month it was received, and says they were logged after it", () => {
      const april = reports["2026-04"]!;
      expect(april.asOf).toBe("2026-07-01");
      expect(april.periodEnd).toBe("2026-04-30");
      expect(april.received).toEqual({ total: 3, byChannel: { letter: 2, email: 1 }, byKind: { casework: 3 } });
      expect(april.loggedAfterPeriod).toBe(3);
      // I1 in 1 working day, I3 in 2 (Fri 1 May, Tue 5 May); I2 never, due Wed 8 Apr.
      expect(april.acknowledgedInTime).toEqual({ count: 2, of: 3, percent: 66.7 });
      expect(april.workingDaysToAcknowledge).toEqual({ median: 1.5, p90: 2, measured: 2 });
      // I1 in 8 working days (Easter excluded), I3 on its tenth, I2 never (due Mon 20 Apr).
      expect(april.respondedInTime).toEqual({ count: 2, of: 3, percent: 66.7 });
      expect(april.workingDaysToRespond).toEqual({ median: 9, p90: 10, measured: 2 });
    });

    it("stands at 30 April for what was open, and credits who handled each case", () => {
      const april = reports["2026-04"]!;
      // Open on 30 Apr: I2 (acknowledgement late) and I3 (acknowledged 5 May, not yet late).
      expect(april.openAtEnd).toEqual({ total: 2, late: 1 });
      expect(april.caseworkers).toEqual([
        { name: "Carl Caseworker", handled: 1, onTime: { count: 1, of: 1, percent: 100 }, open: 0, stale: 0 },
        // I2 untouched since its receipt on 2 Apr: stale after Mon 20 Apr.
        { name: "Cora Caseworker", handled: 1, onTime: { count: 0, of: 1, percent: 0 }, open: 1, stale: 1 },
      ]);
    });
  });

  describe("May: two letters logged late", () => {
    it("counts them in May, says so, and measures their clocks from receipt", () => {
      const may = reports["2026-05"]!;
      expect(may.received).toEqual({ total: 3, byChannel: { email: 1, letter: 1, "hand-delivered": 1 }, byKind: { casework: 3 } });
      expect(may.loggedAfterPeriod).toBe(2);
      // L8 and L2 each in 2 working days (L2: Fri 29 May, Mon 1 Jun); L3 never, due Tue 2 Jun.
      expect(may.acknowledgedInTime).toEqual({ count: 2, of: 3, percent: 66.7 });
      expect(may.workingDaysToAcknowledge).toEqual({ median: 2, p90: 2, measured: 2 });
      // L2 in 9 working days; L8 (due Mon 8 Jun) and L3 (due Fri 12 Jun) never.
      expect(may.respondedInTime).toEqual({ count: 1, of: 3, percent: 33.3 });
      expect(may.responsesNotYetDue).toBe(0);
      expect(may.workingDaysToRespond).toEqual({ median: 9, p90: 9, measured: 1 });
    });

    it("shows the office at 31 May: the late-logged letters were open but not yet late", () => {
      const may = reports["2026-05"]!;
      // Open on 31 May: I2 (late), L8, L2, L3 (none of their deadlines had passed).
      expect(may.openAtEnd).toEqual({ total: 4, late: 1 });
      expect(may.reopened).toBe(0);
      expect(may.partners).toEqual([]);
      // L2 was assigned on 1 Jun, after the month; L8 was quiet only since Wed 27 May.
      expect(may.caseworkers).toEqual([{ name: "Cora Caseworker", handled: 2, onTime: { count: 1, of: 2, percent: 50 }, open: 2, stale: 1 }]);
      expect(may.weeks).toEqual([
        { weekOf: "2026-04-27", received: 0, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-05-04", received: 0, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-05-11", received: 0, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-05-18", received: 1, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-05-25", received: 2, respondedOnTime: 1, responseNotYetDue: 0 },
      ]);
    });

    it("says how many were logged after the month in words", () => {
      expect(reportText(reports["2026-05"]!)).toContain("2 logged after Sun 31 May 2026");
    });
  });

  describe("June: a month still settling", () => {
    it("leaves steps not yet due out of the rates and counts them apart", () => {
      const june = reports["2026-06"]!;
      expect(june.received).toEqual({ total: 5, byChannel: { email: 1, phone: 1, letter: 2, web: 1 }, byKind: { casework: 4, complaint: 1 } });
      expect(june.loggedAfterPeriod).toBe(0);
      // L1 (1 day), L4 (0), L7 (0) in time; L5 never (due Fri 19 Jun); L6 due today, so not yet due.
      expect(june.acknowledgedInTime).toEqual({ count: 3, of: 4, percent: 75 });
      expect(june.acknowledgementsNotYetDue).toBe(1);
      expect(june.workingDaysToAcknowledge).toEqual({ median: 0, p90: 1, measured: 3 });
      // L4 in 4 working days; L1 in 15 (due Tue 16 Jun); L5 withdrawn; L6 and L7 not yet due.
      expect(june.respondedInTime).toEqual({ count: 1, of: 2, percent: 50 });
      expect(june.responsesNotYetDue).toBe(2);
      expect(june.workingDaysToRespond).toEqual({ median: 9.5, p90: 15, measured: 2 });
    });

    it("shows partners' time beside the response figures", () => {
      const june = reports["2026-06"]!;
      // Police: Thu 4 Jun → Mon 22 Jun = 12 working days, 2 past the expected Thu 18 Jun.
      expect(june.partnerWait).toEqual({ totalWorkingDays: 12, casesReferred: 1, perReferredCase: { median: 12, p90: 12, measured: 1 }, lateWithPartnerWait: 1 });
      expect(june.partners).toEqual([{ partner: "Police", referred: 1, replied: 1, medianReplyWorkingDays: 12, outstandingPastDue: 0 }]);
    });

    it("stands at 30 June for what was open, late and stale", () => {
      const june = reports["2026-06"]!;
      // Open: I2 (late), L3 (late), L8 (late), L4 (reopened, due today), L6, L7.
      expect(june.openAtEnd).toEqual({ total: 6, late: 3 });
      expect(june.reopened).toBe(1);
      expect(june.caseworkers).toEqual([
        // L1 late, L4 on time, L6 not yet due; open L4 and L6, neither quiet for 10 working days.
        { name: "Carl Caseworker", handled: 3, onTime: { count: 1, of: 2, percent: 50 }, open: 2, stale: 0 },
        // L7 not yet due; open I2, L7, L8, of which I2 and L8 (quiet since 27 May) are stale.
        { name: "Cora Caseworker", handled: 1, onTime: { count: 0, of: 0, percent: null }, open: 3, stale: 2 },
      ]);
    });

    it("draws every week of the month, the newest with its responses not yet due", () => {
      expect(reports["2026-06"]!.weeks).toEqual([
        { weekOf: "2026-06-01", received: 1, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-06-08", received: 1, respondedOnTime: 1, responseNotYetDue: 0 },
        { weekOf: "2026-06-15", received: 1, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-06-22", received: 0, respondedOnTime: 0, responseNotYetDue: 0 },
        { weekOf: "2026-06-29", received: 2, respondedOnTime: 0, responseNotYetDue: 2 },
      ]);
    });
  });

  it("the quarter is the sum of its months", () => {
    const quarter = reports["2026-04..2026-06"]!;
    expect(quarter.period).toEqual({ from: "2026-04-01", to: "2026-06-30", label: "Apr 2026 to Jun 2026" });
    expect(quarter.received.total).toBe(11);
    // Only the imported cases were logged after 30 Jun; L2 and L3 were logged within the quarter.
    expect(quarter.loggedAfterPeriod).toBe(3);
    expect(quarter.acknowledgedInTime).toEqual({ count: 7, of: 10, percent: 70 });
    expect(quarter.acknowledgementsNotYetDue).toBe(1);
    expect(quarter.respondedInTime).toEqual({ count: 4, of: 8, percent: 50 });
    expect(quarter.responsesNotYetDue).toBe(2);
    expect(quarter.openAtEnd).toEqual(reports["2026-06"]!.openAtEnd);
  });

  it("takes any range of days", () => {
    const days = reports["2026-05-28..2026-05-29"]!;
    expect(days.period.label).toBe("Thu 28 May 2026 to Fri 29 May 2026");
    expect(days.received.total).toBe(2);
    expect(days.loggedAfterPeriod).toBe(2);
    expect(days.acknowledgedInTime).toEqual({ count: 1, of: 2, percent: 50 });
  });

  it("an imported step keeps its own date on the timeline, and the entry says when it was recorded", async () => {
    const view = await postbag.core.cases.showCase(office.manager, refs.I1!);
    const entries = view.timeline!.entries;
    expect(entries.map((e) => [e.type, e.onText.slice(0, 15), e.recordedText?.slice(0, 15) ?? null])).toEqual([
      ["imported", "Wed 1 Jul 2026 ", null],
      ["assigned", "Wed 1 Apr 2026 ", "Wed 1 Jul 2026 "],
      ["acknowledged", "Thu 2 Apr 2026 ", "Wed 1 Jul 2026 "],
      ["responded", "Wed 15 Apr 2026", "Wed 1 Jul 2026 "],
      ["closed", "Thu 16 Apr 2026", "Wed 1 Jul 2026 "],
    ]);
    expect(view.acknowledgement).toMatchObject({ state: "met", doneOn: "2026-04-02" });
    // The recorded time is part of the hash chain: the audit still verifies every entry.
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.entries.verified).toBe(audit.entries.total);
  });
});
