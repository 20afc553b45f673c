import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { clockLines } from "../../src/bots/shared/case-words.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { TestClock } from "../support/clock.ts";
import { refusal } from "../support/refusal.ts";
import { describeEachDatabase, openTestPostbag, TEST_SETTINGS } from "../support/databases.ts";
import { clockSettingsSchema } from "../../src/domain/clocks/clock.schema.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };


/**
 * The statutory clocks on real cases: each type given to a case, its due dates stored and
 * recomputed as the clock stops, restarts and is extended, the lists and the card reading them.
 * Every date below is worked by hand in the comment beside it.
 */
describeEachDatabase("statutory clocks on cases", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-17T10:00:00Z");

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());
  beforeEach(() => clock.set("2026-12-17T10:00:00Z"));

  const cases = () => postbag.core.cases;
  const act = async (name: string, input: Record<string, unknown>, who: keyof Office = "caseworker") => (await cases().perform(office[who], name as never, input, cli)).view;
  const logged = async (receivedOn: string) => (await cases().logCase(office.admin, letter({ receivedOn }), cli)).reference;
  const assignedToCarl = async (receivedOn: string) => {
    const reference = await logged(receivedOn);
    await act("assign", { reference, assignee: "carl@pfcc.example" }, "manager");
    return reference;
  };

  it("an FOI request: 20 working days with a bank holiday anywhere in the UK left out; stopped for clarification it is not due and leaves the overdue list; the reply starts a fresh 20; an extension is capped at 20 more; lateness counts in the Act's days", async () => {
    // Received Thu 17 Dec 2026. UK working days: 18, 21, 22, 23, 24 (5); 25 Christmas, 28 (Boxing Day's substitute)
    // out; 29, 30, 31 (8); 1 Jan out; Mon 4 Jan out (Scotland's 2 January, a Saturday, moved to Monday); 5–8 (12);
    // 11–15 (17); 18, 19, 20 (20): due Wed 20 Jan 2027 — a day later than the office's own count in England.
    const reference = await assignedToCarl("2026-12-17");
    const typed = await act("set_type", { reference, type: "foi" });
    expect(typed.respondBy).toBe("2027-01-20");
    expect(typed.clock).toMatchObject({ type: "foi_request", label: "FOI request", responseStep: "response", unit: "uk_working_days", stopped: null });
    await act("acknowledge", { reference, method: "letter" });

    // Fri 18 Dec: clarification asked for. The clock stops and its date is not due.
    clock.set("2026-12-18T10:00:00Z");
    const stopped = await act("stop_clock", { reference, awaiting: "clarification", reason: "Which years do you mean?" });
    expect(stopped.response.state).toBe("stopped");
    expect(clockLines(stopped).map((line) => line.text)).toContain("Clock stopped Fri 18 Dec 2026, awaiting clarification: Which years do you mean?");
    expect(stopped.nextActions).toContain("restart_clock");
    expect(stopped.nextActions).not.toContain("stop_clock");
    expect(stopped.nextActions).not.toContain("extend_clock");

    // Mon 25 Jan 2027, past the old date: still not overdue while stopped.
    clock.set("2027-01-25T10:00:00Z");
    expect((await cases().listOverdue(office.manager)).map((view) => view.reference)).not.toContain(reference);
    expect((await cases().showCase(office.caseworker, reference)).response.state).toBe("stopped");
    // The manager digest lists it as waiting on the requester, never as overdue.
    const digest = await postbag.core.digests.managerDigest("2027-01-25");
    const listed = (key: string) => digest.sections.find((section) => section.key === key)?.cases.map((view) => view.reference) ?? [];
    expect(listed("clocks_stopped")).toContain(reference);
    expect(listed("response_overdue")).not.toContain(reference);

    // The reply arrives Mon 25 Jan: a fresh 20 from it. 26–29 Jan (4); 1–5 Feb (9); 8–12 (14); 15–19 (19); Mon 22 Feb (20).
    const restarted = await act("restart_clock", { reference });
    expect([restarted.respondBy, restarted.response.state, restarted.clock?.stopped]).toEqual(["2027-02-22", "pending", null]);

    // An extension by Mon 22 Feb may run 20 more UK working days: 23–26 Feb (4); 1–5 Mar (9); 8–12 (14); 15, 16 (16);
    // Wed 17 Mar St Patrick's Day (Northern Ireland) out; 18, 19 (18); 22 (19); Tue 23 Mar (20).
    clock.set("2027-02-22T10:00:00Z");
    const tooFar = await refusal(act("extend_clock", { reference, to: "2027-03-24", reason: "Public-interest test" }));
    expect(tooFar.message).toContain("choose Tue 23 Mar 2027 or earlier");
    const extended = await act("extend_clock", { reference, to: "2027-03-23", reason: "Public-interest test" });
    expect(extended.respondBy).toBe("2027-03-23");
    expect(clockLines(extended).map((line) => line.text)).toContain("Extended Mon 22 Feb 2027 from Mon 22 Feb 2027 to Tue 23 Mar 2027: Public-interest test");

    // Thu 25 Mar, unanswered: 2 UK working days late (24, 25), and on the overdue list.
    clock.set("2027-03-25T10:00:00Z");
    const late = await cases().showCase(office.caseworker, reference);
    expect(late.response).toMatchObject({ state: "overdue", daysLate: 2, unit: "uk_working_days" });
    expect((await cases().listOverdue(office.manager)).map((view) => view.reference)).toContain(reference);

    // Each step is on the timeline, with its reason.
    const timeline = (await cases().showCase(office.caseworker, reference)).timeline!.entries.map((entry) => entry.label);
    expect(timeline).toEqual(expect.arrayContaining(["Statutory type set", "Clock stopped", "Clock restarted", "Extended"]));
  });

  it("a subject-access request: one calendar month, 31 January runs to 28 February; two further months run to 30 April; lateness counts calendar days", async () => {
    clock.set("2027-02-01T10:00:00Z");
    const reference = await assignedToCarl("2027-01-31");
    expect((await act("set_type", { reference, type: "sar" })).respondBy).toBe("2027-02-28");
    clock.set("2027-02-10T10:00:00Z");
    const twoMonths = await act("extend_clock", { reference, months: 2, reason: "Many records in three systems" });
    // 31 Jan + 3 months: 31 Apr does not exist, so Fri 30 Apr 2027.
    expect(twoMonths.respondBy).toBe("2027-04-30");
    const more = await refusal(act("extend_clock", { reference, months: 1, reason: "Still more" }));
    expect(more.message).toContain("already extended by two months");
    clock.set("2027-05-03T10:00:00Z");
    expect((await cases().showCase(office.caseworker, reference)).response).toMatchObject({ state: "overdue", daysLate: 3, unit: "calendar_days" });
  });

  it("a police complaint review asked for a day out of time is flagged for a manager's decision; its targets are 5 and 28 working days; nothing stops its clock", async () => {
    // Outcome letter Thu 1 Oct 2026: the last day is Thu 29 Oct (day 28). Received Fri 30 Oct: one day late.
    clock.set("2026-11-02T10:00:00Z");
    const reference = await assignedToCarl("2026-10-30");
    const typed = await act("set_type", { reference, type: "review", outcomeLetterOn: "2026-10-01" });
    // Acknowledge: 2–6 Nov, Fri 6 Nov (5). Complete: 2–6 (5), 9–13 (10), 16–20 (15), 23–27 (20), 30 Nov–4 Dec (25), 7, 8, Wed 9 Dec (28).
    expect([typed.acknowledgeBy, typed.respondBy]).toEqual(["2026-11-06", "2026-12-09"]);
    expect(typed.clock?.application).toMatchObject({ inTime: false, daysLate: 1, lastDayText: "Thu 29 Oct 2026", decision: "needed" });
    expect(clockLines(typed).find((line) => line.urgency === "late")?.text).toBe("Application made 1 day out of time (last day Thu 29 Oct 2026): a manager decides whether to accept it");

    const noStop = await refusal(act("stop_clock", { reference, awaiting: "clarification", reason: "?" }));
    expect(noStop.message).toContain("You cannot stop the clock on a police complaint review");
    const notTheirs = await refusal(act("decide_late_application", { reference, decision: "accept", reason: "In hospital" }));
    expect(notTheirs.code).toBe("not_permitted");

    // The manager digest asks for the decision; the caseworker's own digest too.
    const owed = (digest: { sections: { key: string; cases: { reference: string }[] }[] }) => digest.sections.find((section) => section.key === "clock_decisions")!.cases.map((view) => view.reference);
    expect(owed(await postbag.core.digests.managerDigest("2026-11-02"))).toContain(reference);
    expect(owed(await postbag.core.digests.personalDigest(office.caseworker, "2026-11-02"))).toContain(reference);
    const managerSees = await cases().showCase(office.manager, reference);
    expect(managerSees.nextActions).toContain("decide_late_application");
    // No finding before the decision: not offered, and refused when asked anyway.
    expect(managerSees.nextActions).not.toContain("review_outcome");
    const tooSoon = await refusal(act("review_outcome", { reference, outcome: "upheld", reason: "Not proportionate" }));
    expect(tooSoon.message).toBe("The application was made out of time: a manager decides whether to accept it before the review can find.");
    const decided = await act("decide_late_application", { reference, decision: "accept", reason: "In hospital until 29 October" }, "manager");
    expect(decided.clock?.application).toMatchObject({ decision: "accepted", reason: "In hospital until 29 October" });
    expect(decided.nextActions).not.toContain("decide_late_application");
    expect(decided.nextActions).toContain("review_outcome");
    // Dated before the decision, neither a new decision nor a finding would be read after it: refused.
    const redecided = await refusal(act("decide_late_application", { reference, decision: "refuse", reason: "Second thoughts", on: "2026-10-30" }, "manager"));
    expect(redecided.message).toBe("The decision being changed is dated Mon 2 Nov 2026: date the new one then or later.");
    const foundBefore = await refusal(act("review_outcome", { reference, outcome: "upheld", reason: "Not proportionate", on: "2026-10-30" }));
    expect(foundBefore.message).toBe("The late application was decided on Mon 2 Nov 2026: the review's finding cannot be dated before it.");
    // Once the review has found (Wed 4 Nov), the decision that let it go ahead stands: a new one is refused however dated,
    // even between the two (which the clock, reading by date, would otherwise take as coming before the finding).
    clock.set("2026-11-04T10:00:00Z");
    await act("review_outcome", { reference, outcome: "not-upheld", reason: "Reasonable and proportionate" });
    for (const on of ["2026-11-03", "2026-11-04"]) {
      const unmade = await refusal(act("decide_late_application", { reference, decision: "refuse", reason: "Second thoughts", on }, "manager"));
      expect(unmade.message).toBe("The review has found (Wed 4 Nov 2026), so the decision to accept the late application stands.");
    }
  });

  it("a late application closed before it was decided is decided on the closed case; nothing else of the clock's moves there", async () => {
    clock.set("2026-11-02T10:00:00Z");
    const reference = await assignedToCarl("2026-10-30");
    await act("set_type", { reference, type: "review", outcomeLetterOn: "2026-10-01" });
    await act("close", { reference, outcome: "withdrawn", reason: "Asked to withdraw by phone" }, "manager");
    const closed = await cases().showCase(office.manager, reference);
    expect(closed.nextActions).toContain("decide_late_application");
    const decided = await act("decide_late_application", { reference, decision: "refuse", reason: "No special circumstances" }, "manager");
    expect(decided).toMatchObject({ status: "closed", clock: { application: { decision: "refused" } } });
  });

  it("confirms a recommendation dated before another by its own number", async () => {
    clock.set("2026-11-09T10:00:00Z");
    const reference = await assignedToCarl("2026-11-09");
    await act("set_type", { reference, type: "review", outcomeLetterOn: "2026-11-02" });
    clock.set("2026-12-01T10:00:00Z");
    await act("review_outcome", { reference, outcome: "upheld", reason: "Not proportionate", on: "2026-11-20" });
    await act("recommend", { reference, reason: "Apologise" });
    const backdated = await cases().perform(office.caseworker, "recommend", { reference, reason: "Retrain the officer", on: "2026-11-23" }, cli);
    // 23 Nov + 56 days: 7 in Nov, 31 in Dec, 18 Jan 2027.
    expect(backdated.message).toBe(`Recommendation 2 on ${reference} is recorded: the force's answer is due by Mon 18 Jan 2027.`);
    const early = await refusal(act("force_answer", { reference, number: 1, answer: "accepted", reason: "Done", on: "2026-11-30" }));
    expect(early.message).toBe("Recommendation 1 was made on Tue 1 Dec 2026: the force's answer cannot be dated before it.");
  });

  it("a police complaint review's finding and its recommendations to the force, tracked after the case is closed until the force answers each; the digest lists an answer past its 56 days", async () => {
    clock.set("2026-11-09T10:00:00Z");
    const reference = await assignedToCarl("2026-11-09");
    await act("set_type", { reference, type: "review", outcomeLetterOn: "2026-11-02" });
    await act("acknowledge", { reference, method: "letter" });
    clock.set("2026-12-01T10:00:00Z");
    await act("respond", { reference, text: "Review outcome letter sent" });
    const closed = await act("close", { reference, outcome: "responded" });
    expect(closed.nextActions).toContain("review_outcome");
    expect(closed.nextActions).not.toContain("recommend");

    // Recorded the next day, on the closed case: upheld, with two recommendations.
    clock.set("2026-12-02T10:00:00Z");
    const found = await act("review_outcome", { reference, outcome: "upheld", reason: "The force did not speak to the witness" });
    expect(found.status).toBe("closed");
    expect(found.nextActions).toEqual(expect.arrayContaining(["recommend"]));
    expect(found.nextActions).not.toContain("review_outcome");
    await act("recommend", { reference, reason: "Interview the witness" });
    const second = await act("recommend", { reference, reason: "Apologise for the delay" });
    // 2 Dec 2026 + 56 calendar days: 31 Dec is day 29, so Wed 27 Jan 2027.
    expect(clockLines(second).map((line) => line.text)).toEqual(expect.arrayContaining([
      "Review upheld Wed 2 Dec 2026: The force did not speak to the witness",
      "Recommendation 1 to the force (Wed 2 Dec 2026): Interview the witness — the force's answer is due by Wed 27 Jan 2027",
      "Recommendation 2 to the force (Wed 2 Dec 2026): Apologise for the delay — the force's answer is due by Wed 27 Jan 2027",
    ]));
    const notUpheldNow = await refusal(act("review_outcome", { reference, outcome: "not-upheld", reason: "Second thoughts" }));
    expect(notUpheldNow.code).toBe("not_permitted");
    // A manager's correction dated before the finding it corrects would not correct it: refused.
    const backdated = await refusal(act("review_outcome", { reference, outcome: "upheld", reason: "Restated", on: "2026-12-01" }, "manager"));
    expect(backdated.message).toBe("The finding being corrected is dated Wed 2 Dec 2026: date the correction then or later.");
    // The first finding is the review's work; a manager's restatement is a correction, in the audit log (what it says is not).
    const corrections = async () => (await postbag.core.accessLog.list(office.manager)).filter((event) => event.action === "correction" && event.subject === reference);
    expect(await corrections()).toEqual([]);
    await act("review_outcome", { reference, outcome: "upheld", reason: "The force did not speak to the witness or the neighbour" }, "manager");
    expect(await corrections()).toMatchObject([{ detail: "review finding corrected", actorName: "Maya Manager" }]);

    // Sensitive: the office digest in its channel withholds the details, and still lists the case.
    await act("set_sensitive", { reference, sensitive: "on", reason: "Health details in the complaint" }, "manager");
    const overdueAnswers = async (asOf: string) => (await postbag.core.digests.managerDigest(asOf)).sections.find((section) => section.key === "force_answers_overdue")!.cases.map((view) => view.reference);
    // Due on Wed 27 Jan: not yet late. Thu 28 Jan: a day late, on the manager's and Carl's digests though the case is closed.
    clock.set("2027-01-27T10:00:00Z");
    expect(await overdueAnswers("2027-01-27")).not.toContain(reference);
    clock.set("2027-01-28T10:00:00Z");
    expect(await overdueAnswers("2027-01-28")).toContain(reference);
    const carls = await postbag.core.digests.personalDigest(office.caseworker, "2027-01-28");
    const carlsSection = carls.sections.find((section) => section.key === "force_answers_overdue")!;
    expect(carlsSection.cases.map((view) => view.reference)).toContain(reference);
    // Its "see all" lists every such review, the closed one among them (`mine` lists open cases only).
    const seeAll = await executeCommand(postbag.core, office.caseworker, parseCommand(carlsSection.seeAll), { audience: "private", request: cli });
    expect(seeAll).toMatchObject({ kind: "cases", title: "The office's reviews awaiting the force's answer past its time (closed ones too)" });
    expect(seeAll.kind === "cases" && seeAll.views.map((view) => view.reference)).toContain(reference);
    const late = await cases().showCase(office.caseworker, reference);
    expect(clockLines(late).filter((line) => line.urgency === "late").map((line) => line.text)).toEqual([
      "Recommendation 1 to the force (Wed 2 Dec 2026): Interview the witness — the force's answer was due Wed 27 Jan 2027 (1 calendar day late)",
      "Recommendation 2 to the force (Wed 2 Dec 2026): Apologise for the delay — the force's answer was due Wed 27 Jan 2027 (1 calendar day late)",
    ]);

    // The force answers one: still listed for the other. Answering it too takes the case off.
    await act("force_answer", { reference, number: 1, answer: "accepted", reason: "The witness will be interviewed" });
    expect(await overdueAnswers("2027-01-28")).toContain(reference);
    const twice = await refusal(act("force_answer", { reference, number: 1, answer: "accepted", reason: "Again" }));
    expect(twice.message).toContain("The force's answer to recommendation 1 was recorded on Thu 28 Jan 2027");
    const all = await act("force_answer", { reference, number: 2, answer: "not-accepted", reason: "The delay was reasonable" });
    expect(await overdueAnswers("2027-01-28")).not.toContain(reference);
    expect(all.nextActions).not.toContain("force_answer");
    expect(clockLines(all).map((line) => line.text)).toContain("Recommendation 2 to the force (Wed 2 Dec 2026): Apologise for the delay — not accepted by the force Thu 28 Jan 2027: The delay was reasonable");
    const timeline = (await cases().showCase(office.caseworker, reference)).timeline!.entries.map((entry) => entry.label);
    expect(timeline).toEqual(expect.arrayContaining(["Review outcome", "Recommendation to the force", "Force answered a recommendation"]));
  });

  it("a complaint about the Chief Constable: the recording decision in 10 working days; any call, letter, email or meeting with the complainant is their update, the next owed 28 days after it", async () => {
    clock.set("2026-11-02T10:00:00Z");
    const reference = await assignedToCarl("2026-11-02");
    const typed = await act("set_type", { reference, type: "cc-complaint" });
    // 3–6 Nov (4), 9–13 (9), Mon 16 Nov (10).
    expect(typed.respondBy).toBe("2026-11-16");
    // 2 Nov + 28 days: Mon 30 Nov.
    expect(typed.clock?.nextUpdate).toMatchObject({ dueText: "Mon 30 Nov 2026", state: "pending" });
    clock.set("2026-11-20T10:00:00Z");
    const rang = await act("add_entry", { reference, type: "call_out", text: "Told them the complaint is recorded" });
    // 20 Nov + 28 days: Fri 18 Dec.
    expect(rang.clock?.nextUpdate).toMatchObject({ dueText: "Fri 18 Dec 2026", state: "pending" });
    clock.set("2026-12-21T10:00:00Z");
    const owed = await cases().showCase(office.caseworker, reference);
    expect(clockLines(owed).find((line) => line.urgency === "late")?.text).toBe("Update to the complainant owed since Fri 18 Dec 2026 (3 calendar days late)");
    expect((await postbag.core.digests.managerDigest("2026-12-21")).sections.find((section) => section.key === "clock_decisions")!.cases.map((view) => view.reference)).toContain(reference);
  });

  it("a case on the office's own standard has no clock to stop, and a type can be taken off again", async () => {
    const reference = await assignedToCarl("2026-12-17");
    const none = await refusal(act("stop_clock", { reference, awaiting: "clarification", reason: "?" }));
    expect(none.message).toContain(`${reference} runs on the office's own standard`);
    await act("set_type", { reference, type: "sar" });
    const back = await act("set_type", { reference, type: "none" });
    // The office's 10 working days from Thu 17 Dec: 18, 21–24 (5), 29–31 (8), 4, 5 Jan (10).
    expect([back.clock, back.respondBy]).toEqual([null, "2027-01-05"]);
    const badType = await refusal(act("set_type", { reference, type: "parking" }));
    expect(badType.message).toContain("Say which type: review, cc-complaint, foi, foi-review, sar, none.");
  });
  it("a corrected date of receipt moves the office's acknowledgement date on a clock that has none of its own; a clock with stops or extensions changes type only by a manager", async () => {
    clock.set("2027-03-10T10:00:00Z");
    const reference = await assignedToCarl("2027-03-10");
    await act("set_type", { reference, type: "foi" });
    // Corrected to Tue 2 Mar: acknowledge by Thu 4 Mar (2 office working days). Respond by the Act's 20: 3–5 (3), 8–12 (8),
    // 15, 16 (10), 17 (St Patrick's Day) out, 18, 19 (12), 22–25 (16), Good Friday 26 and Easter Monday 29 out, 30, 31, 1 Apr, Fri 2 Apr (20).
    const corrected = await act("correct_receipt", { reference, receivedOn: "2027-03-02", reason: "Found in the post tray" }, "manager");
    expect([corrected.acknowledgeBy, corrected.respondBy]).toEqual(["2027-03-04", "2027-04-02"]);
    await act("stop_clock", { reference, awaiting: "clarification", reason: "Which year?" });
    const refused = await refusal(act("set_type", { reference, type: "none" }));
    expect(refused.message).toBe("Only managers can change the type of a case whose clock has been stopped, extended or decided on.");
    expect((await act("set_type", { reference, type: "none" }, "manager")).clock).toBeNull();
  });

  it("a case logged with its type is written whole or not at all: when its clock cannot be written, no case, person or entry is left", async () => {
    const counts = () =>
      postbag.db.transaction(async (tx) => {
        const [row] = await tx.query<{ cases: number; people: number; entries: number }>(
          `SELECT (SELECT count(*)::int FROM "case") AS cases, (SELECT count(*)::int FROM "constituent") AS people, (SELECT count(*)::int FROM "timeline_entry") AS entries`,
        );
        return row!;
      });
    const before = await counts();
    // A fault in the database itself at the clock's write (the second statement of the transaction), not a stand-in for it.
    await postbag.db.transaction(async (tx) => {
      await tx.query(`CREATE FUNCTION "test_refuse_clock"() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'test: the clock cannot be written'; END; $$ LANGUAGE plpgsql`);
      await tx.query(`CREATE TRIGGER "test_refuse_clock" BEFORE UPDATE OF "clock" ON "case" FOR EACH ROW EXECUTE FUNCTION "test_refuse_clock"()`);
    });
    try {
      await expect(cases().logCase(office.admin, { ...letter({ receivedOn: "2026-12-17" }), constituent: { name: "Una Written" }, type: "foi" }, cli)).rejects.toThrow(/the clock cannot be written/);
    } finally {
      await postbag.db.transaction(async (tx) => {
        await tx.query(`DROP TRIGGER "test_refuse_clock" ON "case"`);
        await tx.query(`DROP FUNCTION "test_refuse_clock"()`);
      });
    }
    expect(await counts()).toEqual(before);
    // Without the fault it is logged, on its clock.
    const logged = await cases().logCase(office.admin, { ...letter({ receivedOn: "2026-12-17" }), constituent: { name: "Una Written" }, type: "foi" }, cli);
    expect(logged.clock?.type).toBe("foi_request");
  });

  it("a case logged with its type runs on its clock from the start and goes to that type's queue; a type's date without the type, or a review without its letter, is refused with nothing written", async () => {
    const run = (words: string, who: keyof Office = "admin") => executeCommand(postbag.core, office[who], parseCommand(words), { audience: "private", request: cli });
    await run('team add "Requests" --types foi,sar', "manager");
    clock.set("2026-12-17T10:00:00Z");
    const logged = await run('log email 2026-12-17 "Fran Foi" Stop and search figures --email fran@example.com --type foi');
    // The same FOI dates as above: due Wed 20 Jan 2027, a day after the office's own count would give.
    expect(logged.kind === "case" && logged.message).toMatch(/^Logged PFCC-2026-\d{4}\. Acknowledge by Mon 21 Dec 2026; respond by Wed 20 Jan 2027\.$/);
    const reference = logged.kind === "case" ? logged.view.reference : "";
    const queue = await run('queue "Requests"', "manager");
    expect(queue.kind === "cases" && queue.views.map((view) => view.reference)).toContain(reference);
    expect((await cases().showCase(office.admin, reference)).timeline!.entries.map((entry) => entry.label)).toEqual(["Logged", "Statutory type set"]);

    const before = await postbag.db.prisma.case.count();
    await expect(run('log letter 2026-12-17 "Rob Review" My complaint --outcome-letter 2026-12-01')).rejects.toThrow("That date is for a case of a statutory type: give the type too");
    await expect(run('log letter 2026-12-17 "Rob Review" My complaint --type review')).rejects.toThrow("A police complaint review needs the date of the force's outcome letter");
    // Typed, the refusal ends with the command's usage, naming its flags (a form shows it beside the field instead).
    await expect(run('log letter 2026-12-17 "Rob Review" My complaint --type review')).rejects.toThrow(/it asks to have reviewed\. Usage: log .*\[--type foi\|foi-review\|sar\|review\|cc-complaint \[--outcome-letter YYYY-MM-DD\]/);
    await expect(run('log letter 2026-12-17 "Rob Review" My complaint --type parking')).rejects.toThrow("Say which statutory type: review, cc-complaint, foi, foi-review, sar, none.");
    expect(await postbag.db.prisma.case.count()).toBe(before);
  });

  it("takes the office's own published target from its settings (a review completed in 20 working days), never the law's 56 days for the force's answer", async () => {
    const standards = { ...TEST_SETTINGS.standards, clocks: clockSettingsSchema.parse({ complaintReview: { completeWorkingDays: 20 } }) };
    const own = await openTestPostbag(database, clock, { ...TEST_SETTINGS, standards });
    try {
      const staff = await seedOffice(own);
      clock.set("2027-01-04T10:00:00Z");
      const { reference } = await own.core.cases.logCase(staff.admin, letter({ receivedOn: "2027-01-04" }), cli);
      const typed = (await own.core.cases.perform(staff.manager, "set_type", { reference, type: "review", outcomeLetterOn: "2026-12-30" }, cli)).view;
      // From Mon 4 Jan 2027: 5–8 (4), 11–15 (9), 18–22 (14), 25–29 (19), Mon 1 Feb (20).
      expect(typed.respondBy).toBe("2027-02-01");
      await own.core.cases.perform(staff.manager, "review_outcome", { reference, outcome: "upheld", reason: "Not proportionate" }, cli);
      const made = (await own.core.cases.perform(staff.manager, "recommend", { reference, reason: "Apologise" }, cli)).view;
      // 4 Jan + 56 days: Mon 1 Mar.
      expect(made.clock?.review?.recommendations[0]).toMatchObject({ answerDueText: "Mon 1 Mar 2027" });
    } finally {
      await own.close();
    }
  });
});
