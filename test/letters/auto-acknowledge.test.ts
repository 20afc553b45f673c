import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostbag, type Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { whyNotAutomatic } from "../../src/domain/letters/auto-acknowledge.ts";
import { AutoAcknowledgeJob } from "../../src/jobs/auto-acknowledge-job.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { mail } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";
import { Relay } from "../support/smtp-relay.ts";

/**
 * Issue 17, optional: the automatic acknowledgement (POSTBAG_AUTO_ACK=email). A case logged from
 * an email is acknowledged from the office mailbox by Postbag itself within minutes, recorded as
 * sent by "Postbag on behalf of the office" — never a sensitive case, never one whose
 * acknowledgement needs sign-off, never twice — and the monthly report says how many were.
 */

const cli = { platform: "cli" as const };

describe("the setting (POSTBAG_AUTO_ACK)", () => {
  const invalid = (problem: string) => new ConfigError(`Configuration is not valid:\n  ${problem}\nSee .env.example.`);
  const relay = { SMTP_HOST: "smtp.pfcc.example", SMTP_FROM: "casework@pfcc.example" };

  it("is off unless the office turns it on; on, it needs a way to send; anything else stops start-up naming it", () => {
    expect(loadConfig({}).autoAck).toBe("off");
    expect(loadConfig({ ...relay, POSTBAG_AUTO_ACK: "email" }).autoAck).toBe("email");
    expect(() => loadConfig({ POSTBAG_AUTO_ACK: "email" })).toThrow(invalid("POSTBAG_AUTO_ACK=email sends acknowledgements from the office mailbox: set SMTP_HOST and SMTP_FROM (or POSTBAG_MAIL_SEND=graph) too, or unset it."));
    expect(() => loadConfig({ ...relay, POSTBAG_AUTO_ACK: "yes" })).toThrow(/POSTBAG_AUTO_ACK must be off or email/);
  });

  it("leaves to a person what Postbag may not acknowledge itself", () => {
    const open = { acknowledgedAt: null, status: "new" as const, sensitive: false, constituent: { id: 1, name: "Ann", email: "ann@example.com", phone: null, address: null } };
    expect(whyNotAutomatic(open, [], false)).toBeNull();
    expect(whyNotAutomatic({ ...open, sensitive: true }, [], false)).toBe("sensitive");
    expect(whyNotAutomatic(open, [], true)).toBe("its acknowledgement needs sign-off");
    expect(whyNotAutomatic({ ...open, acknowledgedAt: new Date() }, [], false)).toBe("acknowledged already");
    expect(whyNotAutomatic({ ...open, status: "closed" }, [], false)).toBe("closed");
    expect(whyNotAutomatic({ ...open, constituent: { ...open.constituent, email: null } }, [], false)).toBe("no email address");
    expect(whyNotAutomatic(open, [{ templateKey: "acknowledgement" }], false)).toBe("an acknowledgement is written on it already");
    expect(whyNotAutomatic(open, [{ templateKey: "more-information" }], false)).toBeNull();
  });
});

describeEachDatabase("acknowledging automatically", (database) => {
  const clock = new TestClock("2026-11-27T10:00:00Z"); // Friday 27 November 2026
  const relay = new Relay();
  let postbag: Postbag;
  let office: Office;
  let drop: () => Promise<void>;
  let uid = 0;
  const job = () => new AutoAcknowledgeJob(postbag.core.autoAcknowledger, createLogger("silent"));

  beforeAll(async () => {
    // The office's relay, which will not take one constituent's address.
    await relay.start({ onRcptTo: (address, _session, callback) => callback(address.address === "fay@example.com" ? Object.assign(new Error("5.1.1 Mailbox unavailable"), { responseCode: 550 }) : undefined) });
    const created = await database.create();
    drop = created.drop;
    postbag = await openPostbag(created.target, { ...TEST_SETTINGS, signOff: [{ template: "acknowledgement", kind: "complaint" }] }, { clock, mailSender: relay.sender() });
    office = await seedOffice(postbag);
  });
  afterAll(async () => {
    await postbag?.close();
    await drop?.();
    await relay.stop();
  });

  /** An email arrives and an administrator logs it as a case (`intake log`): its reference. */
  async function loggedFromEmail(name: string, address: string, extra: Record<string, unknown> = {}): Promise<string> {
    uid += 1;
    const raw = mail.plain({ from: `"${name}" <${address}>`, subject: `Letter from ${name}`, messageId: `<m${uid}@mail.example.com>` });
    const [id] = await postbag.core.intake.receive("imap:test/INBOX", { messages: [{ sourceKey: `1:${uid}`, deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) }], cursor: { kind: "imap", uidValidity: 1, lastUid: uid } });
    return (await postbag.core.intake.log(office.admin, { id, constituentChoice: "new", ...extra }, cli)).view.reference;
  }
  const items = async (reference: string) => (await postbag.core.outgoing.list(office.manager, reference)).items;
  const entries = async (reference: string) => postbag.db.prisma.timelineEntry.findMany({ where: { case: { reference } }, orderBy: { seq: "asc" } });

  it("acknowledges each case logged from email that it may, within the minute, once; leaves the rest to people; and the month's report counts the automatic ones", async () => {
    // Logged on Friday, longer ago than the day the job looks back over: a person's to acknowledge.
    const old = await loggedFromEmail("Olly Old", "olly@example.com");

    clock.set("2026-12-01T10:00:00Z"); // Tuesday 1 December 2026
    const ann = await loggedFromEmail("Ann Auto", "ann@example.com");
    const sam = await loggedFromEmail("Sam Sensitive", "sam@example.com", { sensitive: true, assignee: "Carl Caseworker" });
    const cathy = await loggedFromEmail("Cathy Complaint", "cathy@example.com", { kind: "complaint" });
    const bea = await loggedFromEmail("Bea Bounce", "bea@example.com");
    const fay = await loggedFromEmail("Fay Failed", "fay@example.com");
    const typed = (await postbag.core.cases.logCase(office.admin, { channel: "email", receivedOn: "2026-12-01", constituent: { name: "Lou Typed", email: "lou@example.com" }, subject: "Bus stop", constituentChoice: "new" }, cli)).reference;

    // The minute's run, in two processes at once: each case goes once. The relay refuses Fay's address.
    clock.set("2026-12-01T10:01:00Z");
    await Promise.all([job().run(), job().run()]);
    const accepted = () => relay.received.map((received) => received.envelope[0]).sort();
    expect(accepted()).toEqual(["ann@example.com", "bea@example.com"]);

    // Sent by Postbag on behalf of the office: the item, its two entries (naming no member of staff), the acknowledgement.
    expect((await items(ann))[0]).toMatchObject({ status: "sent", draftedBy: { id: 0, name: "Postbag on behalf of the office" }, sentBy: { id: 0, name: "Postbag on behalf of the office" }, sentAt: new Date("2026-12-01T10:01:00Z") });
    const annEntries = await entries(ann);
    expect(annEntries.map((entry) => [entry.type, entry.actorId, entry.platform])).toEqual([["logged", office.admin.id, "cli"], ["outgoing_drafted", null, "system"], ["acknowledged", null, "system"]]);
    expect(annEntries[1]!.text).toBe("Item 1 drafted: Acknowledgement email to Ann Auto, by Postbag on behalf of the office");
    expect(annEntries[2]!.text).toMatch(/^Acknowledgement sent by email to Ann Auto \(item 1\), automatically by Postbag on behalf of the office\nSubject: \[PFCC-2026-\d{4}\] /);
    expect(annEntries[2]!.detail).toMatchObject({ automatic: true, method: "email" });
    expect(relay.received.find((received) => received.envelope[0] === "ann@example.com")!.mail.inReplyTo).toMatch(/^<m\d+@mail\.example\.com>$/);
    const listed = resultText(await executeCommand(postbag.core, office.admin, parseCommand(`outgoing ${ann} 1`), { audience: "private", request: cli }));
    expect(listed).toContain("sent Tue 1 Dec 2026 10:01 by Postbag on behalf of the office");
    const annView = await postbag.core.cases.showCase(office.admin, ann);
    expect([annView.status, annView.acknowledgement.state]).toEqual(["acknowledged", "met"]);

    // Left to people: sensitive, needing sign-off (a complaint), logged too long ago, not from email; and Fay's, refused, kept as a draft that did not go.
    for (const reference of [sam, cathy, old, typed]) {
      expect(await items(reference)).toEqual([]);
      expect((await postbag.core.cases.showCase(office.manager, reference)).status).toBe("new");
    }
    expect((await items(fay)).map((item) => [item.status, item.failure])).toEqual([["send_failed", expect.stringContaining("Mailbox unavailable")]]);

    // A later run sends nothing again and never tries Fay's again by itself.
    clock.set("2026-12-01T10:02:00Z");
    const again = await job().run();
    expect(again).toEqual({ sent: 0, failed: 0 });
    expect(accepted()).toEqual(["ann@example.com", "bea@example.com"]);

    // Bea's bounces: her acknowledgement is undone, and was never one.
    const beaItem = (await items(bea))[0]!;
    uid += 1;
    const dsn = mail.deliveryReport({ to: "bea@example.com", messageId: beaItem.messageId!, subject: beaItem.subject! });
    await postbag.core.intake.receive("imap:test/INBOX", { messages: [{ sourceKey: `1:${uid}`, deliveredAt: clock.now(), rawSize: dsn.length, mail: await readMail(Buffer.from(dsn)) }], cursor: { kind: "imap", uidValidity: 1, lastUid: uid } });
    await postbag.core.intake.threadReplies();
    expect((await postbag.core.cases.showCase(office.manager, bea)).status).toBe("new");

    // People acknowledge two more by phone.
    await postbag.core.cases.perform(office.caseworker, "acknowledge", { reference: sam, method: "phone" }, cli);
    await postbag.core.cases.perform(office.admin, "acknowledge", { reference: fay, method: "phone" }, cli);

    // December's report on Friday 4th (every acknowledgement due by Thursday 3rd), worked by hand:
    // received in December: Ann, Sam, Cathy, Bea, Fay, Lou = 6 (Olly came in November);
    // acknowledged: Ann (automatically), Sam and Fay (by phone) = 3, all on Tuesday, in time: 3 of 6;
    // Bea's bounced acknowledgement is none; acknowledged automatically: 1 (Ann).
    clock.set("2026-12-04T10:00:00Z");
    const report = await postbag.core.reports.performanceReport(office.manager, "2026-12");
    expect(report.received.total).toBe(6);
    expect(report.acknowledgedInTime).toEqual({ count: 3, of: 6, percent: 50 });
    expect(report.acknowledgementsNotYetDue).toBe(0);
    expect(report.acknowledgedAutomatically).toBe(1);
    const text = resultText(await executeCommand(postbag.core, office.manager, parseCommand("report 2026-12"), { audience: "private", request: cli }));
    expect(text).toContain("acknowledged automatically by Postbag: 1 of the cases acknowledged");
  });
});
