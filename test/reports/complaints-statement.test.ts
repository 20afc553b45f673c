import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };

/**
 * The quarter's complaints statement against figures worked by hand: cases received in the
 * quarter or before it, completed in it or not yet, stopped and restarted, extended, out of
 * time, voided, and logged with a date of receipt corrected into the quarter.
 */
describeEachDatabase("the quarterly complaints statement", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-20T10:00:00Z");

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  const at = (day: string) => clock.set(`${day}T10:00:00Z`);
  const act = (name: string, input: Record<string, unknown>, who: keyof Office = "manager") => postbag.core.cases.perform(office[who], name as never, input, cli);
  const logged = async (receivedOn: string, type: string, extra: Record<string, unknown> = {}) => {
    at(receivedOn);
    const { reference } = await postbag.core.cases.logCase(office.admin, letter({ receivedOn }), cli);
    await act("set_type", { reference, type, ...extra });
    return reference;
  };

  it("counts each type's received, in time, completed, within target, median time in its own unit, stops and extensions, as worked by hand", async () => {
    // F: an FOI received Sun 20 Dec 2026, answered Tue 12 Jan 2027 — completed in Q1, received before it.
    // UK working days from 20 Dec: 21–24 (4); 25, 28 (Boxing Day's substitute) out; 29–31 (7); 1 Jan and 4 Jan
    // (Scotland's 2 January, moved) out; 5–8 (11); 11, 12 (13). Due Thu 21 Jan: within target, 13 days.
    const f = await logged("2026-12-20", "foi");
    at("2027-01-12");
    await act("respond", { reference: f, text: "Figures sent" });
    // Closed, then asked how satisfied by letter (made, then posted on Wed 13 Jan: the asking counts when it is posted).
    // The answer recorded Wed 20 Jan is 4, corrected on Thu 21 Jan to 2: the latest counts, once.
    await act("close", { reference: f, outcome: "responded" });
    await act("edit_details", { reference: f, address: "1 High Street, Northallerton" });
    at("2027-01-13");
    await act("send_new", { reference: f, template: "satisfaction", form: "letter" });
    await act("posted", { reference: f, item: 1 });
    at("2027-01-20");
    await act("record_satisfaction", { reference: f, score: 4, how: "letter" });
    at("2027-01-21");
    await act("record_satisfaction", { reference: f, score: "2", how: "letter", comment: "Read the figures again: not what I asked" });

    // A: an FOI received Mon 4 Jan 2027, stopped Wed 6 Jan for clarification, restarted Mon 11 Jan (a fresh 20,
    // due Mon 8 Feb), answered Fri 5 Feb: within target; 19 UK working days from the restart (12–15, 18–22, 25–29, 1–5 Feb).
    const a = await logged("2027-01-04", "foi");
    at("2027-01-06");
    await act("stop_clock", { reference: a, awaiting: "clarification", reason: "Which wards?" });
    at("2027-01-11");
    await act("restart_clock", { reference: a });
    at("2027-02-05");
    await act("respond", { reference: a, text: "Figures by ward" });
    // Closed, and its requester rang on Wed 10 Feb to say 5, unasked.
    await act("close", { reference: a, outcome: "responded" });
    at("2027-02-10");
    await act("record_satisfaction", { reference: a, score: 5, how: "phone" });

    // B: a subject-access request received Fri 15 Jan, due Mon 15 Feb, answered Wed 17 Feb: late; 33 calendar days.
    const b = await logged("2027-01-15", "sar");
    at("2027-02-17");
    await act("respond", { reference: b, text: "Records sent" });
    await act("close", { reference: b, outcome: "responded" });
    // Its answer is recorded on Fri 2 Apr, after the quarter: not in it, but in Q2's.

    // C: a review of the force's letter of Tue 1 Dec 2026, received Tue 5 Jan: the last day was Tue 29 Dec, 7 days late; refused.
    const c = await logged("2027-01-05", "review", { outcomeLetterOn: "2026-12-01" });
    await act("decide_late_application", { reference: c, decision: "refuse", reason: "No special circumstances" });

    // D: a review of the letter of Fri 1 Jan 2027, received Wed 20 Jan (in time), completed Wed 10 Feb: within 28 working days;
    // 15 working days (21, 22; 25–29; 1–5 Feb; 8, 9, 10).
    const d = await logged("2027-01-20", "review", { outcomeLetterOn: "2027-01-01" });
    at("2027-02-10");
    await act("respond", { reference: d, text: "Review outcome sent" });
    // Its finding, first recorded as not upheld, corrected the next day to upheld (the last recorded counts), with two
    // recommendations to the force on Thu 11 Feb: answers due Thu 8 Apr (56 days: 17 in Feb, 31 in Mar, 8 in Apr).
    // The force answers the first on Mon 15 Mar; the second still awaits its answer at the quarter's end, not yet late.
    await act("review_outcome", { reference: d, outcome: "not-upheld", reason: "Reasonable and proportionate" });
    at("2027-02-11");
    await act("review_outcome", { reference: d, outcome: "upheld", reason: "Misread: the witness was never asked" });
    await act("recommend", { reference: d, reason: "Interview the witness" });
    await act("recommend", { reference: d, reason: "Apologise" });
    at("2027-03-15");
    await act("force_answer", { reference: d, number: 1, answer: "accepted", reason: "Interview booked" });

    // I: a review received Mon 5 Oct 2026 (Q4), closed on Tue 1 Dec, upheld that day with a recommendation whose answer was
    // due Tue 26 Jan 2027: unanswered at the quarter's end, so awaiting and past its time. The force answers on Fri 2 Apr,
    // after the quarter: the statement is of the quarter, so it still counts as awaiting then. Its complainant's
    // satisfaction, 3, is recorded on Fri 15 Jan: in Q1, though the case closed in Q4; corrected to 4 on Fri 2 Apr, it
    // counts in Q1 as 4 (the first answer's quarter, as last recorded) and not in Q2.
    const i = await logged("2026-10-05", "review", { outcomeLetterOn: "2026-09-28" });
    at("2026-12-01");
    await act("respond", { reference: i, text: "Review outcome sent" });
    await act("close", { reference: i, outcome: "responded" });
    await act("review_outcome", { reference: i, outcome: "upheld", reason: "Not proportionate" });
    await act("recommend", { reference: i, reason: "Retrain the officer" });
    at("2027-01-15");
    await act("record_satisfaction", { reference: i, score: 3, how: "phone" });
    at("2027-04-02");
    await act("force_answer", { reference: i, number: 1, answer: "accepted", reason: "Training booked" });
    await act("record_satisfaction", { reference: b, score: 1, how: "email" });
    await act("record_satisfaction", { reference: i, score: 4, how: "phone", comment: "Rang back: the training settles it" });

    // J: a review of the letter of Mon 26 Oct 2026, received Mon 2 Nov (Q4), found not upheld on Mon 14 Dec, corrected by
    // a manager to upheld on Mon 18 Jan 2027: one review, counted once, in Q4 (where it first found) and as upheld.
    at("2026-11-02");
    const j = await logged("2026-11-02", "review", { outcomeLetterOn: "2026-10-26" });
    at("2026-12-14");
    await act("review_outcome", { reference: j, outcome: "not-upheld", reason: "Reasonable and proportionate" });
    at("2027-01-18");
    await act("review_outcome", { reference: j, outcome: "upheld", reason: "The bodycam footage was never viewed" });

    // E: an FOI logged in error and voided: never counted.
    const e = await logged("2027-01-10", "foi");
    await act("void", { reference: e, reason: "Logged twice" });

    // G: an FOI received Mon 22 Mar, extended on Thu 25 Mar for the public-interest test, not yet answered.
    const g = await logged("2027-03-22", "foi");
    at("2027-03-25");
    await act("extend_clock", { reference: g, to: "2027-04-28", reason: "Public-interest test" });

    // H: an FOI logged Thu 1 Apr as received that day, then corrected to Tue 30 Mar: it counts in Q1.
    const h = await logged("2027-04-01", "foi");
    await act("correct_receipt", { reference: h, receivedOn: "2027-03-30", reason: "Found in the post tray" });

    at("2027-04-05");
    const { statement, csv, html } = await postbag.core.reports.complaintsStatement(office.manager, "2027-Q1");
    const row = (label: string) => statement.rows.find((candidate) => candidate.label === label)!;
    expect(statement.period).toMatchObject({ from: "2027-01-01", to: "2027-03-31" });
    expect(row("FOI request")).toMatchObject({ received: 3, completed: 2, withinTarget: 2, medianDays: 16, stops: 1, extensions: 1, unit: "uk_working_days" });
    // F's latest answer 2 and A's 5: average 3.5, one satisfied; asked on one case (F's letter).
    expect(row("FOI request")).toMatchObject({ satisfactionAsked: 1, satisfactionAnswers: 2, satisfactionAverage: 3.5, satisfied: 1 });
    expect(row("Subject-access request")).toMatchObject({ received: 1, completed: 1, withinTarget: 0, medianDays: 33, unit: "calendar_days", satisfactionAnswers: 0, satisfactionAverage: null });
    expect(row("Police complaint review")).toMatchObject({
      received: 2, inTime: 1, outOfTime: 1, lateAccepted: 0, lateRefused: 1, completed: 1, withinTarget: 1, medianDays: 15,
      upheld: 1, notUpheld: 0, recommendationsMade: 2, recommendationsAnswered: 1, recommendationsAwaiting: 2, recommendationsOverdue: 1,
      satisfactionAsked: 0, satisfactionAnswers: 1, satisfactionAverage: 4, satisfied: 1,
    });
    expect(row("Complaint about the Chief Constable")).toMatchObject({ received: 0, completed: 0, medianDays: null });

    // The spreadsheet carries the same figures; the page is a captioned table with row and column headers.
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("Type,Received,In time,Out of time,Late: accepted,Late: refused,Completed,Within target,Within target (%),Median time taken,Counted in,Clock stops,Extensions,Outcomes,Upheld,Not upheld,Recommendations made,Answered by the force,Awaiting the force's answer,Of them past their time,Satisfaction: cases asked,Satisfaction: answers,Satisfaction: average (1–5),Satisfaction: satisfied (4 or 5)");
    expect(lines).toContain("FOI request,3,,,,,2,2,100,16,UK working days,1,1,responded: 2,,,,,,,1,2,3.5,1");
    expect(lines).toContain("Police complaint review,2,1,1,0,1,1,1,100,15,working days,0,0,,1,0,2,1,2,1,0,1,4.0,1");
    expect(lines).toContain("Subject-access request,1,,,,,1,0,0,33,calendar days,0,0,responded: 1,,,,,,,0,0,,0");
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain("<caption>");
    expect(html).toContain('<th scope="row">Police complaint review</th>');

    // One command on any surface: the figures in words, the spreadsheet and the page as files.
    const result = await executeCommand(postbag.core, office.manager, parseCommand("statement 2027-Q1"), { audience: "private", request: cli });
    expect(result.kind).toBe("files");
    if (result.kind !== "files") return;
    expect(result.message).toContain("FOI request: 3 received; 2 completed, 2 within target (100%), median 16 UK working days; 1 clock stop, 1 extension; satisfaction asked on 1 case, 2 answers (average 3.5 of 5, 1 satisfied).");
    expect(result.message).toContain("Police complaint review: 2 received; 1 in time, 1 out of time (0 accepted, 1 refused); 1 completed, 1 within target (100%), median 15 working days; 1 upheld, 0 not upheld; 2 recommendations to the force, 1 answered, 2 awaiting an answer (1 past their time); satisfaction asked on 0 cases, 1 answer (average 4.0 of 5, 1 satisfied).");
    expect(result.files.map((file) => file.filename)).toEqual(["postbag-statement-2027-Q1.csv", "postbag-statement-2027-Q1.html"]);

    // Q4 2026, made the same day: I (upheld Tue 1 Dec) and J (found Mon 14 Dec, as corrected in Q1: upheld) — two upheld,
    // none not upheld. Q2 so far: B's first answer (1, Fri 2 Apr) counts there; I's correction of its Q1 answer does not.
    const q4 = (await postbag.core.reports.complaintsStatement(office.manager, "2026-Q4")).statement.rows.find((candidate) => candidate.type === "complaint_review")!;
    expect(q4).toMatchObject({ upheld: 2, notUpheld: 0 });
    const q2 = (await postbag.core.reports.complaintsStatement(office.manager, "2027-Q2")).statement.rows;
    expect(q2.find((candidate) => candidate.type === "subject_access_request")).toMatchObject({ satisfactionAnswers: 1, satisfactionAverage: 1 });
    expect(q2.find((candidate) => candidate.type === "complaint_review")).toMatchObject({ satisfactionAnswers: 0, upheld: 0, notUpheld: 0 });
  });

  it("leaves cases on statutory clocks out of the monthly report's timeliness figures (their own clocks judge them), counting them as received", async () => {
    // February 2027: B (a SAR, 15 Jan) and nothing else received; a letter on the office's standard received Mon 1 Feb,
    // answered Thu 18 Feb (13 working days: 2–5, 8–12, 15–18): late by the office's 10. An FOI received Mon 1 Feb,
    // answered Fri 26 Feb (19 UK working days): within its 20, and in no timeliness figure of the report.
    at("2027-02-01");
    const plain = (await postbag.core.cases.logCase(office.admin, letter({ receivedOn: "2027-02-01" }), cli)).reference;
    const foi = await logged("2027-02-01", "foi");
    at("2027-02-18");
    await act("respond", { reference: plain, text: "Answered" });
    at("2027-02-26");
    await act("respond", { reference: foi, text: "Answered" });
    at("2027-04-05");
    const report = await postbag.core.reports.performanceReport(office.manager, "2027-02");
    expect(report.received.total).toBe(2);
    expect(report.statutory).toBe(1);
    expect(report.respondedInTime).toEqual({ count: 0, of: 1, percent: 0 });
  });

  it("is for managers and viewers, for a quarter that has begun, named as YYYY-Qn", async () => {
    at("2027-04-05");
    await expect(postbag.core.reports.complaintsStatement(office.caseworker, "2027-Q1")).rejects.toThrow("Reports are for managers and viewers.");
    await expect(postbag.core.reports.complaintsStatement(office.manager, "2027-Q3")).rejects.toThrow("That quarter has not started yet.");
    const bad = await postbag.core.reports.complaintsStatement(office.manager, "Q1 2027").catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(DomainError);
    expect((bad as DomainError).message).toContain("Give the quarter as YYYY-Qn, like 2026-Q4.");
    // Nothing given: the last complete quarter.
    expect((await postbag.core.reports.complaintsStatement(office.viewer, undefined)).statement.period).toMatchObject({ from: "2027-01-01", to: "2027-03-31" });
  });
});
