import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { openPostbag, type Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import type { CaseAction } from "../../src/domain/cases/case-actions.ts";
import { DomainError } from "../../src/domain/errors.ts";
import type { Actor } from "../../src/domain/staff/roles.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { mail } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";
import { Relay } from "../support/smtp-relay.ts";

/**
 * Issue 17: a draft and its send as one person's act (`send_new`, the card's "Send
 * acknowledgement…"), written as two steps of the timeline; and every email to a constituent
 * who wrote in by email answering theirs (In-Reply-To, References), so it threads in their mail.
 */

const cli = { platform: "cli" as const };

describeEachDatabase("sending at once, and replies that thread in the constituent's mail", (database) => {
  const clock = new TestClock("2026-12-01T10:00:00Z"); // Tuesday 1 December 2026
  const relay = new Relay();
  let postbag: Postbag;
  let office: Office;
  let drop: () => Promise<void>;
  let uid = 0;

  beforeAll(async () => {
    await relay.start();
    const created = await database.create();
    drop = created.drop;
    postbag = await openPostbag(created.target, { ...TEST_SETTINGS, signOff: [{ template: "acknowledgement", kind: "complaint" }] }, { clock, mailSender: relay.sender() });
    office = await seedOffice(postbag);
    await postbag.core.partners.change(office.manager, { partner: "County Council", contact: "Casework desk, referrals@council.example" }, "cli");
  });
  afterAll(async () => {
    await postbag?.close();
    await drop?.();
    await relay.stop();
  });
  beforeEach(() => {
    relay.received.length = 0;
    relay.refuseWith = null;
    clock.set("2026-12-01T10:00:00Z");
  });

  const perform = (actor: Actor, action: CaseAction, input: Record<string, unknown>, request: { platform: "cli"; requestKey?: string } = cli) => postbag.core.cases.perform(actor, action, input, request);
  const refusal = (work: Promise<unknown>) => work.then(() => "done", (error: unknown) => (error instanceof DomainError ? error.message : `not a refusal: ${String(error)}`));
  const items = async (reference: string) => (await postbag.core.outgoing.list(office.manager, reference)).items;
  const entries = async (reference: string) => postbag.db.prisma.timelineEntry.findMany({ where: { case: { reference } }, orderBy: { seq: "asc" } });
  async function logCase(extra: Record<string, unknown> = {}, constituent: Record<string, unknown> = {}) {
    const view = await postbag.core.cases.logCase(
      office.admin,
      { channel: "email", receivedOn: "2026-11-30", constituent: { name: "Jane Doe", email: "jane.doe@example.com", address: "1 High Street\nAbingdon OX14 3AA", ...constituent }, subject: "Speeding on Main Street", constituentChoice: "new", assignee: office.caseworker.id, ...extra },
      cli,
    );
    return view.reference;
  }
  /** An email into the mailbox, recorded by mail intake: its number. */
  async function arrives(raw: string): Promise<number> {
    uid += 1;
    const [id] = await postbag.core.intake.receive("imap:test/INBOX", { messages: [{ sourceKey: `1:${uid}`, deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) }], cursor: { kind: "imap", uidValidity: 1, lastUid: uid } });
    return id!;
  }

  it("drafts and sends in one act, as two steps on the timeline: the exact words, the case acknowledged at the send", async () => {
    const reference = await logCase();
    clock.set("2026-12-01T11:15:00Z");
    const done = await perform(office.caseworker, "send_new", { reference, template: "acknowledgement", subject: "We have your email", text: "Dear Jane Doe,\n\nThank you.\n\nCarl" });
    expect(done.message).toBe(`Sent item 1 of ${reference} by email to Jane Doe <jane.doe@example.com>. ${reference} is acknowledged.`);
    expect(done.notSent).toBeUndefined();
    expect(relay.received.map((received) => [received.envelope, received.mail.subject, received.mail.text?.trim()])).toEqual([[["jane.doe@example.com"], `[${reference}] We have your email`, "Dear Jane Doe,\n\nThank you.\n\nCarl"]]);
    const written = await entries(reference);
    expect(written.map((entry) => [entry.type, entry.actorId])).toEqual([["logged", office.admin.id], ["assigned", office.admin.id], ["outgoing_drafted", office.caseworker.id], ["acknowledged", office.caseworker.id]]);
    expect(written[2]!.text).toBe("Item 1 drafted: Acknowledgement email to Jane Doe (words changed from the template)");
    expect(written[3]!.at).toEqual(new Date("2026-12-01T11:15:00Z"));
    expect((await items(reference))[0]).toMatchObject({ status: "sent", sentBy: { name: "Carl Caseworker" } });
  });

  it("refuses, writing nothing, whatever sending would refuse: sign-off needed, a wrong address typed for a sensitive case, no address, no relay", async () => {
    const complaint = await logCase({ kind: "complaint" });
    const before = (await entries(complaint)).length;
    expect(await refusal(perform(office.caseworker, "send_new", { reference: complaint, template: "acknowledgement" }))).toBe(
      `On a complaint case, letters and emails from the acknowledgement template need a manager's sign-off before they go, so this cannot be sent at once. Draft it (draft ${complaint} acknowledgement); a manager approves it, then it is sent.`,
    );
    const sensitive = await logCase({ sensitive: true });
    expect(await refusal(perform(office.caseworker, "send_new", { reference: sensitive, template: "acknowledgement" }))).toBe(`${sensitive} is sensitive: confirm where it goes by typing the address: send-new ${sensitive} acknowledgement --confirm-address <address>.`);
    expect(await refusal(perform(office.caseworker, "send_new", { reference: sensitive, template: "acknowledgement", confirmAddress: "jane@example.com" }))).toMatch(/^That is not the email address recorded for Jane Doe/);
    expect(await refusal(perform(office.otherCaseworker, "send_new", { reference: sensitive, template: "acknowledgement", confirmAddress: "jane.doe@example.com" }))).toMatch(/only its assignee or a manager/);
    const noEmail = await logCase({}, { email: null });
    expect(await refusal(perform(office.caseworker, "send_new", { reference: noEmail, template: "acknowledgement", form: "email" }))).toMatch(/has no email address for Jane Doe/);
    expect(await refusal(perform(office.viewer, "send_new", { reference: noEmail, template: "acknowledgement" }))).toMatch(/^Viewers can read cases but not change them/);
    expect((await entries(complaint)).length).toBe(before);
    for (const reference of [complaint, sensitive, noEmail]) expect(await items(reference)).toEqual([]);
    expect(relay.received).toHaveLength(0);

    // The address typed again: it goes.
    const sent = await perform(office.caseworker, "send_new", { reference: sensitive, template: "acknowledgement", confirmAddress: " JANE.DOE@example.com " });
    expect(sent.view.status).toBe("acknowledged");
    // A letter in one act: drafted, and made as a PDF to post.
    const made = await perform(office.caseworker, "send_new", { reference: noEmail, template: "acknowledgement" });
    expect(made.message).toBe(`Made item 1 of ${noEmail}, a letter to Jane Doe, as a PDF (file 1 on the case). Print and post it, then record it with: posted ${noEmail} 1.`);
    expect(made.file?.mediaType).toBe("application/pdf");
  });

  it("a relay that refuses: the draft is kept, the case stays due, the person is told why; the same request again tries the same item, never a second draft", async () => {
    const reference = await logCase({}, { name: "Rita Refused", email: "rita@example.com" });
    relay.refuseWith = "Relaying denied";
    const request = { platform: "cli" as const, requestKey: "cli:send-new-rita" };
    const failed = await perform(office.caseworker, "send_new", { reference, template: "acknowledgement" }, request);
    expect(failed.notSent).toBe(true);
    expect(failed.message).toBe(
      `Item 1 of ${reference} was not sent: The mail server refused the message: 550 Relaying denied Nothing was recorded on the case. Send it again once that is put right: send ${reference} 1. The words are kept as item 1 of ${reference}, and ${reference} is new.`,
    );
    expect(failed.view.acknowledgement.state).toBe("pending");
    expect((await items(reference)).map((item) => item.status)).toEqual(["send_failed"]);
    expect((await entries(reference)).map((entry) => entry.type)).toEqual(["logged", "assigned", "outgoing_drafted"]);

    // At a command, drafted-but-not-sent is a refusal (the console's exit code says so), with the same words.
    relay.refuseWith = "Relaying denied";
    const command = executeCommand(postbag.core, office.caseworker, parseCommand(`send-new ${reference} more-information`), { audience: "private", request: cli });
    expect(await refusal(command)).toMatch(new RegExp(`^Item 2 of ${reference} was not sent: .* The words are kept as item 2 of ${reference}`));

    relay.refuseWith = null;
    const retried = await perform(office.caseworker, "send_new", { reference, template: "acknowledgement" }, request);
    expect(retried.message).toBe(`Sent item 1 of ${reference} by email to Rita Refused <rita@example.com>. ${reference} is acknowledged.`);
    const again = await perform(office.caseworker, "send_new", { reference, template: "acknowledgement" }, request);
    expect(again.view.status).toBe("acknowledged");
    expect(relay.received).toHaveLength(1);
    expect((await items(reference)).map((item) => [item.number, item.status])).toEqual([[1, "sent"], [2, "send_failed"]]);
    expect((await entries(reference)).filter((entry) => entry.type === "outgoing_drafted")).toHaveLength(2);
  });

  it("an email to a constituent who wrote in answers their email: In-Reply-To names it, References carry its chain; after their reply, the reply; never on an email to a partner", async () => {
    const id = await arrives(mail.plain({ from: '"Tom Thread" <tom@example.com>', subject: "Potholes on Mill Lane", messageId: "<tom-1@mail.example.com>", extra: ["References: <older-0@mail.example.com>"] }));
    const logged = await postbag.core.intake.log(office.admin, { id, constituentChoice: "new", assignee: "Carl Caseworker" }, cli);
    const reference = logged.view.reference;

    await perform(office.caseworker, "send_new", { reference, template: "acknowledgement" });
    const [ack] = relay.received;
    expect(ack!.mail.inReplyTo).toBe("<tom-1@mail.example.com>");
    expect(ack!.mail.references).toEqual(["<older-0@mail.example.com>", "<tom-1@mail.example.com>"]);

    // Tom replies to the acknowledgement; it threads onto the case, and the next email answers his reply.
    const sentId = (await items(reference))[0]!.messageId!;
    await arrives(mail.plain({ from: '"Tom Thread" <tom@example.com>', subject: `Re: [${reference}] We have received your correspondence`, messageId: "<tom-2@mail.example.com>", extra: [`In-Reply-To: <${sentId}>`, `References: <older-0@mail.example.com> <tom-1@mail.example.com> <${sentId}>`] }, "Photos to follow."));
    expect((await postbag.core.intake.threadReplies()).attached).toEqual([expect.stringContaining(reference)]);
    await perform(office.caseworker, "draft", { reference, template: "more-information" });
    const drafted = (await items(reference)).at(-1)!;
    await perform(office.caseworker, "send", { reference, item: drafted.number });
    const more = relay.received.at(-1)!;
    expect(more.mail.inReplyTo).toBe("<tom-2@mail.example.com>");
    expect(more.mail.references).toEqual(["<older-0@mail.example.com>", "<tom-1@mail.example.com>", `<${sentId}>`, "<tom-2@mail.example.com>"]);

    // A referral goes to a partner, who never saw Tom's email: it answers nothing.
    await perform(office.caseworker, "draft", { reference, template: "referral", partner: "County Council" });
    await perform(office.caseworker, "send", { reference, item: (await items(reference)).at(-1)!.number });
    const referral = relay.received.at(-1)!;
    expect(referral.envelope).toEqual(["referrals@council.example"]);
    expect(referral.mail.inReplyTo).toBeUndefined();
    expect(referral.mail.references).toBeUndefined();

    // A case not from email answers nothing either.
    const typedIn = await logCase({ channel: "letter" }, { name: "Lil Letter", email: "lil@example.com" });
    await perform(office.caseworker, "send_new", { reference: typedIn, template: "acknowledgement" });
    expect(relay.received.at(-1)!.mail.inReplyTo).toBeUndefined();
  });
});
