import { formatSize } from "../../src/domain/files/file-rules.ts";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import type { CaseView } from "../../src/domain/cases/case-view.ts";
import type { DigestPublisher } from "../../src/domain/digest/digest-publisher.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import type { IntakeRecord } from "../../src/domain/intake/intake-message.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { ImapSource } from "../../src/intake/imap-source.ts";
import { MailIntakeJob } from "../../src/jobs/mail-intake-job.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { deliver, dovecot, folderName, mail, PDF, PNG } from "../support/mail.ts";
import { seedOffice, type Office } from "../support/office.ts";

/**
 * Mail intake over IMAP (issue 16), against a real Dovecot: every email that reaches the mailbox
 * is recorded once — whatever its charset, shape or size, damaged ones too — before anything
 * else; a restart neither misses nor repeats; two pollers at once record each message once; and
 * staff log, attach or dismiss each one from the same commands on every platform.
 */
describeEachDatabase("mail intake from an IMAP mailbox", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-02T10:00:00Z"); // Wednesday 2 December 2026
  const delivered = new Date("2026-12-01T09:30:00Z"); // the mailbox received them on Tuesday
  const folder = folderName(`imap-${database.engine}`);
  const told: { person: string; message: string }[] = [];
  const logger = createLogger("silent");

  const source = () => new ImapSource({ host: dovecot().host, port: dovecot().port, security: "off", user: dovecot().user, password: dovecot().password, mailbox: folder });
  const poll = () => new MailIntakeJob([source()], postbag.core.intake, logger, 60).run();
  const messages = () => postbag.db.prisma.intakeMessage.findMany({ orderBy: { id: "asc" } });
  const bySubject = async (subject: string): Promise<IntakeRecord> => {
    const row = (await messages()).find((message) => message.subject === subject);
    if (!row) throw new Error(`no message “${subject}”`);
    return postbag.core.intake.show(office.admin, row.id);
  };

  async function say(who: StaffRecord, text: string): Promise<string> {
    try {
      return resultText(await executeCommand(postbag.core, who, parseCommand(text), { audience: "private", request: { platform: "cli" } }));
    } catch (error) {
      if (isDomainError(error)) return `refused: ${error.message}`;
      throw error;
    }
  }

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
    const messenger: DigestPublisher = {
      platform: "slack",
      postChannelDigest: async () => {},
      canReach: () => true,
      postPersonalDigest: async () => {},
      postPersonalCase: async (person: StaffRecord, _view: CaseView, message: string) => void told.push({ person: person.name, message }),
    };
    postbag.core.notices.use(messenger);
  });
  afterAll(() => postbag?.close());

  describe("recording every message", () => {
    it("records plain, HTML-only, attachments, forwarded, ISO-8859-1, Windows-1252, no Message-ID, auto-reply and damaged mail, each readable or marked unreadable", async () => {
      await deliver(folder, [
        { raw: mail.plain({ messageId: "<plain-1@example.com>" }), at: delivered },
        { raw: mail.htmlOnly(), at: delivered },
        { raw: mail.withAttachments({}, PDF, PNG), at: delivered },
        { raw: mail.forwarded(), at: delivered },
        { raw: mail.latin1(), at: delivered },
        { raw: mail.windows1252(), at: delivered },
        { raw: mail.plain({ subject: "No message id here", messageId: null }), at: delivered },
        { raw: mail.autoReply(), at: delivered },
        { raw: mail.malformed(), at: delivered },
      ]);
      const outcome = await poll();
      expect(outcome).toMatchObject({ recorded: 9, failed: [] });

      const plain = await bySubject("Speeding on Main Street");
      expect(plain).toMatchObject({ state: "new", fromName: "Jane Doe", fromAddress: "jane@example.com", messageId: "plain-1@example.com", deliveredAt: delivered });
      expect(plain.text).toContain("Cars race past the school");

      // HTML-only: readable text, entities decoded, the script gone.
      const html = await bySubject("Noise at night");
      // (mailparser wraps long lines, as a text part would be)
      expect(html.text.replace(/\s+/g, " ")).toBe("Dear Commissioner, The bar on Mill Lane & its customers are loud until 3am – £50 fines don’t stop them.");
      expect(html.text).not.toContain("alert(1)");
      expect(html.text).not.toContain("<p>");

      const photos = await bySubject("Photos of the damage");
      expect(photos.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size }))).toEqual([
        { filename: "letter.pdf", contentType: "application/pdf", size: PDF.byteLength },
        { filename: "damage.png", contentType: "image/png", size: PNG.byteLength },
      ]);
      // The bytes are kept in the file store, under the hash the record names.
      expect(Buffer.from(await postbag.core.files.store.get(photos.attachments[0]!.sha256!))).toEqual(PDF);
      expect(Buffer.from(await postbag.core.files.store.get(photos.attachments[1]!.sha256!))).toEqual(PNG);

      const forwarded = await bySubject("Fwd: Antisocial behaviour on the estate");
      expect(forwarded.text).toContain("Youths gather by the shops every night.");

      const latin1 = await bySubject("Café in the High Street");
      expect(latin1.fromName).toBe("Renée Müller");
      expect(latin1.text).toBe("Der Café in Düsseldorf-Straße is open until 2am. £5 for parking.");
      expect((await bySubject("Street lighting")).text).toBe("The lights are “broken” – it’s been €100 of damage…");

      expect(await bySubject("No message id here")).toMatchObject({ messageId: null, state: "new" });
      expect(await bySubject("Automatic reply: Your case")).toMatchObject({ automatic: true, state: "new" });

      const damaged = (await messages()).find((message) => message.state === "unreadable");
      expect(damaged?.problem).toMatch(/No email headers could be read/);

      const listed = await say(office.admin, "intake list");
      expect(listed.split("\n")[0]).toBe("Emails awaiting triage (9), oldest first:");
      expect(listed).toContain("Jane Doe <jane@example.com> — Speeding on Main Street");
      expect(listed).toContain("Photos of the damage (2 attachments)");
      expect(listed).toContain("Automatic reply: Your case [automatic reply]");
      expect(listed).toMatch(/#\d+ {2}Tue 1 Dec 2026 09:30 {2}could not be read: No email headers/);
    });

    it("records a 20 MB attachment whole", async () => {
      const video = randomBytes(20 * 1024 * 1024);
      await deliver(folder, [{ raw: mail.large({}, video), at: delivered }]);
      expect(await poll()).toMatchObject({ recorded: 1 });
      const footage = await bySubject("CCTV footage");
      expect(footage.attachments[0]).toMatchObject({ filename: "footage.mp4", size: video.byteLength });
      expect(footage.rawSize).toBeGreaterThan(26 * 1024 * 1024);
      expect(Buffer.from(await postbag.core.files.store.get(footage.attachments[0]!.sha256!)).equals(video)).toBe(true);
    });

    it("a message over the size bound is recorded without being read, for a person to open in the mailbox; the next one is read as usual", async () => {
      await deliver(folder, [
        { raw: mail.large({ subject: "Too big" }, randomBytes(200 * 1024)), at: delivered },
        { raw: mail.plain({ subject: "Small after big" }), at: delivered },
      ]);
      const bounded = new ImapSource({ host: dovecot().host, port: dovecot().port, security: "off", user: dovecot().user, password: dovecot().password, mailbox: folder, maxMessageBytes: 100 * 1024 });
      expect(await new MailIntakeJob([bounded], postbag.core.intake, logger, 60).run()).toMatchObject({ recorded: 2, failed: [] });
      const [big] = (await postbag.core.intake.list(office.admin, { all: true })).filter((message) => message.state === "unreadable" && message.rawSize > 200 * 1024);
      expect(big!.problem).toBe(`it is ${formatSize(big!.rawSize)}, larger than Postbag reads whole (100 KB): open it in the mailbox, then log or dismiss it here`);
      expect(await bySubject("Small after big")).toMatchObject({ state: "new" });
    });

    it("after a restart reads on from where it stopped: nothing again, nothing missed", async () => {
      const before = (await messages()).length;
      expect(await poll()).toMatchObject({ recorded: 0 }); // a new poller, as after a restart
      await deliver(folder, [{ raw: mail.plain({ subject: "Arrived while we were down" }), at: delivered }]);
      expect(await poll()).toMatchObject({ recorded: 1 });
      expect((await messages()).length).toBe(before + 1);
      const cursor = await postbag.core.intake.cursor(source().name);
      expect(cursor).toMatchObject({ kind: "imap", lastUid: before + 1 });
    });

    it("two pollers reading the same mailbox at once record each message once", async () => {
      const before = (await messages()).length;
      await deliver(folder, Array.from({ length: 6 }, (_, n) => ({ raw: mail.plain({ subject: `Both at once ${n}` }), at: delivered })));
      const [a, b] = await Promise.all([poll(), poll()]);
      expect(a.recorded + b.recorded).toBe(6);
      const rows = await messages();
      expect(rows.length).toBe(before + 6);
      for (let n = 0; n < 6; n += 1) expect(rows.filter((row) => row.subject === `Both at once ${n}`)).toHaveLength(1);
    });

    it("records once a message that arrives twice with the same Message-ID (a copy in the mailbox)", async () => {
      const before = (await messages()).length;
      await deliver(folder, [
        { raw: mail.plain({ subject: "Sent twice", messageId: "<twice@example.com>" }), at: delivered },
        { raw: mail.plain({ subject: "Sent twice", messageId: "<twice@example.com>" }), at: delivered },
      ]);
      expect(await poll()).toMatchObject({ recorded: 1 });
      expect((await messages()).length).toBe(before + 1);
    });
  });

  describe("triage", () => {
    it("a viewer can neither see nor triage the mailbox", async () => {
      expect(await say(office.viewer, "intake list")).toBe("refused: Viewers can read cases but not change them. Ask a manager if you need more.");
    });

    it("logs a message as an email case received the day the mailbox got it, for the sender as a known constituent", async () => {
      const earlier = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-11-20", constituent: { name: "Jane Doe", email: "jane@example.com" }, subject: "An earlier letter" }, { platform: "cli" });
      const plain = await bySubject("Speeding on Main Street");
      const answer = await say(office.admin, `intake log ${plain.id} --assign "Carl Caseworker"`);
      expect(answer.split("\n")[0]).toMatch(/^Logged #\d+ as PFCC-2026-\d{4}\. Acknowledge by Thu 3 Dec 2026; respond by Tue 15 Dec 2026\.$/);
      const reference = answer.match(/PFCC-2026-\d{4}/)![0];
      const shown = await postbag.core.cases.showCase(office.manager, reference);
      expect(shown).toMatchObject({ channel: "email", receivedOn: "2026-12-01", subject: "Speeding on Main Street", constituent: { name: "Jane Doe", email: "jane@example.com" } });
      expect(shown.summary).toBe("Cars race past the school every morning.\nPlease ask the police to do something.");
      expect((await postbag.db.prisma.case.findUnique({ where: { reference } }))!.constituentId).toBe((await postbag.db.prisma.case.findUnique({ where: { reference: earlier.reference } }))!.constituentId);
      expect(await bySubject("Speeding on Main Street")).toMatchObject({ state: "logged", decidedBy: "Alice Admin", case: { reference } });

      // Again, or by someone else: the case logged the first time, nothing twice.
      expect(await say(office.manager, `intake log ${plain.id}`)).toMatch(new RegExp(`^refused: #${plain.id} is already logged as ${reference} \\(by Alice Admin\\)\\.`));
      expect(await postbag.db.prisma.case.count({ where: { channel: "email" } })).toBe(1);
    });

    it("adds a message to a case's timeline as an incoming email", async () => {
      const forwarded = await bySubject("Fwd: Antisocial behaviour on the estate");
      const target = await postbag.core.cases.logCase(office.admin, { channel: "phone", receivedOn: "2026-12-01", constituent: { name: "Pat Resident" }, subject: "Antisocial behaviour" }, { platform: "cli" });
      const answer = await say(office.caseworker, `intake attach ${forwarded.id} ${target.reference}`);
      expect(answer.split("\n")[0]).toBe(`Added #${forwarded.id} to ${target.reference}.`);
      const timeline = (await postbag.core.cases.showCase(office.manager, target.reference)).timeline!.entries;
      expect(timeline.at(-1)).toMatchObject({ label: "Email received", actor: "Carl Caseworker" });
      expect(timeline.at(-1)!.text).toContain("Cllr Sam Smith <sam.smith@council.example>: Fwd: Antisocial behaviour on the estate");
      expect(await say(office.caseworker, `intake attach ${forwarded.id} ${target.reference}`)).toBe(`refused: #${forwarded.id} is already on ${target.reference} (added by Carl Caseworker).`);
    });

    it("dismisses with a reason from the list and the name of who did it; other needs a word of what it is", async () => {
      const auto = await bySubject("Automatic reply: Your case");
      expect(await say(office.admin, `intake dismiss ${auto.id} junk`)).toMatch(/^refused: Say why it is not casework: spam, newsletter, auto-reply, duplicate, not-for-us, other\./);
      expect(await say(office.admin, `intake dismiss ${auto.id} other`)).toBe("refused: Say what it is when the reason is other: intake dismiss <n> other <what it is…>.");
      expect((await say(office.admin, `intake dismiss ${auto.id} auto-reply`)).split("\n")[0]).toBe(`Dismissed #${auto.id}: automatic reply.`);
      expect(await bySubject("Automatic reply: Your case")).toMatchObject({ state: "dismissed", dismissReason: "auto-reply", decidedBy: "Alice Admin" });
      expect(await say(office.manager, `intake log ${auto.id}`)).toBe(`refused: #${auto.id} was dismissed by Alice Admin (automatic reply). Nothing more is done with it.`);
      const damaged = (await messages()).find((message) => message.state === "unreadable")!;
      expect((await say(office.admin, `intake dismiss ${damaged.id} other damaged message, nothing readable`)).split("\n")[0]).toBe(`Dismissed #${damaged.id}: other (damaged message, nothing readable).`);
      expect(await say(office.admin, "intake dismiss 999999 spam")).toBe("refused: There is no message #999999. See the messages awaiting triage with: intake list.");
    });
  });

  describe("replies thread themselves", () => {
    it("a reply to a logged email joins its case, and the assignee is told", async () => {
      const logged = await bySubject("Speeding on Main Street");
      told.length = 0;
      await deliver(folder, [{ raw: mail.reply("<plain-1@example.com>", { subject: "Re: Speeding on Main Street (again)" }), at: delivered }]);
      await poll();
      const reply = await bySubject("Re: Speeding on Main Street (again)");
      expect(reply).toMatchObject({ state: "attached", decidedBy: "Postbag", case: { reference: logged.case!.reference } });
      const last = (await postbag.core.cases.showCase(office.manager, logged.case!.reference)).timeline!.entries.at(-1)!;
      expect(last).toMatchObject({ label: "Email received", actor: null, platform: "system" });
      expect(last.text).toBe("Jane Doe <jane@example.com>: Re: Speeding on Main Street (again)\nThank you. It happened again last night.");
      expect(told).toEqual([{ person: "Carl Caseworker", message: `An email from Jane Doe <jane@example.com> arrived on ${logged.case!.reference}: it is on the case's timeline.` }]);
    });

    it("a case reference in the subject threads it; on a closed case it asks whether to reopen, and never reopens it", async () => {
      const closed = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-12-01", constituent: { name: "Owen Closed", email: "owen@example.org" }, subject: "Parking", assignee: office.caseworker.id }, { platform: "cli" });
      await postbag.core.cases.perform(office.caseworker, "respond", { reference: closed.reference, text: "Answered by letter." }, { platform: "cli" });
      await postbag.core.cases.perform(office.caseworker, "close", { reference: closed.reference, outcome: "responded" }, { platform: "cli" });
      told.length = 0;
      await deliver(folder, [{ raw: mail.plain({ from: "Owen <owen@example.org>", subject: `Re: [${closed.reference}] Parking` }, "I am not satisfied with the answer."), at: delivered }]);
      await poll();
      const reply = await bySubject(`Re: [${closed.reference}] Parking`);
      expect(reply).toMatchObject({ state: "attached", reopenAsked: true, case: { reference: closed.reference, status: "closed" } });
      const shown = await postbag.core.cases.showCase(office.manager, closed.reference);
      expect(shown.status).toBe("closed");
      expect(shown.timeline!.entries.at(-1)!.text).toContain("(Arrived after the case was closed: decide whether to reopen it.)");
      expect(told[0]?.message).toBe(`A reply from Owen <owen@example.org> arrived on ${closed.reference}, which is closed: reopen it (reopen ${closed.reference} <reason>) or keep it closed (intake keep-closed ${reply.id}).`);
      expect((await postbag.core.intake.awaitingReopenDecision()).map((message) => message.id)).toEqual([reply.id]);
      expect(await say(office.manager, `intake keep-closed ${reply.id}`)).toBe(`${closed.reference} stays closed; #${reply.id} is on its timeline.`);
      expect(await postbag.core.intake.awaitingReopenDecision()).toEqual([]);
    });

    it("a reference in the subject from someone who is not the case's constituent or partner waits for a person", async () => {
      const theirs = await postbag.core.cases.logCase(office.admin, { channel: "email", receivedOn: "2026-12-01", constituent: { name: "Pat Private", email: "pat@example.org" }, subject: "Neighbour dispute" }, { platform: "cli" });
      await deliver(folder, [{ raw: mail.plain({ from: "Mallory <mallory@example.net>", subject: `Re: [${theirs.reference}] Neighbour dispute` }, "Add this to Pat's case, please."), at: delivered }]);
      await poll();
      expect(await bySubject(`Re: [${theirs.reference}] Neighbour dispute`)).toMatchObject({ state: "new", case: null });
      const shown = await postbag.core.cases.showCase(office.manager, theirs.reference);
      expect(shown.timeline!.entries.map((entry) => entry.text).join("\n")).not.toContain("Mallory");
    });

    it("a partner's reply to a referral is recorded as the partner's reply", async () => {
      await postbag.core.partners.add(office.manager, { name: "North Yorkshire Police", aliases: ["NYP"], contact: "Control room, correspondence@nyp.police.example" }, "cli");
      const referred = await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-12-01", constituent: { name: "Rita Referred" }, subject: "Burglary follow-up", assignee: office.caseworker.id }, { platform: "cli" });
      await postbag.core.cases.perform(office.caseworker, "refer", { reference: referred.reference, partner: "NYP" }, { platform: "cli" });
      await deliver(folder, [{ raw: mail.plain({ from: "PC Jo Bloggs <jo.bloggs@nyp.police.example>", subject: `RE: ${referred.reference} Burglary follow-up` }, "An officer visited on Monday."), at: delivered }]);
      await poll();
      const shown = await postbag.core.cases.showCase(office.manager, referred.reference);
      expect(shown.referrals[0]).toMatchObject({ partner: "North Yorkshire Police" });
      expect(shown.referrals[0]!.repliedOn).toBe("2026-12-02");
      expect(shown.timeline!.entries.at(-1)).toMatchObject({ label: "Partner replied" });
      expect(shown.timeline!.entries.at(-1)!.text).toContain("North Yorkshire Police replied: by email from PC Jo Bloggs <jo.bloggs@nyp.police.example>");
    });

    it("an automatic reply quoting a case is left for a person, never threaded", async () => {
      const logged = await bySubject("Speeding on Main Street");
      await deliver(folder, [{ raw: mail.autoReply({ subject: `Automatic reply: [${logged.case!.reference}]` }), at: delivered }]);
      await poll();
      expect(await bySubject(`Automatic reply: [${logged.case!.reference}]`)).toMatchObject({ state: "new", automatic: true });
    });
  });
});
