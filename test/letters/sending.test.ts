import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createCore, openPostbag, type Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import type { CaseAction } from "../../src/domain/cases/case-actions.ts";
import { DomainError } from "../../src/domain/errors.ts";
import type { Actor } from "../../src/domain/staff/roles.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { PrismaCaseStore } from "../../src/db/prisma-case-store.ts";
import { PrismaOutgoingStore } from "../../src/db/prisma-outgoing-store.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { mail } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";
import { Relay } from "../support/smtp-relay.ts";

/**
 * Issue 17: letters and emails drafted from the office's templates, signed off where the office
 * says, and sent explicitly — through a real SMTP relay on loopback, onto the hash-chained
 * timeline, and back again when the constituent replies.
 */

const cli = { platform: "cli" as const };
const sha256 = (content: string | Uint8Array) => createHash("sha256").update(content).digest("hex");

describeEachDatabase("sending letters and emails from a case", (database) => {
  const clock = new TestClock("2026-12-01T10:00:00Z"); // Tuesday 1 December 2026
  const relay = new Relay();
  let postbag: Postbag;
  let office: Office;
  let drop: () => Promise<void>;
  let pdfDir: string;

  beforeAll(async () => {
    await relay.start();
    const created = await database.create();
    drop = created.drop;
    postbag = await openPostbag(
      created.target,
      { ...TEST_SETTINGS, signOff: [{ template: "response", kind: null }], office: { name: "Office of the PFCC", address: "The Farmhouse\nAbingdon OX14 1RZ", email: "casework@pfcc.example", signature: "Sam Signer" } },
      { clock, mailSender: relay.sender() },
    );
    office = await seedOffice(postbag);
    await postbag.core.partners.change(office.manager, { partner: "County Council", contact: "Casework desk, referrals@council.example" }, "cli");
    pdfDir = mkdtempSync(join(tmpdir(), "postbag-letters-"));
  });
  afterAll(async () => {
    await postbag?.close();
    await drop?.();
    await relay.stop();
    rmSync(pdfDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    relay.received.length = 0;
    relay.refuseWith = null;
    clock.set("2026-12-01T10:00:00Z");
  });

  const perform = (actor: Actor, action: CaseAction, input: Record<string, unknown>, request = cli) => postbag.core.cases.perform(actor, action, input, request);
  const refusal = (work: Promise<unknown>) => work.then(() => "done", (error: unknown) => (error instanceof DomainError ? error.message : `not a refusal: ${String(error)}`));
  async function logCase(extra: Record<string, unknown> = {}, constituent: Record<string, unknown> = {}) {
    const view = await postbag.core.cases.logCase(
      office.admin,
      { channel: "email", receivedOn: "2026-11-30", constituent: { name: "Jane Doe", email: "jane.doe@example.com", address: "1 High Street\nAbingdon OX14 3AA", ...constituent }, subject: "Speeding on Main Street", constituentChoice: "new", assignee: office.caseworker.id, ...extra },
      cli,
    );
    return view.reference;
  }
  const items = async (reference: string) => (await postbag.core.outgoing.list(office.manager, reference)).items;
  const entries = async (reference: string) => {
    const found = await postbag.db.prisma.case.findFirst({ where: { reference }, select: { id: true } });
    return postbag.db.prisma.timelineEntry.findMany({ where: { caseId: found!.id }, orderBy: { seq: "asc" } });
  };

  it("an acknowledgement is drafted, sent to its one recipient, acknowledges the case at the send time, is on the timeline with its hash, and a reply threads back", async () => {
    const reference = await logCase();
    const drafted = await perform(office.caseworker, "draft", { reference, template: "acknowledgement" });
    expect(drafted.message).toBe(`Drafted item 1 on ${reference}: Acknowledgement email to Jane Doe. Read it with: outgoing ${reference} 1; send it with: send ${reference} 1.`);
    const [item] = await items(reference);
    expect(item).toMatchObject({ status: "draft", templateKey: "acknowledgement", templateVersion: 1, recipient: { kind: "constituent", name: "Jane Doe", email: "jane.doe@example.com" } });
    expect(item!.subject).toBe(`[${reference}] We have received your correspondence: Speeding on Main Street`);
    expect(item!.text).toContain("Dear Jane Doe,");
    expect(item!.text).toContain("which we received on 30 November 2026");
    expect(relay.received).toHaveLength(0); // drafting sends nothing

    clock.set("2026-12-01T11:23:00Z");
    const sent = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(sent.message).toBe(`Sent item 1 of ${reference} by email to Jane Doe <jane.doe@example.com>. ${reference} is acknowledged.`);
    expect(relay.received).toHaveLength(1);
    const [{ envelope, mail: got }] = relay.received as [(typeof relay.received)[number]];
    expect(envelope).toEqual(["jane.doe@example.com"]);
    expect(got.to).toMatchObject({ value: [{ address: "jane.doe@example.com", name: "Jane Doe" }] });
    expect(got.cc).toBeUndefined();
    expect(got.subject).toBe(item!.subject);
    expect(got.text?.trim()).toBe(item!.text);
    const after = (await items(reference))[0]!;
    expect(after).toMatchObject({ status: "sent", sentBy: { name: "Carl Caseworker" }, sentAt: new Date("2026-12-01T11:23:00Z") });
    expect(got.messageId).toBe(`<${after.messageId}>`);
    expect(after.messageId).toMatch(/^postbag\.[0-9a-f]{32}@pfcc\.example$/);
    const words = `Subject: ${item!.subject}\n\n${item!.text}`;
    expect(after.sha256).toBe(sha256(words));

    expect(sent.view.status).toBe("acknowledged");
    expect(sent.view.acknowledgement.state).toBe("met");
    const acknowledged = (await entries(reference)).find((entry) => entry.type === "acknowledged")!;
    expect(acknowledged.at).toEqual(new Date("2026-12-01T11:23:00Z"));
    expect(acknowledged.text).toBe(`Acknowledgement sent by email to Jane Doe (item 1)\n${words}`);
    expect(acknowledged.detail).toMatchObject({ item: 1, channel: "email", method: "email", messageId: after.messageId, sha256: sha256(words) });
    expect(acknowledged.chainHash).toMatch(/^[0-9a-f]{64}$/);
    const shown = await postbag.core.cases.showCase(office.caseworker, reference);
    expect(shown.timeline!.entries.map((entry) => entry.text)).toContain(acknowledged.text);
    expect((await postbag.core.audit.runAudit(office.manager)).exceptions.filter((e) => e.subject === reference)).toEqual([]);

    // Jane replies; her client names Postbag's Message-ID, and the subject no longer carries the reference.
    const raw = mail.plain({ from: '"Jane Doe" <jane.doe@example.com>', subject: "Re: your letter", extra: [`In-Reply-To: <${after.messageId}>`, `References: <${after.messageId}>`] }, "Thank you, that is helpful.");
    await postbag.core.intake.receive("imap:test/INBOX", { messages: [{ sourceKey: "1:1", deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) }], cursor: { kind: "imap", uidValidity: 1, lastUid: 1 } });
    const { attached } = await postbag.core.intake.threadReplies();
    expect(attached).toEqual([expect.stringContaining(reference)]);
    expect((await entries(reference)).at(-1)).toMatchObject({ type: "email_in" });
  });

  it("a response needing sign-off is refused until a manager approves it; send-back says why; approval keeps the approver and the words' hash", async () => {
    const reference = await logCase({}, { name: "Sam Smith", email: "sam@example.com" });
    await perform(office.caseworker, "acknowledge", { reference });
    const drafted = await perform(office.caseworker, "draft", { reference, template: "response", form: "email" });
    expect(drafted.message).toContain("It needs a manager's sign-off.");
    expect((await items(reference))[0]!.status).toBe("awaiting_approval");

    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1 }))).toBe(`Item 1 of ${reference} needs a manager's sign-off before it goes. A manager approves it with: approve ${reference} 1.`);
    expect(await refusal(perform(office.caseworker, "approve", { reference, item: 1 }))).toBe("Only managers can sign off letters and emails.");
    expect(await refusal(perform(office.viewer, "approve", { reference, item: 1 }))).toMatch(/^Viewers can read cases but not change them/);
    expect(await refusal(perform(office.viewer, "draft", { reference, template: "holding" }))).toMatch(/^Viewers can read cases but not change them/);
    expect(relay.received).toHaveLength(0);

    const back = await perform(office.manager, "send_back", { reference, item: 1, comment: "Say what the police told us." });
    expect(back.message).toBe(`Sent item 1 of ${reference} back to Carl Caseworker: Say what the police told us.`);
    const listed = await executeCommand(postbag.core, office.caseworker, parseCommand(`outgoing ${reference}`), { audience: "private", request: cli });
    expect(listed).toMatchObject({ kind: "message", message: expect.stringContaining("sent back by Maya Manager: Say what the police told us.") });

    const words = "Dear Sam Smith,\n\nThe police will patrol Main Street every morning from Monday.\n\nYours sincerely,\n\nSam Signer";
    await perform(office.caseworker, "redraft", { reference, item: 1, text: `Subject: Our response: speeding\n${words}\n` });
    const redrafted = (await items(reference))[0]!;
    expect(redrafted).toMatchObject({ status: "awaiting_approval", subject: `[${reference}] Our response: speeding`, text: words });

    await perform(office.manager, "approve", { reference, item: 1 });
    const approval = (await entries(reference)).find((entry) => entry.type === "outgoing_approved")!;
    const hash = sha256(`Subject: [${reference}] Our response: speeding\n\n${words}`);
    expect(approval.actorId).toBe(office.manager.id);
    expect(approval.detail).toEqual({ item: 1, sha256: hash });

    const sent = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(sent.view.status).toBe("responded");
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.mail.text?.trim()).toBe(words);
    expect((await items(reference))[0]!.sha256).toBe(hash);
    // Sent is sent: nothing goes twice.
    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1 }))).toBe(`Item 1 of ${reference} is sent, so you cannot send it.`);
    expect(relay.received).toHaveLength(1);

    // A card reads the case's letters with the case, in the same statement: each item exactly as the table holds it.
    const loaded = await new PrismaCaseStore(postbag.db.prisma, (sql, params) => postbag.db.query(sql, params)).findCase(reference, { last: 0 });
    const stored = await new PrismaOutgoingStore(postbag.db.prisma).list(loaded!.record.id);
    expect(stored[0]).toMatchObject({ sentBackAt: expect.any(Date), approvedAt: expect.any(Date), sentAt: expect.any(Date), messageId: expect.any(String) });
    expect(loaded!.outgoing).toEqual(stored);
  });

  it("Send from a card shown before its words were changed is refused and nothing goes; from a card older than a note, it goes (issue 18)", async () => {
    const reference = await logCase({}, { name: "Olly Older", email: "olly@example.com" });
    await perform(office.caseworker, "draft", { reference, template: "acknowledgement" });
    const before = (await postbag.core.cases.showCase(office.caseworker, reference)).version;
    await perform(office.manager, "redraft", { reference, item: 1, text: "Subject: We have your letter\nDear Olly, we have your letter.\n" });
    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1, version: before }))).toBe(
      `Nothing was done: ${reference} changed after your card was shown (item 1: Letter or email drafted by Maya Manager). The card now shows ${reference} as it is.`,
    );
    expect(relay.received).toHaveLength(0);
    expect((await items(reference))[0]!.status).toBe("draft");
    const shown = (await postbag.core.cases.showCase(office.caseworker, reference)).version;
    await perform(office.manager, "add_entry", { reference, type: "note", text: "Olly rang to check" });
    const sent = await perform(office.caseworker, "send", { reference, item: 1, version: shown });
    expect(sent.view.status).toBe("acknowledged");
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.mail.text?.trim()).toBe("Dear Olly, we have your letter.");
  });

  it("a relay that refuses: nothing is recorded on the case, it is still due, the item says why, and the person is told", async () => {
    const reference = await logCase({}, { name: "Rita Refused", email: "rita@example.com" });
    await perform(office.caseworker, "draft", { reference, template: "acknowledgement" });
    const before = (await entries(reference)).length;
    relay.refuseWith = "Relaying denied";
    const said = await refusal(perform(office.caseworker, "send", { reference, item: 1 }));
    expect(said).toMatch(new RegExp(`^Item 1 of ${reference} was not sent: The mail server refused the message: 550 Relaying denied Nothing was recorded on the case\\.`));
    expect(await entries(reference)).toHaveLength(before);
    const shown = await postbag.core.cases.showCase(office.caseworker, reference);
    expect(shown.status).toBe("new");
    expect(shown.acknowledgement.state).not.toBe("met");
    expect((await items(reference))[0]).toMatchObject({ status: "send_failed", failure: expect.stringContaining("Relaying denied") });

    relay.refuseWith = null;
    const retried = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(retried.view.status).toBe("acknowledged");
    expect(relay.received).toHaveLength(1);
  });

  it("a letter is made as a PDF (address, date, reference, words in order), kept as a case file, and posting it records the step", async () => {
    const reference = await logCase({ channel: "letter" }, { name: "Lena Letter", email: null, address: "7 Mill Lane\nWantage OX12 9AB" });
    const drafted = await perform(office.caseworker, "draft", { reference, template: "acknowledgement" });
    expect(drafted.message).toContain("Acknowledgement letter to Lena Letter");
    clock.set("2026-12-02T09:30:00Z");
    const made = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(made.message).toBe(`Made item 1 of ${reference}, a letter to Lena Letter, as a PDF (file 1 on the case). Print and post it, then record it with: posted ${reference} 1.`);
    expect(made.view.status).toBe("new"); // made is not posted
    expect(relay.received).toHaveLength(0);
    const pdf = made.file!.bytes;
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");
    const path = join(pdfDir, `${reference}.pdf`);
    writeFileSync(path, pdf);
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
    const order = ["Lena Letter", "7 Mill Lane", "Wantage OX12 9AB", "2 December 2026", `Our reference: ${reference}`, "Dear Lena Letter,", "Sam Signer"].map((part) => text.indexOf(part));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    expect(made.view.files).toEqual([expect.objectContaining({ number: 1, mediaType: "application/pdf", sha256: sha256(pdf), source: "letter" })]);
    const letterMade = (await entries(reference)).find((entry) => entry.type === "letter_made")!;
    expect(letterMade.detail).toMatchObject({ item: 1, sha256: sha256(pdf) });
    expect(letterMade.text).toContain("Dear Lena Letter,");
    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1 }))).toMatch(/is made \(PDF\), to be posted, so you cannot send it\. Record its posting with: posted/);

    clock.set("2026-12-02T15:00:00Z");
    const posted = await perform(office.caseworker, "posted", { reference, item: 1 });
    expect(posted.message).toBe(`Recorded letter 1 of ${reference} as posted. ${reference} is acknowledged.`);
    expect((await entries(reference)).at(-1)).toMatchObject({ type: "acknowledged", at: new Date("2026-12-02T15:00:00Z"), detail: expect.objectContaining({ method: "letter", sha256: sha256(pdf) }) });
    expect((await items(reference))[0]).toMatchObject({ status: "posted", postedBy: "Carl Caseworker" });
  });

  it("a sensitive case's email goes only once the sender has typed the address again", async () => {
    const reference = await logCase({ sensitive: true }, { name: "Sara Sensitive", email: "sara@example.com" });
    await perform(office.caseworker, "draft", { reference, template: "acknowledgement" });
    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1 }))).toBe(`${reference} is sensitive: confirm where it goes by typing the address: send ${reference} 1 --confirm-address <address>.`);
    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1, confirmAddress: "sarah@example.com" }))).toMatch(/^That is not the email address recorded for Sara Sensitive/);
    expect(await refusal(perform(office.otherCaseworker, "send", { reference, item: 1, confirmAddress: "sara@example.com" }))).toMatch(/only its assignee or a manager/);
    expect(relay.received).toHaveLength(0);
    const command = parseCommand(`send ${reference} 1 --confirm-address SARA@example.com`);
    const result = await executeCommand(postbag.core, office.caseworker, command, { audience: "private", request: cli });
    expect(result).toMatchObject({ kind: "case", message: expect.stringContaining("Sent item 1") });
    expect(relay.received.map((received) => received.envelope)).toEqual([["sara@example.com"]]);
  });

  it("refuses what cannot go: no address, a referral without a partner, a closed case, a note; emails without SMTP configured (letters still work)", async () => {
    const reference = await logCase({}, { name: "Nora Noaddress", email: null, address: null });
    expect(await refusal(perform(office.caseworker, "draft", { reference, template: "acknowledgement", form: "email" }))).toBe(`${reference} has no email address for Nora Noaddress. Add it (edit ${reference} --email <address>), or send a letter.`);
    expect(await refusal(perform(office.caseworker, "draft", { reference, template: "referral" }))).toMatch(/^Say which partner the referral goes to/);
    expect(() => parseCommand(`send ${reference}`)).toThrow(/Say which case and which letter or email/);
    // Only a letter or email drafted on the case can be sent: a note is never one.
    await perform(office.caseworker, "add_entry", { reference, type: "note", text: "Rang her" });
    expect(await refusal(perform(office.caseworker, "send", { reference, item: 1 }))).toBe(`${reference} has no letter or email 1. See them with: outgoing ${reference}.`);

    // A referral goes to the partner's contact, and sending it records the referral.
    const referred = await logCase({}, { name: "Pat Partner", email: "pat@example.com" });
    await perform(office.caseworker, "acknowledge", { reference: referred });
    await perform(office.caseworker, "draft", { reference: referred, template: "referral", partner: "County Council" });
    const sent = await perform(office.caseworker, "send", { reference: referred, item: 1 });
    expect(relay.received.map((received) => received.envelope)).toEqual([["referrals@council.example"]]);
    expect(sent.view.referrals).toEqual([expect.objectContaining({ partner: "County Council" })]);
    expect(sent.view.status).toBe("awaiting_partner");

    const closed = await logCase({}, { name: "Carla Closed", email: "carla@example.com" });
    await perform(office.caseworker, "draft", { reference: closed, template: "acknowledgement" });
    await perform(office.caseworker, "close", { reference: closed, outcome: "withdrawn" });
    expect(await refusal(perform(office.caseworker, "send", { reference: closed, item: 1 }))).toMatch(/is closed, so you cannot send letters from it/);
    expect(await refusal(perform(office.caseworker, "draft", { reference: closed, template: "holding" }))).toMatch(/is closed/);

    // Without a relay: emails refused, saying so; letters made.
    const noMail = createCore(postbag.db, { ...TEST_SETTINGS }, clock, postbag.core.files.store);
    const later = await logCase({}, { name: "Una Unsent", email: "una@example.com" });
    await noMail.cases.perform(office.caseworker, "draft", { reference: later, template: "acknowledgement" }, cli);
    expect(await refusal(noMail.cases.perform(office.caseworker, "send", { reference: later, item: 1 }, cli))).toMatch(/^Email sending is not configured here/);
    await noMail.cases.perform(office.caseworker, "draft", { reference: later, template: "acknowledgement", form: "letter" }, cli);
    expect((await noMail.cases.perform(office.caseworker, "send", { reference: later, item: 2 }, cli)).file?.mediaType).toBe("application/pdf");
    expect(relay.received).toHaveLength(1);
  });

  it("the subject access bundle holds what was sent, drafts included", async () => {
    const reference = await logCase({}, { name: "Ada Access", email: "ada@example.com" });
    await perform(office.caseworker, "draft", { reference, template: "acknowledgement" });
    await perform(office.caseworker, "send", { reference, item: 1 });
    await perform(office.caseworker, "draft", { reference, template: "more-information" });
    const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, reference, cli);
    const [found] = sar.file.cases;
    expect(found!.letters.map((letter) => [letter.number, letter.status])).toEqual([[1, "sent"], [2, "draft"]]);
    expect(found!.timeline.find((entry) => entry.type === "acknowledged")!.text).toContain("Dear Ada Access,");
    expect(sar.text).toContain("Letter or email 2 (more-information email to Ada Access; draft)");
  });
});
