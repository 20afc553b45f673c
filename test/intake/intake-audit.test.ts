import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { auditText, reportText } from "../../src/bots/shared/report-text.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { mail } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";

/**
 * The no-loss audit covers mail (issue 16): every email received is logged, added to a case or
 * dismissed with a reason and a name within one working day; one that is none of these is an
 * exception, in the manager's digest; and the audit and the monthly report give the figures.
 */
describeEachDatabase("the no-loss audit of mail intake", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-07T10:00:00Z"); // Monday 7 December 2026
  let uid = 0;

  /** What the intake job does with a batch read from a mailbox: the parsed messages recorded with the cursor. */
  async function receive(...raws: string[]): Promise<number[]> {
    const messages = [];
    for (const raw of raws) {
      uid += 1;
      messages.push({ sourceKey: `1:${uid}`, deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) });
    }
    return postbag.core.intake.receive("imap:intake@mail.example/INBOX", { messages, cursor: { kind: "imap", uidValidity: 1, lastUid: uid } });
  }
  const intakeExceptions = async () => (await postbag.core.audit.runAudit(office.manager)).exceptions.filter((e) => e.kind === "intake_unaccounted").map((e) => e.subject);

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  it("an email undecided after its working day is an exception and in the manager's digest; decided ones are counted", async () => {
    const [logged, attached, dismissed, forgotten] = await receive(mail.plain({ subject: "To log" }), mail.plain({ subject: "To add" }), mail.plain({ subject: "Spam" }), mail.plain({ subject: "Forgotten" }));
    const target = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-12-07", constituent: { name: "Jane Doe", email: "jane@example.com" }, subject: "Earlier" }, { platform: "cli" });
    await postbag.core.intake.log(office.admin, { id: logged }, { platform: "cli" });
    await postbag.core.intake.attach(office.admin, { id: attached, reference: target.reference }, { platform: "cli" });
    await postbag.core.intake.dismiss(office.admin, { id: dismissed, reason: "spam" });

    expect(await intakeExceptions()).toEqual([]);
    clock.setLondonMorning("2026-12-08"); // working day 1: still in time
    expect(await intakeExceptions()).toEqual([]);

    clock.setLondonMorning("2026-12-09");
    expect(await intakeExceptions()).toEqual([`email #${forgotten}`]);
    const report = await postbag.core.audit.runAudit(office.manager);
    expect(report.intake).toEqual({ received: 4, logged: 1, attached: 1, dismissed: 1, dismissedBy: { spam: 1 }, undecided: 1, unreadable: 0, unaccounted: 1, awaiting: 0 });
    expect(auditText(report)).toContain("Email: received 4, logged 1, added to cases 1, dismissed 1, awaiting triage 0, unaccounted 1");
    expect(auditText(report)).toContain(`Email received and not logged, added to a case or dismissed within a working day: 1\n  email #${forgotten}: received Mon 7 Dec 2026 10:00, awaiting triage: intake show ${forgotten}`);

    const digest = await postbag.core.digests.managerDigest("2026-12-09");
    expect(digest.sections.find((section) => section.key === "emails_unaccounted")).toMatchObject({ count: 1, seeAll: "intake list" });

    await postbag.core.intake.dismiss(office.manager, { id: forgotten, reason: "not-for-us" });
    expect(await intakeExceptions()).toEqual([]);
    expect((await postbag.core.digests.managerDigest("2026-12-09")).sections.some((section) => section.key === "emails_unaccounted")).toBe(false);
  });

  it("a weekend does not count: Friday's email is due by the end of Monday", async () => {
    clock.setLondonMorning("2026-12-11"); // Friday
    const [friday] = await receive(mail.plain({ subject: "Friday" }));
    clock.setLondonMorning("2026-12-14"); // Monday: working day 1
    expect(await intakeExceptions()).toEqual([]);
    clock.setLondonMorning("2026-12-15");
    expect(await intakeExceptions()).toEqual([`email #${friday}`]);
  });

  it("the monthly report counts the month's emails, dismissed by reason", async () => {
    clock.setLondonMorning("2027-01-05");
    const report = await postbag.core.reports.performanceReport(office.manager, "2026-12");
    expect(report.intake).toMatchObject({ received: 5, logged: 1, attached: 1, dismissed: 2, dismissedBy: { spam: 1, "not-for-us": 1 }, unaccounted: 1 });
    expect(reportText(report)).toContain("Emails received: 5 — logged as cases 1, added to cases 1, dismissed 2 (spam 1, not for this office 1), awaiting triage 0, unaccounted 1");
    expect(report.received.byChannel.email).toBe(1);
  });

  it("erasing a case clears the emails taken in for it, keeping what became of them", async () => {
    const row = await postbag.db.prisma.intakeMessage.findFirstOrThrow({ where: { state: "logged" }, include: { case: true } });
    const reference = row.case!.reference;
    await postbag.core.cases.perform(office.manager, "close", { reference, outcome: "withdrawn" }, { platform: "cli" });
    clock.setLondonMorning("2033-01-10"); // past the retention period
    await postbag.core.erasure.erase(office.manager, reference, true, { platform: "cli" });
    expect(await postbag.db.prisma.intakeMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ state: "logged", caseId: row.caseId, fromName: "", fromAddress: null, subject: "", text: "", decidedBy: "Alice Admin" });
  });

  it("erasing a case removes its emails' attachments, but keeps bytes another email still names", async () => {
    clock.setLondonMorning("2033-02-01");
    const pdf = Buffer.from("%PDF-1.4\n% the same scan sent twice\n%%EOF\n");
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const [first, second] = await receive(mail.withAttachments({ subject: "Scan" }, pdf, png), mail.withAttachments({ subject: "Scan again" }, pdf, Buffer.from("89504e470d0a1a0a00000001", "hex")));
    const stored = async (id: number) => ((await postbag.db.prisma.intakeMessage.findUniqueOrThrow({ where: { id } })).attachments as { sha256: string }[]).map((a) => a.sha256);
    const [pdfHash, pngHash] = await stored(first!);
    const { view } = await postbag.core.intake.log(office.admin, { id: first, constituentChoice: "new" }, { platform: "cli" });
    await postbag.core.intake.dismiss(office.admin, { id: second, reason: "duplicate" });
    await postbag.core.cases.perform(office.manager, "close", { reference: view.reference, outcome: "withdrawn" }, { platform: "cli" });
    clock.setLondonMorning("2040-03-01"); // past the retention period
    await postbag.core.erasure.erase(office.manager, view.reference, true, { platform: "cli" });
    // The photo only this case's email named is gone; the scan the dismissed email also carries stays.
    await expect(postbag.core.files.store.get(pngHash!)).rejects.toMatchObject({ code: "unavailable" });
    expect(Buffer.from(await postbag.core.files.store.get(pdfHash!)).equals(pdf)).toBe(true);
  });

  it("an email added to a case leaves nothing of its sender or subject in what erasure cannot clear", async () => {
    clock.setLondonMorning("2040-04-02");
    const [id] = await receive(mail.plain({ from: "Sam Sender <sam.sender@example.com>", subject: "Private matter about my neighbour" }));
    const target = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2040-04-02", constituent: { name: "Sam Sender" }, subject: "Neighbour" }, { platform: "cli" });
    await postbag.core.intake.attach(office.admin, { id, reference: target.reference }, { platform: "cli" });
    await postbag.core.cases.perform(office.manager, "close", { reference: target.reference, outcome: "withdrawn" }, { platform: "cli" });
    clock.setLondonMorning("2047-05-01"); // past the retention period
    await postbag.core.erasure.erase(office.manager, target.reference, true, { platform: "cli" });
    const caseRow = await postbag.db.prisma.case.findUniqueOrThrow({ where: { reference: target.reference } });
    const entries = await postbag.db.prisma.timelineEntry.findMany({ where: { caseId: caseRow.id } });
    expect(entries.some((entry) => entry.type === "email_in")).toBe(true);
    const kept = JSON.stringify(entries.map((entry) => [entry.text, entry.detail]));
    expect(kept).not.toMatch(/sam\.sender@example\.com|Private matter|Sam Sender/);
  });
});
