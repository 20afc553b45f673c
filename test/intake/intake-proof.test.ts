import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import type { MailSource } from "../../src/domain/intake/intake-message.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { MailIntakeJob } from "../../src/jobs/mail-intake-job.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag, TEST_SETTINGS } from "../support/databases.ts";
import { mail, PDF, PNG } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";

const SOURCE = "imap:intake@mail.example/INBOX";

/**
 * Intake that proves itself (issue 16, after review): one decision per email however many
 * people press at once, a message is the same message only when its content agrees, an email's
 * attachments become the case's files and its whole text is in the subject-access bundle, an
 * erased case takes no more mail, and a mailbox that cannot be read says so.
 */
describeEachDatabase("intake that proves itself", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-07T10:00:00Z"); // Monday 7 December 2026
  let uid = 0;

  async function receive(...raws: (string | Buffer)[]): Promise<number[]> {
    const messages = [];
    for (const raw of raws) {
      uid += 1;
      messages.push({ sourceKey: `1:${uid}`, deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) });
    }
    return postbag.core.intake.receive(SOURCE, { messages, cursor: { kind: "imap", uidValidity: 1, lastUid: uid } });
  }

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  describe("one decision per email", () => {
    it("two people deciding at the same moment: one decision stands, the other is told who is deciding, and no case is left over", async () => {
      for (let round = 0; round < 4; round++) {
        const [id] = await receive(mail.plain({ subject: `Race ${round}` }));
        const before = await postbag.db.prisma.case.count();
        const [logged, dismissed] = await Promise.allSettled([
          postbag.core.intake.log(office.admin, { id }, { platform: "slack" }),
          postbag.core.intake.dismiss(office.caseworker, { id, reason: "spam" }),
        ]);
        const message = await postbag.core.intake.show(office.manager, id);
        expect([logged.status, dismissed.status].filter((status) => status === "fulfilled")).toHaveLength(1);
        if (logged.status === "fulfilled") {
          expect(message).toMatchObject({ state: "logged", case: { reference: logged.value.view.reference } });
          expect(await postbag.db.prisma.case.count()).toBe(before + 1);
          expect((dismissed as PromiseRejectedResult).reason.message).toMatch(new RegExp(`^(Alice Admin is logging #${id} right now|#${id} is already logged as)`));
        } else {
          expect(message).toMatchObject({ state: "dismissed", case: null });
          expect(await postbag.db.prisma.case.count()).toBe(before);
          expect(logged.reason.message).toMatch(new RegExp(`is dismissing #${id} right now|#${id} was dismissed by`));
        }
        expect(message.claim).toBeNull();
      }
    });

    it("a decision left half-done by a stopped process is finished, not contradicted, by the next person", async () => {
      const [id] = await receive(mail.plain({ subject: "Stopped mid-log" }));
      // What a process that stopped mid-way leaves: its claim on the message, and the case it had logged.
      await postbag.db.prisma.intakeMessage.update({ where: { id }, data: { claimedFor: "log", claimedBy: "Alice Admin", claimedAt: clock.now() } });
      const made = await postbag.core.cases.logCase(office.admin, { channel: "email", receivedOn: "2026-12-07", constituent: { name: "Stella Stopped", email: "stella@example.org" }, subject: "Stopped mid-log" }, { platform: "slack", requestKey: `intake:${id}:log` });

      // Within the claim's life, nobody else decides.
      await expect(postbag.core.intake.dismiss(office.caseworker, { id, reason: "spam" })).rejects.toThrow(`Alice Admin is logging #${id} right now. Look again in a moment: intake show ${id}.`);
      clock.set(new Date(clock.now().getTime() + 3 * 60_000));
      await expect(postbag.core.intake.dismiss(office.caseworker, { id, reason: "spam" })).rejects.toThrow(`#${id} is already logged as ${made.reference} (by Alice Admin).`);
      expect(await postbag.core.intake.show(office.manager, id)).toMatchObject({ state: "logged", case: { reference: made.reference }, claim: null });
    });

    it("a case written by an attempt that then failed (its claim given back) is found by the next decision, not contradicted", async () => {
      const [id] = await receive(mail.plain({ from: "Fay Failed <fay@example.org>", subject: "Logged, then the marking failed" }));
      const made = await postbag.core.cases.logCase(office.admin, { channel: "email", receivedOn: "2026-12-07", constituent: { name: "Fay Failed", email: "fay@example.org" }, subject: "Logged" }, { platform: "slack", requestKey: `intake:${id}:log` });
      await expect(postbag.core.intake.dismiss(office.caseworker, { id, reason: "spam" })).rejects.toThrow(`#${id} is already logged as ${made.reference} (by an earlier attempt).`);
      expect(await postbag.core.intake.show(office.manager, id)).toMatchObject({ state: "logged", case: { reference: made.reference } });
    });

    it("a decision that fails gives the email back to whoever comes next", async () => {
      const [id] = await receive(mail.plain({ subject: "Wrong case" }));
      await expect(postbag.core.intake.attach(office.admin, { id, reference: "PFCC-2026-9999" }, { platform: "cli" })).rejects.toThrow(/PFCC-2026-9999/);
      expect((await postbag.core.intake.show(office.manager, id)).claim).toBeNull();
      expect((await postbag.core.intake.dismiss(office.caseworker, { id, reason: "newsletter" })).message).toBe(`Dismissed #${id}: newsletter or mailing.`);
    });
  });

  describe("the same message, or another one", () => {
    it("an email recorded before content hashes were kept is still the same message when the folder is read again (a new UIDVALIDITY)", async () => {
      const raw = mail.plain({ subject: "Recorded long ago", messageId: "<legacy@example.com>" });
      const [id] = await receive(raw);
      // As a row written before migration 20261210000000 stands: no content hash.
      await postbag.db.prisma.intakeMessage.update({ where: { id }, data: { contentHash: "" } });
      const reread = { sourceKey: "2:1", deliveredAt: clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) };
      expect(await postbag.core.intake.receive(SOURCE, { messages: [reread], cursor: { kind: "imap", uidValidity: 2, lastUid: 1 } })).toEqual([]);
    });

    it("one email delivered twice is recorded once; a different email reusing its Message-ID is recorded as the message it is", async () => {
      const twice = mail.plain({ subject: "Delivered twice", messageId: "<same@example.com>" });
      const first = await receive(twice);
      expect(first).toHaveLength(1);
      expect(await receive(twice)).toEqual([]);
      const other = await receive(mail.plain({ from: "Someone Else <else@example.net>", subject: "Not the same", messageId: "<same@example.com>" }, "Different words."));
      expect(other).toHaveLength(1);
      expect((await postbag.core.intake.show(office.manager, other[0]!)).subject).toBe("Not the same");
    });
  });

  describe("attachments and the whole email stay with the case", () => {
    it("logged: the PDF and the photo are the case's files from the email, their hashes on the timeline; the subject-access bundle holds the whole email", async () => {
      const long = Array.from({ length: 40 }, (_, line) => `Line ${line + 1} of a long letter.`).join("\r\n");
      const raw = mail.withAttachments({ from: "Sara Scan <sara@example.org>", subject: "Scans" }, PDF, PNG).replace("Please see the attached letter and photo.", long);
      const [id] = await receive(raw);
      const { view, message } = await postbag.core.intake.log(office.admin, { id }, { platform: "cli" });
      expect(message).toContain("Its 2 attachments are on the case as files.");
      expect(view.files!.map((file) => [file.filename, file.source, file.typeLabel])).toEqual([
        ["letter.pdf", "email", "PDF"],
        ["damage.png", "email", "PNG"],
      ]);
      const entry = view.timeline!.entries.find((shown) => shown.type === "file_attached")!;
      expect(entry.text).toBe("Attachments kept as case files: letter.pdf, damage.png");

      // Logging again (a retry) keeps them once.
      await expect(postbag.core.intake.log(office.admin, { id }, { platform: "cli" })).rejects.toThrow(`#${id} is already logged as ${view.reference}`);
      expect((await postbag.core.cases.showCase(office.manager, view.reference)).files).toHaveLength(2);

      const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, "sara@example.org", { platform: "cli" });
      const [email] = sar.file.cases[0]!.emails;
      expect(email!.text).toContain("Line 40 of a long letter.");
      expect(sar.text).toContain("Line 40 of a long letter.");
      expect(email!.attachments.map((attachment) => attachment.bundleName)).toEqual([`${view.reference}-1-letter.pdf`, `${view.reference}-2-damage.png`]);
      expect(sar.attachments.map((attachment) => attachment.bundleName)).toEqual([`${view.reference}-1-letter.pdf`, `${view.reference}-2-damage.png`]);
      expect(Buffer.from(sar.attachments[0]!.bytes).equals(PDF)).toBe(true);

      // An email of theirs that was not casework is theirs too: whole, in the bundle.
      const [other] = await receive(mail.withAttachments({ from: "Sara Scan <sara@example.org>", subject: "A newsletter reply" }, PDF, PNG));
      await postbag.core.intake.dismiss(office.admin, { id: other, reason: "newsletter" });
      const again = await postbag.core.subjectAccess.subjectAccess(office.manager, "sara@example.org", { platform: "cli" });
      expect(again.file.emails.map((email) => [email.number, email.subject])).toEqual([[other, "A newsletter reply"]]);
      expect(again.text).toContain(`Email #${other} received`);
      expect(again.attachments.map((attachment) => attachment.bundleName)).toContain(`email-${other}-1-letter.pdf`);
    });

    it("added to a case: the attachments come with the email entry; a kind a case does not hold stays with the email, and is in the bundle", async () => {
      const target = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-12-07", constituent: { name: "Ian Invite", email: "ian@example.org" }, subject: "Meeting" }, { platform: "cli" });
      // A zip archive: not a kind of file a case holds (it could hold anything).
      const archive = Buffer.from("504b0506000000000000000000000000000000000000", "hex");
      const raw = mail
        .withAttachments({ from: "Ian Invite <ian@example.org>", subject: "Photo and archive" }, archive, PNG)
        .replace('Content-Type: application/pdf; name="letter.pdf"', 'Content-Type: application/zip; name="photos.zip"')
        .replace('filename="letter.pdf"', 'filename="photos.zip"');
      const [id] = await receive(raw);
      const { view, message } = await postbag.core.intake.attach(office.caseworker, { id, reference: target.reference }, { platform: "cli" });
      expect(message).toBe(`Added #${id} to ${target.reference}. Its attachment is on the case as files.`);
      expect(view.files!.map((file) => file.filename)).toEqual(["damage.png"]);
      expect(view.timeline!.entries.at(-1)!.text).toContain("Attachments kept as case files: damage.png");

      const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, "ian@example.org", { platform: "cli" });
      expect(sar.file.cases[0]!.emails[0]!.attachments.map((attachment) => attachment.bundleName)).toEqual([`${target.reference}-email-${id}-1-photos.zip`, `${target.reference}-1-damage.png`]);
      expect(sar.attachments.map((attachment) => attachment.bundleName).sort()).toEqual([`${target.reference}-1-damage.png`, `${target.reference}-email-${id}-1-photos.zip`]);
    });
  });

  describe("an erased case takes no more mail", () => {
    it("a reply to an erased case waits for a person, and cannot be added to it", async () => {
      const [id] = await receive(mail.plain({ from: "Erin Erased <erin@example.org>", subject: "First", messageId: "<erin-1@example.org>" }));
      const { view } = await postbag.core.intake.log(office.admin, { id }, { platform: "cli" });
      await postbag.core.cases.perform(office.manager, "close", { reference: view.reference, outcome: "withdrawn" }, { platform: "cli" });
      await postbag.core.erasure.erase(office.manager, view.reference, true, { platform: "cli" });

      const [reply] = await receive(mail.reply("erin-1@example.org", { from: "Erin Erased <erin@example.org>", subject: `Re: [${view.reference}] First` }));
      await postbag.core.intake.threadReplies();
      expect(await postbag.core.intake.show(office.manager, reply!)).toMatchObject({ state: "new", case: null });
      await expect(postbag.core.intake.attach(office.admin, { id: reply, reference: view.reference }, { platform: "cli" })).rejects.toThrow(
        `${view.reference} had its personal data erased, so nothing personal is added to it again. Log #${reply} as a new case instead: intake log ${reply}.`,
      );
    });
  });

  describe("where intake starts, and a mailbox that cannot be read", () => {
    it("mail the mailbox got before POSTBAG_MAIL_SINCE is history: not recorded, and the cursor moves past it", async () => {
      const since = await openTestPostbag(database, clock, { ...TEST_SETTINGS, mail: { pollSeconds: 60, maxMessageBytes: 1e6, since: "2026-12-07" } });
      try {
        const old = { sourceKey: "9:1", deliveredAt: new Date("2026-12-04T16:00:00Z"), rawSize: 10, mail: await readMail(Buffer.from(mail.plain({ subject: "Old" }))) };
        const fresh = { sourceKey: "9:2", deliveredAt: new Date("2026-12-07T00:30:00Z"), rawSize: 10, mail: await readMail(Buffer.from(mail.plain({ subject: "New" }))) };
        const ids = await since.core.intake.receive(SOURCE, { messages: [old, fresh], cursor: { kind: "imap", uidValidity: 9, lastUid: 2 } });
        expect(ids).toHaveLength(1);
        expect((await since.core.intake.show(await seedOffice(since).then((seeded) => seeded.manager), ids[0])).subject).toBe("New");
        expect(await since.core.intake.cursor(SOURCE)).toEqual({ kind: "imap", uidValidity: 9, lastUid: 2 });
      } finally {
        await since.close();
      }
    });

    it("a mailbox that fails says since when and why in intake list, is in the manager's digest after half an hour, and leaves both once it reads again", async () => {
      let down = true;
      const source: MailSource = {
        name: "imap:casework@mail.example/INBOX",
        async *read() {
          if (down) throw new Error("connect ECONNREFUSED 192.0.2.1:993");
          yield { messages: [], cursor: { kind: "imap", uidValidity: 5, lastUid: 0 } };
        },
      };
      const job = new MailIntakeJob([source], postbag.core.intake, createLogger("silent"), 60);
      clock.set("2026-12-08T08:00:00Z");
      expect((await job.run()).failed).toEqual([source.name]);
      const list = async () => resultText(await executeCommand(postbag.core, office.admin, parseCommand("intake list"), { audience: "private", request: { platform: "cli" } }));
      expect(await list()).toContain(`Mailbox ${source.name} has not been read since Tue 8 Dec 2026 08:00: connect ECONNREFUSED 192.0.2.1:993. Email sent to it is not reaching Postbag.`);
      expect((await postbag.core.digests.managerDigest("2026-12-08")).sections.some((section) => section.key === "mailboxes_failing")).toBe(false);

      clock.set("2026-12-08T08:45:00Z");
      await job.run();
      // Still failing: the time it started failing stays.
      expect(await list()).toContain("has not been read since Tue 8 Dec 2026 08:00");
      expect((await postbag.core.digests.managerDigest("2026-12-08")).sections.find((section) => section.key === "mailboxes_failing")).toMatchObject({ count: 1, seeAll: "intake list" });

      down = false;
      expect((await job.run()).failed).toEqual([]);
      expect(await list()).not.toContain("has not been read since");
      expect((await postbag.core.digests.managerDigest("2026-12-08")).sections.some((section) => section.key === "mailboxes_failing")).toBe(false);
    });
  });

  describe("the email figures, worked by hand", () => {
    it("a copy counted once, a voided case's email still logged, an erased one still counted, a threaded reply added, one past its day unaccounted, one within it awaiting", async () => {
      const figuresClock = new TestClock("2026-12-14T10:00:00Z"); // Monday 14 December 2026
      const fresh = await openTestPostbag(database, figuresClock);
      try {
        const staff = await seedOffice(fresh);
        let key = 0;
        const take = async (raw: string) => {
          key += 1;
          const fetched = { sourceKey: `1:${key}`, deliveredAt: figuresClock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) };
          return fresh.core.intake.receive(SOURCE, { messages: [fetched], cursor: { kind: "imap", uidValidity: 1, lastUid: key } });
        };
        const cli = { platform: "cli" as const };
        const [a] = await take(mail.plain({ from: "Ann <ann@example.org>", subject: "A: logged, then voided" }));
        const { view: voided } = await fresh.core.intake.log(staff.admin, { id: a }, cli);
        await fresh.core.cases.perform(staff.manager, "void", { reference: voided.reference, reason: "Logged in error" }, cli);

        const copy = mail.plain({ from: "News <news@example.net>", subject: "B: a newsletter, delivered twice", messageId: "<b@example.net>" });
        const [b] = await take(copy);
        expect(await take(copy)).toEqual([]);
        await fresh.core.intake.dismiss(staff.admin, { id: b, reason: "newsletter" });

        const [c] = await take(mail.plain({ from: "Cal <cal@example.org>", subject: "C: logged, then erased" }));
        const { view: erased } = await fresh.core.intake.log(staff.admin, { id: c }, cli);
        await fresh.core.cases.perform(staff.manager, "close", { reference: erased.reference, outcome: "withdrawn" }, cli);
        await fresh.core.erasure.erase(staff.manager, erased.reference, true, cli);

        const open = await fresh.core.cases.logCase(staff.admin, { channel: "letter", receivedOn: "2026-12-14", constituent: { name: "Dee", email: "dee@example.org" }, subject: "Streetlights" }, cli);
        await take(mail.plain({ from: "Dee <dee@example.org>", subject: `Re: [${open.reference}] D: threaded by itself` }));
        await fresh.core.intake.threadReplies();

        await take(mail.plain({ subject: "E: nobody decided" }));
        figuresClock.set("2026-12-16T10:00:00Z"); // Wednesday: Monday's working day (Tuesday) is over
        await take(mail.plain({ subject: "F: arrived today" }));

        expect(await fresh.core.intake.figures("2026-12-14", "2026-12-16", "2026-12-16")).toEqual({
          received: 6, logged: 2, attached: 1, dismissed: 1, dismissedBy: { newsletter: 1 }, undecided: 2, unreadable: 0, unaccounted: 1, awaiting: 1,
        });
      } finally {
        await fresh.close();
      }
    });
  });
});
