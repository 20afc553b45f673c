import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { seedOffice, type Office } from "../support/office.ts";

/**
 * Mistakes put right from the CLI, as the issue found them: a name split in the wrong place, a year typed
 * wrong, a marker forgotten or set by mistake, a case logged in error, a step recorded a day
 * late. Each correction is on the timeline with what it replaced, in the audit, and in the
 * figures of any report made afterwards.
 */
describeEachDatabase("corrections", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-02T10:00:00Z"); // Wed 2 Dec 2026

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());
  beforeEach(() => clock.set("2026-12-02T10:00:00Z"));

  /** What the person reads at the CLI: the answer, or the refusal's message. */
  async function say(who: StaffRecord, text: string): Promise<string> {
    try {
      return resultText(await executeCommand(postbag.core, who, parseCommand(text), { audience: "private", request: { platform: "cli" } }));
    } catch (error) {
      if (isDomainError(error)) return `refused: ${error.message}`;
      throw error;
    }
  }
  const logged = async (text: string) => /Logged (PFCC-\d{4}-\d{4})/.exec(await say(office.admin, text))![1]!;
  const show = (reference: string, who: StaffRecord = office.manager) => postbag.core.cases.showCase(who, reference);
  const entries = async () => postbag.db.prisma.timelineEntry.count();
  const last = async (reference: string) => (await show(reference)).timeline!.entries.at(-1)!;

  it("a name split in the wrong place: the details are edited, the entry keeps the old ones, and search finds the case by both", async () => {
    const reference = await logged(`log letter 2026-12-01 Sam "Smith Noise"`);
    expect((await show(reference)).constituent?.name).toBe("Sam");
    expect((await show(reference)).subject).toBe("Smith Noise");

    expect(await say(office.admin, `edit ${reference} --name "Sam Smith" --subject Noise`)).toContain(`Details of ${reference} corrected`);
    const view = await show(reference);
    expect([view.constituent?.name, view.subject]).toEqual(["Sam Smith", "Noise"]);
    expect(await last(reference)).toMatchObject({
      type: "details_corrected",
      label: "Details corrected",
      actor: "Alice Admin",
      text: "Corrected constituent name “Sam” → “Sam Smith”; subject “Smith Noise” → “Noise”",
    });
    for (const text of ["Smith Noise", "Sam Smith"]) {
      expect((await postbag.core.cases.searchCases(office.manager, text)).map((found) => found.reference), text).toContain(reference);
    }
    expect(await say(office.admin, `edit ${reference} --subject Noise`)).toMatch(/refused: Nothing to change/);
    // The old values are in the entry's text, which an erasure clears; its kept detail names no one.
    const entry = await postbag.db.prisma.timelineEntry.findFirstOrThrow({ where: { case: { reference }, type: "details_corrected" } });
    expect(entry.detail).toEqual({ fields: ["name", "subject"], changes: {} });
    await say(office.manager, `close ${reference} withdrawn`);
    expect(await say(office.manager, `erase ${reference} --confirm`)).not.toMatch(/refused/);
    const erased = await postbag.db.prisma.timelineEntry.findMany({ where: { case: { reference } } });
    expect(JSON.stringify(erased.map((e) => [e.text, e.detail]))).not.toMatch(/Sam|Smith Noise/);
  });

  it("an email can be cleared; a caseworker edits their own cases only, and a viewer none", async () => {
    const reference = await logged(`log email 2026-12-01 "Ola Reed" Parking --email ola@example.com --assign "Carl Caseworker"`);
    const before = await entries();
    expect(await say(office.otherCaseworker, `edit ${reference} --phone 0123`)).toBe(`refused: Only Carl Caseworker (its assignee) or a manager can edit the details of ${reference}.`);
    expect(await say(office.viewer, `edit ${reference} --phone 0123`)).toMatch(/refused: Viewers can read cases but not change them/);
    expect(await say(office.admin, `edit ${reference} --phone 0123`)).toMatch(/refused: Only Carl Caseworker/);
    expect(await entries()).toBe(before);
    await say(office.caseworker, `edit ${reference} --email "" --phone "01234 567890"`);
    expect((await show(reference)).constituent).toMatchObject({ email: null, phone: "01234 567890" });
    expect((await last(reference)).text).toBe("Corrected email “ola@example.com” → (none); phone (none) → “01234 567890”");
  });

  it("a year typed wrong: the manager corrects the date received, every deadline follows it, and the old date is kept", async () => {
    const reference = await logged('log letter 2025-12-01 "Pat Jones" Street lights');
    const wrong = await show(reference);
    expect(wrong.acknowledgement).toMatchObject({ due: "2025-12-03", state: "overdue" });
    expect(wrong.acknowledgement.workingDaysLate).toBeGreaterThan(250);
    expect((await postbag.core.cases.listOverdue(office.manager)).map((v) => v.reference)).toContain(reference);
    const december2025 = await postbag.core.reports.performanceReport(office.manager, "2025-12");
    expect(december2025.received.total).toBe(1);
    const firstOfDecember = async () => (await postbag.core.reports.performanceReport(office.manager, "2026-12-01..2026-12-01")).received.total;
    const receivedOnTheFirst = await firstOfDecember();

    const before = await entries();
    expect(await say(office.caseworker, `correct-date ${reference} 2026-12-01 year typed wrong`)).toBe("refused: Only managers can correct the date received.");
    expect(await say(office.manager, `correct-date ${reference} 2026-12-03 typo`)).toBe("refused: Date received cannot be in the future.");
    expect(await say(office.manager, `correct-date ${reference} 2026-12-01`)).toMatch(/refused: Say which case, the correct date received and why\. Usage: correct-date/);
    expect(await entries()).toBe(before);

    // Received Tue 1 Dec 2026: acknowledge by Thu 3 Dec (2 working days), respond by Tue 15 Dec (10).
    expect(await say(office.manager, `correct-date ${reference} 2026-12-01 year typed wrong`)).toContain(
      `${reference} is now received Tue 1 Dec 2026: acknowledge by Thu 3 Dec 2026, respond by Tue 15 Dec 2026.`,
    );
    const right = await show(reference);
    expect([right.receivedOn, right.acknowledgement.due, right.acknowledgement.state, right.response.due]).toEqual(["2026-12-01", "2026-12-03", "pending", "2026-12-15"]);
    expect(await last(reference)).toMatchObject({ type: "receipt_corrected", actor: "Maya Manager", text: "Received Mon 1 Dec 2025 → Tue 1 Dec 2026, reason: year typed wrong" });
    expect((await postbag.core.cases.listOverdue(office.manager)).map((v) => v.reference)).not.toContain(reference);
    // Reports made afterwards count it on its true date.
    expect((await postbag.core.reports.performanceReport(office.manager, "2025-12")).received.total).toBe(0);
    expect(await firstOfDecember()).toBe(receivedOnTheFirst + 1);
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.exceptions.filter((e) => e.subject === reference)).toEqual([]);
  });

  it("the sensitive marker goes on and comes off (with a reason), by a manager only", async () => {
    const reference = await logged('log letter 2026-12-01 "Dee Vine" Domestic matter --assign "Carl Caseworker"');
    expect((await show(reference, office.otherCaseworker)).redacted).toBe(false);
    expect(await say(office.caseworker, `sensitive ${reference} on`)).toBe("refused: Only managers can change the sensitive marker.");
    expect(await say(office.manager, `sensitive ${reference} on victim details`)).toContain("is marked sensitive");
    expect(await show(reference, office.otherCaseworker)).toMatchObject({ redacted: true, subject: null, constituent: null });
    expect((await show(reference, office.caseworker)).redacted).toBe(false);
    const searched = await say(office.otherCaseworker, "search Dee Vine");
    expect(searched).toContain(`a sensitive case for this person exists (${reference}): ask its assignee or a manager`);
    expect(searched).not.toMatch(/Domestic/);
    expect(await say(office.manager, `sensitive ${reference} on`)).toBe(`refused: ${reference} is already marked sensitive.`);
    expect(await say(office.manager, `sensitive ${reference} off`)).toBe("refused: Say why the sensitive marker comes off.");
    expect(await say(office.manager, `sensitive ${reference} off marked by mistake`)).toContain("is no longer marked sensitive");
    expect((await show(reference)).timeline!.entries.slice(-2).map((e) => [e.type, e.text])).toEqual([
      ["marked_sensitive", "Marked sensitive, reason: victim details"],
      ["unmarked_sensitive", "Sensitive marker removed, reason: marked by mistake"],
    ]);
    const log = await postbag.core.accessLog.list(office.manager, 500);
    expect(log.filter((e) => e.action === "correction" && e.subject === reference).map((e) => e.detail)).toEqual(["sensitive marker changed", "sensitive marker changed"]);
  });

  it("a case logged in error is voided: out of every list and digest, its number kept, and reports count it apart", async () => {
    const reference = await logged('log phone 2026-11-20 "Ed Error" Logged twice');
    expect((await postbag.core.cases.listUnassigned(office.manager)).map((v) => v.reference)).toContain(reference);
    expect(await say(office.admin, `void ${reference} logged twice`)).toBe("refused: Only managers can void a case.");
    expect(await say(office.manager, `void ${reference} logged twice`)).toContain(`Voided ${reference}`);
    const view = await show(reference);
    expect([view.status, view.statusLabel, view.acknowledgement.state, view.response.state, view.nextActions]).toEqual(["voided", "Voided (logged in error)", "not_applicable", "not_applicable", []]);
    for (const list of [postbag.core.cases.listUnassigned(office.manager), postbag.core.cases.listOverdue(office.manager), postbag.core.cases.listStale(office.manager)]) {
      expect((await list).map((v) => v.reference)).not.toContain(reference);
    }
    const digest = await postbag.core.digests.previewManagerDigest(office.manager);
    expect(digest.sections.flatMap((section) => section.cases.map((c) => c.reference))).not.toContain(reference);
    expect(await say(office.manager, `note ${reference} one more thing`)).toBe(`refused: ${reference} was voided (logged in error), so nothing more is done on it.`);
    expect(await say(office.manager, `void ${reference} again`)).toMatch(/was voided/);

    const november = await postbag.core.reports.performanceReport(office.manager, "2026-11");
    expect(november.voided).toBe(1);
    expect(november.received.total).toBe(0);
    expect(await say(office.manager, "report 2026-11")).toContain("and 1 voided as logged in error (in no figure)");
    // The number is never reused, and the audit still adds up.
    const next = await logged('log letter 2026-12-01 "Nia Next" Another');
    expect(Number(next.slice(-4))).toBe(Number(reference.slice(-4)) + 1);
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.exceptions).toEqual([]);
    expect(audit.cases.voided).toBe(1);
    expect(audit.months.every((m) => m.logged === m.closed + m.voided + m.open)).toBe(true);
  });

  it("a step recorded later keeps the day it happened: clocks and reports use it, the timeline shows both", async () => {
    const reference = await logged('log letter 2026-11-27 "Liz Later" Bins --assign "Carl Caseworker"');
    // Received Fri 27 Nov: acknowledgement due Tue 1 Dec. It was acknowledged by phone on Tue 1 Dec, recorded on Wed 2 Dec.
    expect(await say(office.admin, `ack ${reference} phone --on 2026-12-03`)).toBe("refused: When it happened cannot be in the future.");
    expect(await say(office.admin, `ack ${reference} phone --on 2026-11-26`)).toBe("refused: When it happened cannot be before the case was received (Fri 27 Nov 2026).");
    expect(await say(office.admin, `ack ${reference} phone --on 2026-12-01`)).toContain(`Acknowledged ${reference} (Tue 1 Dec 2026).`);
    const view = await show(reference);
    expect(view.acknowledgement).toMatchObject({ state: "met", doneOn: "2026-12-01", workingDaysLate: 0 });
    expect(await last(reference)).toMatchObject({
      type: "acknowledged",
      at: "2026-12-01T12:00:00.000Z",
      onText: "Tue 1 Dec 2026 12:00",
      recordedAt: "2026-12-02T10:00:00.000Z",
      recordedText: "Wed 2 Dec 2026 10:00",
    });
    // Recorded today instead, it would have been a working day late; the report counts it on time.
    const report = await postbag.core.reports.performanceReport(office.manager, "2026-11-27..2026-11-27");
    expect(report.acknowledgedInTime).toEqual({ count: 1, of: 1, percent: 100 });
    expect(report.workingDaysToAcknowledge.median).toBe(2);
    // A referral recorded late expects its reply counted from the day it was sent (Tue 1 Dec + 10 working days).
    expect(await say(office.admin, `refer ${reference} "County Council" --on 2026-12-01`)).toContain("reply expected by Tue 15 Dec 2026");
  });

  it("corrections are hash-chained like any entry and are in the subject access file", async () => {
    const reference = await logged('log email 2026-12-01 "Sar Person" Hedges --email sar.person@example.com');
    await say(office.manager, `edit ${reference} --subject "Overgrown hedges"`);
    await say(office.manager, `correct-date ${reference} 2026-11-30 arrived on Monday`);
    const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, "sar.person@example.com", { platform: "cli" });
    const types = sar.file.cases.flatMap((c) => c.timeline.map((e) => e.type));
    expect(types).toEqual(expect.arrayContaining(["details_corrected", "receipt_corrected"]));
    expect(sar.text).toContain("Received Tue 1 Dec 2026 → Mon 30 Nov 2026, reason: arrived on Monday");
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.entries.verified).toBe(audit.entries.total);
    expect(audit.exceptions).toEqual([]);
  });
});
