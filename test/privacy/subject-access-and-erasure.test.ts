import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };
const NAME = "Philippa Quixotic-Zebedee";
const EMAIL = "pqz@example.net";
const PHONE = "07700 900789";
const SUMMARY = "Worried about her son's mental health after the arrest";
const NOTE = "Spoke to Philippa about the custody record";

describeEachDatabase("subject access and erasure", (database) => {
  let postbag: Postbag;
  let office: Office;
  const refs: string[] = [];
  const clock = new TestClock("2026-05-01T09:00:00Z");

  /** Every row of every table as text: the whole database, to search for what must be gone. */
  async function dump(): Promise<string> {
    return postbag.db.transaction(async (tx) => {
      const tables = await tx.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      const parts: string[] = [];
      for (const { table_name } of tables) {
        const rows = await tx.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
        parts.push(...rows.map((r) => r.row));
      }
      return parts.join("\n");
    });
  }

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
    const cases = postbag.core.cases;
    for (const [date, sensitive] of [["2026-05-01", true], ["2026-05-05", false]] as const) {
      clock.setLondonMorning(date);
      const view = await cases.logCase(
        office.admin,
        { channel: "email", receivedOn: date, constituent: { name: NAME, email: EMAIL, phone: PHONE, address: "12 Acacia Avenue" }, subject: "Custody concerns", summary: SUMMARY, themes: ["mental health"], sensitive, assignee: office.caseworker.id },
        cli,
      );
      refs.push(view.reference);
      await cases.perform(office.admin, "acknowledge", { reference: view.reference }, cli);
      await cases.perform(office.caseworker, "add_entry", { reference: view.reference, type: "call_out", text: NOTE }, cli);
      await cases.perform(office.caseworker, "refer", { reference: view.reference, partner: "Police" }, cli);
      await cases.perform(office.caseworker, "partner_reply", { reference: view.reference, text: `Custody sergeant spoke to ${NAME}` }, cli);
      await cases.perform(office.caseworker, "respond", { reference: view.reference, text: "Replied by email" }, cli);
      await cases.perform(office.caseworker, "close", { reference: view.reference, outcome: "responded" }, cli);
    }
    // Someone else, who must be untouched.
    await cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-05-05", constituent: { name: "Other Person" }, subject: "Street lights", summary: "Dark lane", assignee: office.caseworker.id }, cli);
    clock.setLondonMorning("2026-06-10");
  });
  afterAll(() => postbag?.close());

  it("subject access gives everything held, as JSON and readable text, and is audited", async () => {
    const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, EMAIL, cli);
    expect(sar.file.constituent).toMatchObject({ name: NAME, email: EMAIL, phone: PHONE, address: "12 Acacia Avenue" });
    expect(sar.file.cases.map((c) => c.reference)).toEqual(refs);
    const first = sar.file.cases[0]!;
    expect(first).toMatchObject({ subject: "Custody concerns", summary: SUMMARY, sensitive: true, themes: ["mental health"], outcome: "responded", assignee: "Carl Caseworker" });
    expect(first.timeline.map((e) => e.type)).toEqual(["logged", "assigned", "acknowledged", "call_out", "partner_referral", "partner_reply", "responded", "closed"]);
    expect(first.referrals).toEqual([{ partner: "Police", sentOn: "2026-05-01", expectedBy: "2026-05-18", repliedOn: "2026-05-01" }]);
    expect(JSON.parse(sar.json)).toEqual(sar.file);
    for (const fact of [NAME, EMAIL, PHONE, SUMMARY, NOTE, refs[0]!, refs[1]!]) expect(sar.text).toContain(fact);
    // The same person is found by a case reference or #id; an unknown one is refused.
    expect((await postbag.core.subjectAccess.subjectAccess(office.manager, refs[1], cli)).file.constituent.id).toBe(sar.file.constituent.id);
    await expect(postbag.core.subjectAccess.subjectAccess(office.manager, "nobody@example.org", cli)).rejects.toThrow(/Nobody on record/);
    await expect(postbag.core.subjectAccess.subjectAccess(office.caseworker, EMAIL, cli)).rejects.toBeInstanceOf(DomainError);
    const log = await postbag.core.accessLog.list(office.manager);
    expect(log[0]).toMatchObject({ action: "subject_access", subject: `constituent #${sar.file.constituent.id}`, actorName: "Maya Manager", platform: "cli" });
    expect(JSON.stringify(log)).not.toContain(NAME);
  });

  it("a manager reading a sensitive case in full is written to the audit log", async () => {
    await postbag.core.cases.showCase(office.manager, refs[0], { platform: "slack" });
    await postbag.core.cases.showCase(office.manager, refs[1], { platform: "slack" }); // not sensitive: not logged
    const [latest, before] = await postbag.core.accessLog.list(office.manager);
    expect(latest).toMatchObject({ action: "sensitive_read", subject: refs[0], platform: "slack" });
    expect(before?.action).not.toBe("sensitive_read");
  });

  it("erasure needs confirmation, then leaves the statistics, the audit and the hash chain as they were, and no personal data", async () => {
    const reportBefore = await postbag.core.reports.performanceReport(office.manager, "2026-05");
    const preview = await postbag.core.erasure.erase(office.manager, EMAIL, false, cli);
    expect(preview.done).toBe(false);
    expect(preview.message).toMatch(/--confirm/);
    expect(await dump()).toContain(NAME);

    const done = await postbag.core.erasure.erase(office.manager, EMAIL, true, cli);
    expect(done).toMatchObject({ done: true, references: refs });

    const everything = await dump();
    for (const personal of [NAME, "Philippa", EMAIL, PHONE, "Acacia", SUMMARY, NOTE, "Custody concerns", "custody record"]) {
      expect(everything).not.toContain(personal);
    }
    expect(everything).toContain("Other Person");
    expect(await postbag.core.reports.performanceReport(office.manager, "2026-05")).toEqual(reportBefore);
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.exceptionCount).toBe(0);
    expect(audit.entries.erased).toBe(16);
    expect(audit.entries.verified).toBe(audit.entries.total);
    expect(audit.cases.erased).toBe(2);
    const [logged] = await postbag.core.accessLog.list(office.manager);
    expect(logged).toMatchObject({ action: "erasure", actorName: "Maya Manager", detail: expect.stringContaining(refs.join(", ")) });
    // The anonymised record still reads as a case.
    const view = await postbag.core.cases.showCase(office.manager, refs[0]);
    expect(view).toMatchObject({ subject: "[erased]", summary: "", status: "closed", outcome: "responded", themes: ["mental health"] });
    expect(view.constituent?.name).toBe("[erased]");
    await expect(postbag.core.erasure.erase(office.manager, refs[0], true, cli)).rejects.toThrow(/erased already/);
  });

  it("erasing a complaint review clears the words of its clock (the late application's reason, the finding, the recommendation) and leaves its figures; nothing more is recorded on it", async () => {
    const cases = postbag.core.cases;
    const act = (name: string, input: Record<string, unknown>) => cases.perform(office.manager, name as never, input, cli);
    // The force's letter of Fri 1 May 2026; the application on Wed 10 Jun, 12 days out of time, accepted.
    const { reference } = await cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-06-10", constituent: { name: "Hortensia Wibblethwaite", email: "hw@example.net" }, subject: "Review of my complaint", assignee: office.caseworker.id }, cli);
    await act("set_type", { reference, type: "review", outcomeLetterOn: "2026-05-01" });
    await act("decide_late_application", { reference, decision: "accept", reason: "Hortensia was in hospital in May" });
    await act("review_outcome", { reference, outcome: "upheld", reason: "The sergeant never called Hortensia back" });
    await act("recommend", { reference, reason: "Apologise to Hortensia in writing" });
    await act("respond", { reference, text: "Outcome sent" });
    await act("close", { reference, outcome: "responded" });
    // Made Wed 10 Jun, the force's answer was due Wed 5 Aug (56 days): at the end of Q3 it still awaits it, past its time.
    clock.setLondonMorning("2026-10-05");
    const statements = async () => Promise.all(["2026-Q2", "2026-Q3"].map(async (quarter) => (await postbag.core.reports.complaintsStatement(office.manager, quarter)).statement));
    const statementBefore = await statements();
    expect(statementBefore[0]!.rows.find((row) => row.type === "complaint_review")).toMatchObject({ received: 1, outOfTime: 1, lateAccepted: 1, upheld: 1, recommendationsMade: 1 });
    expect(statementBefore[1]!.rows.find((row) => row.type === "complaint_review")).toMatchObject({ received: 0, recommendationsAwaiting: 1, recommendationsOverdue: 1 });
    const overdueAnswers = async () => (await postbag.core.digests.managerDigest("2026-10-05")).sections.find((section) => section.key === "force_answers_overdue")!.cases.map((view) => view.reference);
    expect(await overdueAnswers()).toContain(reference);

    await postbag.core.erasure.erase(office.manager, "hw@example.net", true, cli);
    const everything = await dump();
    for (const personal of ["Hortensia", "hospital in May", "sergeant never called", "Apologise to"]) expect(everything).not.toContain(personal);
    expect(await statements()).toEqual(statementBefore);
    expect((await postbag.core.audit.runAudit(office.manager)).exceptionCount).toBe(0);
    // The digest no longer chases the force about it, and nothing is offered or taken.
    expect(await overdueAnswers()).not.toContain(reference);
    const view = await cases.showCase(office.manager, reference);
    expect(view.nextActions).toEqual([]);
    expect(view.clock?.review?.outcome).toMatchObject({ upheld: true, reason: "[erased]" });
    for (const [name, input] of [["force_answer", { number: 1, answer: "accepted", reason: "Done" }], ["record_satisfaction", { score: 5, how: "phone" }], ["reopen", { reason: "Came back" }]] as const) {
      await expect(act(name, { reference, ...input })).rejects.toThrow(`${reference} was erased under the retention policy, so nothing more is recorded on it.`);
    }
  });

  it("refuses to erase an open case, and refuses non-managers", async () => {
    const open = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-06-10", constituent: { name: "Still Open" }, subject: "Pending" }, cli);
    await expect(postbag.core.erasure.erase(office.manager, open.reference, true, cli)).rejects.toThrow(/Close .* first/);
    await expect(postbag.core.erasure.erase(office.caseworker, open.reference, true, cli)).rejects.toThrow(/Only managers/);
  });

  it("lists closed cases past the retention period for review", async () => {
    const before = await postbag.core.erasure.dueForReview(office.manager);
    expect(before.total).toBe(0);
    clock.setLondonMorning("2032-06-10");
    const review = await postbag.core.erasure.dueForReview(office.manager);
    expect(review.cutoff).toBe("2026-06-10");
    expect(review.total).toBe(0); // the only closed cases were erased already
  });
});
