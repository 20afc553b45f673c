import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPostbag, type Postbag } from "../../src/app.ts";
import type { CaseAction } from "../../src/domain/cases/case-actions.ts";
import type { CaseView } from "../../src/domain/cases/case-view.ts";
import type { DigestPublisher } from "../../src/domain/digest/digest-publisher.ts";
import { readBounce } from "../../src/domain/intake/bounces.ts";
import { replyReferences } from "../../src/domain/intake/threading.ts";
import type { Actor } from "../../src/domain/staff/roles.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { ImapSource } from "../../src/intake/imap-source.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { MailIntakeJob } from "../../src/jobs/mail-intake-job.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { deliver, dovecot, folderName, mail } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";
import { Relay } from "../support/smtp-relay.ts";

/**
 * Issue 17: an email that bounces. The receiving server's delivery status notification reaches
 * the office mailbox (a real Dovecot), mail intake reads it, and Postbag finds the email it
 * names: the item is marked bounced, the step its sending recorded is undone by an entry that
 * says what and why (never by removing one), the assignee is told, and the report is added to
 * the case, so intake accounts for it.
 */

const cli = { platform: "cli" as const };

describe("reading delivery reports, and what an email answers (pure)", () => {
  const report = { subject: "Undelivered Mail Returned to Sender", inReplyTo: null, references: [] as string[] };
  const status = "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; jo@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such\n user here";

  it.each([
    ["a failure with the original's headers returned", { ...report, text: status }, [{ contentType: "text/rfc822-headers", text: "From: x@pfcc.example\r\nMessage-ID:\r\n <postbag.1@pfcc.example>\r\n" }], { messageIds: ["postbag.1@pfcc.example"], recipient: "jo@example.com", status: "5.1.1", diagnostic: "550 5.1.1 no such user here" }],
    ["a failure with the whole message returned, naming it in In-Reply-To too", { ...report, text: status, inReplyTo: "postbag.2@pfcc.example" }, [{ contentType: "message/rfc822", text: "Message-ID: <postbag.2@pfcc.example>\n\nDear Jo,\nMessage-ID: <quoted@elsewhere>" }], { messageIds: ["postbag.2@pfcc.example"], recipient: "jo@example.com", status: "5.1.1", diagnostic: "550 5.1.1 no such user here" }],
    ["an older server's report, by its subject, the headers quoted in its words", { ...report, subject: "failure notice", text: "Sorry, I couldn't deliver.\n\nMessage-ID: <postbag.3@pfcc.example>" }, [], { messageIds: ["postbag.3@pfcc.example"], recipient: null, status: null, diagnostic: null }],
    ["a delay is no bounce", { ...report, text: status.replace("failed", "delayed") }, [], null],
    ["an out-of-office reply is no bounce", { ...report, subject: "Automatic reply: Your case", text: "I am away until Monday." }, [], null],
  ] as const)("%s", (_label, mail, parts, expected) => {
    expect(readBounce(mail, parts)).toEqual(expected);
  });

  it("an email answers the constituent's latest email on the case, after its chain; the logged one when none is from the address it goes to", () => {
    const email = (messageId: string, fromAddress: string, state: string, references: string[] = [], inReplyTo: string | null = null) => ({ messageId, fromAddress, state, references, inReplyTo, erasedAt: null });
    const logged = email("a@x", "jo@example.com", "logged", ["older@x"]);
    const reply = email("b@x", "Jo@Example.com", "attached", [], "postbag.1@pfcc.example");
    expect(replyReferences([logged], "jo@example.com")).toEqual(["older@x", "a@x"]);
    expect(replyReferences([logged, reply], "jo@example.com")).toEqual(["postbag.1@pfcc.example", "b@x"]);
    expect(replyReferences([logged, reply], "new-address@example.com")).toEqual(["older@x", "a@x"]);
    expect(replyReferences([{ ...logged, erasedAt: new Date() }], "jo@example.com")).toEqual([]);
    expect(replyReferences([email("c@x", "jo@example.com", "dismissed")], "jo@example.com")).toEqual([]);
  });
});

describeEachDatabase("emails that bounce", (database) => {
  const clock = new TestClock("2026-12-01T11:00:00Z"); // Tuesday 1 December 2026
  const relay = new Relay();
  const folder = folderName(`bounces-${database.engine}`);
  const told: { person: string; reference: string; message: string }[] = [];
  let postbag: Postbag;
  let office: Office;
  let drop: () => Promise<void>;
  let uid = 0;

  const source = () => new ImapSource({ host: dovecot().host, port: dovecot().port, security: "off", user: dovecot().user, password: dovecot().password, mailbox: folder });
  const poll = () => new MailIntakeJob([source()], postbag.core.intake, createLogger("silent"), 60).run();

  beforeAll(async () => {
    await relay.start();
    const created = await database.create();
    drop = created.drop;
    postbag = await openPostbag(created.target, TEST_SETTINGS, { clock, mailSender: relay.sender() });
    office = await seedOffice(postbag);
    const messenger: DigestPublisher = {
      platform: "slack",
      postChannelDigest: async () => {},
      canReach: () => true,
      postPersonalDigest: async () => {},
      postPersonalCase: async (person: StaffRecord, view: CaseView, message: string) => void told.push({ person: person.name, reference: view.reference, message }),
    };
    postbag.core.notices.use(messenger);
  });
  afterAll(async () => {
    await postbag?.close();
    await drop?.();
    await relay.stop();
  });
  beforeEach(() => {
    relay.received.length = 0;
    told.length = 0;
    clock.set("2026-12-01T11:00:00Z");
  });

  const perform = (actor: Actor, action: CaseAction, input: Record<string, unknown>) => postbag.core.cases.perform(actor, action, input, cli);
  const items = async (reference: string) => (await postbag.core.outgoing.list(office.manager, reference)).items;
  const entries = async (reference: string) => postbag.db.prisma.timelineEntry.findMany({ where: { case: { reference } }, orderBy: { seq: "asc" } });
  const intakeOf = (subject: string) => postbag.db.prisma.intakeMessage.findMany({ where: { subject }, include: { case: { select: { reference: true } } }, orderBy: { id: "asc" } });
  async function logCase(constituent: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const view = await postbag.core.cases.logCase(
      office.admin,
      { channel: "email", receivedOn: "2026-12-01", constituent, subject: "Broken streetlights", constituentChoice: "new", assignee: office.caseworker.id, ...extra },
      cli,
    );
    return view.reference;
  }
  /** A report straight into mail intake, as a mailbox read would hand it over. */
  async function arrives(raw: string): Promise<void> {
    uid += 1;
    await postbag.core.intake.receive("imap:direct/INBOX", { messages: [{ sourceKey: `1:${uid}`, deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) }], cursor: { kind: "imap", uidValidity: 1, lastUid: uid } });
  }

  it("an acknowledgement that bounces: the report, delivered to the mailbox, marks it bounced, puts the case back to due acknowledgement by an entry naming what it undid, tells the assignee, and is itself on the case", async () => {
    const reference = await logCase({ name: "Jane Doe", email: "jane.doe@example.com" });
    await perform(office.admin, "send_new", { reference, template: "acknowledgement" });
    const sent = (await items(reference))[0]!;
    expect(sent.status).toBe("sent");
    const acknowledged = (await entries(reference)).find((entry) => entry.type === "acknowledged")!;

    clock.set("2026-12-01T11:07:00Z");
    await deliver(folder, [{ raw: mail.deliveryReport({ to: "jane.doe@example.com", messageId: sent.messageId!, subject: sent.subject! }), at: new Date("2026-12-01T11:05:00Z") }]);
    const polled = await poll();
    expect(polled.attached).toEqual([expect.stringContaining(reference)]);

    // The email: bounced, with the receiving server's words.
    expect((await items(reference))[0]).toMatchObject({ status: "bounced", bouncedAt: new Date("2026-12-01T11:07:00Z"), bounceReason: "550 5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown in virtual mailbox table" });
    // The case: due acknowledgement again; the acknowledgement's entry stays, and a new one says what was undone.
    const view = await postbag.core.cases.showCase(office.caseworker, reference);
    expect([view.status, view.acknowledgement.state, view.acknowledgement.dueText]).toEqual(["new", "pending", "Thu 3 Dec 2026"]);
    const written = await entries(reference);
    expect(written.map((entry) => entry.type)).toEqual(["logged", "assigned", "outgoing_drafted", "acknowledged", "outgoing_bounced"]);
    const bounced = written.at(-1)!;
    expect(bounced).toMatchObject({ actorId: null, platform: "system", at: new Date("2026-12-01T11:07:00Z") });
    expect(bounced.text).toBe(
      `The acknowledgement email to Jane Doe <jane.doe@example.com> (item 1) bounced: 550 5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown in virtual mailbox table. ${reference} is due acknowledgement again, by Thu 3 Dec 2026. Check the address (edit ${reference} --email <address>) and send it again, or reach them another way.`,
    );
    const report = (await intakeOf("Undelivered Mail Returned to Sender")).at(-1)!;
    expect(bounced.detail).toEqual({
      item: 1,
      messageId: sent.messageId,
      recipient: "constituent",
      status: "5.1.1",
      intakeId: report.id,
      undid: { seq: acknowledged.seq, type: "acknowledged" },
      changes: { acknowledgedAt: { from: acknowledged.at.toISOString(), to: null }, status: { from: "acknowledged", to: "new" } },
    });
    expect(bounced.chainHash).toMatch(/^[0-9a-f]{64}$/);
    // The report is accounted for: added to the case, by Postbag; nothing unaccounted, no audit exception for it.
    expect(report).toMatchObject({ state: "attached", decidedBy: "Postbag", case: { reference } });
    const figures = await postbag.core.intake.figures("2026-12-01", "2026-12-01", "2026-12-03");
    expect([figures.unaccounted, figures.awaiting]).toEqual([0, 0]);
    // The assignee is told, with what to do.
    expect(told.filter((notice) => notice.message.includes("bounced"))).toEqual([{ person: "Carl Caseworker", reference, message: bounced.text }]);
    // The card offers the acknowledgement again, to send at once or draft.
    const card = await postbag.core.cases.showCase(office.admin, reference);
    expect(card.variants.filter((variant) => variant.value === "acknowledgement").map((variant) => variant.label)).toEqual(["Send acknowledgement…", "Draft acknowledgement"]);
    expect(card.outgoing![0]).toMatchObject({ status: "bounced" });

    // The same bounce reported again (another server, a copy): added to the case, changing nothing more.
    await arrives(mail.deliveryReport({ to: "jane.doe@example.com", messageId: sent.messageId!, returned: "message" }));
    await postbag.core.intake.threadReplies();
    const again = (await entries(reference)).at(-1)!;
    expect(again.type).toBe("outgoing_bounced");
    expect(again.detail).toMatchObject({ again: true, item: 1 });
    expect(again.text).toContain("(Another report of the same bounce.)");
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).status).toBe("new");

    // Sent again to a corrected address, from the card's two clicks: acknowledged.
    await perform(office.caseworker, "edit_details", { reference, email: "jane@example.com" });
    const resent = await perform(office.admin, "send_new", { reference, template: "acknowledgement" });
    expect(resent.view.status).toBe("acknowledged");
    expect(relay.received.at(-1)!.envelope).toEqual(["jane@example.com"]);
  });

  it("a full response that bounces is due again; a holding reply that bounces is owed again; a delay report, an out-of-office reply and a report naming no email of Postbag's are left for a person", async () => {
    const reference = await logCase({ name: "Rob Response", email: "rob@example.com" });
    await perform(office.caseworker, "acknowledge", { reference, method: "phone" });
    await perform(office.caseworker, "refer", { reference, partner: "Police" });
    clock.set("2026-12-01T12:00:00Z");
    await perform(office.caseworker, "draft", { reference, template: "holding" });
    await perform(office.caseworker, "send", { reference, item: 1 });
    clock.set("2026-12-01T13:00:00Z");
    await perform(office.caseworker, "draft", { reference, template: "response" });
    await perform(office.caseworker, "send", { reference, item: 2 });
    const [holding, response] = await items(reference);
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).status).toBe("responded");

    clock.set("2026-12-01T14:00:00Z");
    // Not bounces: a delay (still being tried), an out-of-office reply naming the email, a report about mail Postbag never sent.
    await arrives(mail.deliveryReport({ to: "rob@example.com", messageId: response!.messageId!, action: "delayed", status: "4.4.1", diagnostic: "smtp; 451 4.4.1 try again later" }));
    await arrives(mail.autoReply({ from: "Rob <rob@example.com>", extra: [`In-Reply-To: <${response!.messageId}>`] }));
    await arrives(mail.deliveryReport({ to: "someone@example.com", messageId: "not-ours@elsewhere.example", headers: { subject: "Mail delivery failed" } }));
    await postbag.core.intake.threadReplies();
    expect((await postbag.core.intake.list(office.admin)).map((message) => message.subject)).toEqual(expect.arrayContaining(["Delayed Mail (still being retried)", "Automatic reply: Your case", "Mail delivery failed"]));
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).status).toBe("responded");

    // The response bounces (the original returned whole): it is due its response again, awaiting its partner.
    await arrives(mail.deliveryReport({ to: "rob@example.com", messageId: response!.messageId!, returned: "message", status: "5.2.2", diagnostic: "smtp; 552 5.2.2 mailbox full" }));
    await postbag.core.intake.threadReplies();
    const view = await postbag.core.cases.showCase(office.caseworker, reference);
    expect([view.status, view.response.state, view.acknowledgement.state]).toEqual(["awaiting_partner", "pending", "met"]);
    expect((await entries(reference)).at(-1)!.text).toBe(`The full response email to Rob Response <rob@example.com> (item 2) bounced: 552 5.2.2 mailbox full. ${reference} is due its full response again, by Tue 15 Dec 2026. Check the address (edit ${reference} --email <address>) and send it again, or reach them another way.`);

    // The holding reply bounces too: the one owed is owed again (none had gone before it).
    await arrives(mail.deliveryReport({ to: "rob@example.com", messageId: holding!.messageId!, status: "5.2.2", diagnostic: "smtp; 552 5.2.2 mailbox full" }));
    await postbag.core.intake.threadReplies();
    const record = await postbag.db.prisma.case.findUnique({ where: { reference }, select: { lastHoldingReplyAt: true } });
    expect(record!.lastHoldingReplyAt).toBeNull();
    expect((await entries(reference)).at(-1)!.detail).toMatchObject({ undid: { type: "holding_reply" }, changes: { lastHoldingReplyAt: { from: "2026-12-01T12:00:00.000Z", to: null } } });
    expect((await items(reference)).map((item) => item.status)).toEqual(["bounced", "bounced"]);

    // Reports count neither step: the case received in December is neither responded nor (by the response) acknowledged again.
    clock.set("2026-12-02T10:00:00Z");
    const month = await postbag.core.reports.performanceReport(office.manager, "2026-12");
    expect(month.respondedInTime).toMatchObject({ count: 0 });
  });

  it("an email to a complainant about the Chief Constable is their update, one to a partner is not; one that bounces is no update, and the one owed is owed again", async () => {
    await postbag.core.partners.change(office.manager, { partner: "County Council", contact: "Casework desk, referrals@council.example" }, "cli");
    const reference = await logCase({ name: "Cath Complainant", email: "cath@example.com" });
    // Received Tue 1 Dec 2026: the first update is due 28 days on, Tue 29 Dec.
    const typed = (await perform(office.caseworker, "set_type", { reference, type: "cc-complaint" })).view;
    expect(typed.clock?.nextUpdate).toMatchObject({ dueText: "Tue 29 Dec 2026" });

    // Thu 10 Dec: a referral emailed to the council is no update; the email asking Cath for more is: next due Thu 7 Jan 2027.
    clock.set("2026-12-10T10:00:00Z");
    await perform(office.caseworker, "send_new", { reference, template: "referral", partner: "County Council" });
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).clock?.nextUpdate).toMatchObject({ dueText: "Tue 29 Dec 2026" });
    await perform(office.caseworker, "send_new", { reference, template: "more-information" });
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).clock?.nextUpdate).toMatchObject({ dueText: "Thu 7 Jan 2027" });

    // It bounces: Cath was not updated, so the update is owed by Tue 29 Dec again, and the entry says so.
    const asked = (await items(reference)).find((item) => item.templateKey === "more-information")!;
    clock.set("2026-12-10T10:05:00Z");
    await arrives(mail.deliveryReport({ to: "cath@example.com", messageId: asked.messageId!, status: "5.1.1", diagnostic: "smtp; 550 5.1.1 no such user" }));
    await postbag.core.intake.threadReplies();
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).clock?.nextUpdate).toMatchObject({ dueText: "Tue 29 Dec 2026" });
    const bounced = (await entries(reference)).at(-1)!;
    expect(bounced.text).toContain("It did not update the complainant: their update is owed as before.");
    expect(bounced.detail).toMatchObject({ undid: { type: "email_out" }, changes: { complainantUpdate: { from: "2026-12-10", to: null } } });
  });

  it("the satisfaction question goes by email once a case is closed (no other letter does); counted as asked in the statement, until it bounces", async () => {
    const reference = await logCase({ name: "Sam Satisfied", email: "sam@example.com" });
    await perform(office.caseworker, "set_type", { reference, type: "foi" });
    await perform(office.caseworker, "respond", { reference, text: "Figures sent" });
    // The question says the case is closed: not before.
    const early = await perform(office.caseworker, "send_new", { reference, template: "satisfaction" }).catch((error: Error) => error);
    expect((early as Error).message).toBe(`The satisfaction question is asked once ${reference} is closed: close it first.`);
    expect(relay.received).toHaveLength(0);
    // Nor is an answer recorded before.
    const unasked = await perform(office.caseworker, "record_satisfaction", { reference, score: 5, how: "phone" }).catch((error: Error) => error);
    expect((unasked as Error).message).toBe(`${reference} has not been closed, so there is no satisfaction to record: the question is asked once it is closed. Close it first if it is done.`);
    await perform(office.caseworker, "close", { reference, outcome: "responded" });
    // It goes in the office's own words: a closed case carries nothing else under its name.
    const ownWords = `The satisfaction question goes on ${reference} in the office's own words, as its template has them: a manager changes the template instead.`;
    const rewritten = await perform(office.caseworker, "draft", { reference, template: "satisfaction", text: "Please pay the invoice attached." }).catch((error: Error) => error);
    expect((rewritten as Error).message).toBe(ownWords);
    await perform(office.caseworker, "draft", { reference, template: "satisfaction" });
    const drafted = (await items(reference)).at(-1)!;
    const redrafted = await perform(office.caseworker, "redraft", { reference, item: drafted.number, text: "Please pay the invoice attached." }).catch((error: Error) => error);
    expect((redrafted as Error).message).toBe(ownWords);
    expect((await postbag.core.cases.showCase(office.caseworker, reference)).nextActions).not.toContain("redraft");
    const refused = await perform(office.caseworker, "send_new", { reference, template: "more-information" }).catch((error: Error) => error);
    expect((refused as Error).message).toBe(`${reference} is closed, so you cannot write from it. Reopen it first with: reopen ${reference} <reason>.`);

    await perform(office.caseworker, "send", { reference, item: drafted.number });
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.envelope).toEqual(["sam@example.com"]);
    expect(relay.received[0]!.mail.text).toContain("Please reply with a number from 1 to 5");
    expect(relay.received[0]!.mail.subject).toBe(`[${reference}] How did we do? Broken streetlights`);
    const asked = async () => (await postbag.core.reports.complaintsStatement(office.manager, "2026-Q4")).statement.rows.find((row) => row.type === "foi_request")!.satisfactionAsked;
    expect(await asked()).toBe(1);

    const [question] = await items(reference);
    await arrives(mail.deliveryReport({ to: "sam@example.com", messageId: question!.messageId!, status: "5.1.1", diagnostic: "smtp; 550 5.1.1 no such user" }));
    await postbag.core.intake.threadReplies();
    expect((await items(reference))[0]!.status).toBe("bounced");
    expect(await asked()).toBe(0);

    // Asked again, twice (the address corrected): one case asked.
    await perform(office.caseworker, "send_new", { reference, template: "satisfaction" });
    await perform(office.caseworker, "send_new", { reference, template: "satisfaction" });
    expect(relay.received).toHaveLength(3);
    expect(await asked()).toBe(1);
    // The reply is unhappy and the case is reopened over it: the answer is still recorded, the question having gone.
    const neverAsked = await logCase({ name: "Nell Neverasked", email: "nell@example.com" });
    await perform(office.caseworker, "respond", { reference: neverAsked, text: "Done" });
    await perform(office.caseworker, "close", { reference: neverAsked, outcome: "responded" });
    await perform(office.caseworker, "reopen", { reference: neverAsked, reason: "More to do" });
    const unanswerable = await perform(office.caseworker, "record_satisfaction", { reference: neverAsked, score: 5, how: "phone" }).catch((error: Error) => error);
    expect((unanswerable as Error).message).toBe(`${neverAsked} has not been closed, so there is no satisfaction to record: the question is asked once it is closed. Close it first if it is done.`);
    await perform(office.caseworker, "reopen", { reference, reason: "Unhappy with the figures" });
    await perform(office.caseworker, "record_satisfaction", { reference, score: 1, how: "email", comment: "Not what I asked for" });
    expect((await postbag.core.reports.complaintsStatement(office.manager, "2026-Q4")).statement.rows.find((row) => row.type === "foi_request")).toMatchObject({ satisfactionAnswers: 1, satisfactionAverage: 1 });
  });
});
