import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { FakeOneDrive } from "../support/fake-onedrive.ts";
import { letter } from "../support/office.ts";
import { fileConsentActivity } from "../support/teams-activities.ts";
import { fileOffersOf, TeamsHarness, type Person } from "../support/teams-harness.ts";
import type { Where } from "../support/teams-activities.ts";

/**
 * Issue 18 from Teams: files from Postbag through the FileConsentCard flow — through the real
 * botbuilder adapter, a fake Bot Connector, and a loopback OneDrive upload session that keeps
 * exactly the bytes it was sent.
 */
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
const cli = { platform: "cli" as const };
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describeEachDatabase("Teams: files from Postbag, offered and accepted", (database) => {
  const oneDrive = new FakeOneDrive();
  let teams: TeamsHarness;
  beforeAll(async () => {
    await oneDrive.start();
    teams = await TeamsHarness.start(database, { fileOrigins: [oneDrive.origin], uploadTimeoutMs: 300 });
    const { manager, caseworker } = teams.office;
    await teams.postbag.core.cases.logCase(manager, letter({ receivedOn: "2026-11-02", assignee: caseworker.id }), cli);
    await teams.postbag.core.cases.logCase(manager, letter({ receivedOn: "2026-11-16" }), cli);
  });
  afterAll(async () => {
    await teams?.stop();
    await oneDrive.stop();
  });
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  const offersIn = (sent: { body: Record<string, any> }[]) => sent.flatMap((activity) => fileOffersOf(activity.body));
  /** Accepts an offer as Teams does: it opens an upload session in the person's OneDrive and hands it to the bot. */
  async function accept(who: Person, offer: ReturnType<typeof offersIn>[number], where?: Where) {
    const session = oneDrive.openSession(offer.name);
    const answer = await teams.answerFileOffer(who, { action: "accept", context: offer.content.acceptContext, uploadInfo: session }, { where });
    return { ...answer, session, arrived: oneDrive.file(session.uploadUrl), requests: oneDrive.requestsTo(session.uploadUrl) };
  }
  const logged = async (action: string) => (await teams.postbag.core.accessLog.list(teams.office.manager, 500)).filter((event) => event.action === action && event.platform === "teams").length;

  it("export in the personal chat offers the CSV on a FileConsentCard; accepted, exactly the core's CSV arrives in the person's OneDrive in one PUT, and a file card says what was sent", async () => {
    const asked = await teams.message("manager", "export 2026-11");
    expect(asked.response.status).toBe(200);
    expect(asked.text).toMatch(/^Cases export — .+ \(2 cases\)\. Teams asks you first: accept the card below and Postbag puts the file in your OneDrive\.$/);
    const offers = offersIn(asked.sent);
    expect(offers).toHaveLength(1);
    const offer = offers[0]!;
    expect(offer.name).toBe("postbag-cases-2026-11.csv");
    expect(offer.content.description).toMatch(/^Cases export — .+ \(2 cases\)$/);
    expect(await logged("export")).toBe(1);

    const accepted = await accept("manager", offer);
    expect(accepted.status).toBe(200);
    // Made again at accept time, for the person accepting: the request and the delivery are both in the audit log.
    expect(await logged("export")).toBe(2);
    const csv = (await teams.postbag.core.exports.exportCases(teams.office.manager, "2026-11", cli)).content;
    expect(accepted.arrived?.toString("utf8")).toBe(csv);
    const size = Buffer.byteLength(csv);
    expect(offer.content.sizeInBytes).toBe(size);
    // One PUT naming its bytes, without credentials: the session address is pre-authorised.
    expect(accepted.requests.map((request) => [request.method, request.contentRange, request.authorization, request.status])).toEqual([["PUT", `bytes 0-${size - 1}/${size}`, undefined, 201]]);
    expect(accepted.sent).toHaveLength(1);
    expect(accepted.sent[0]!.body.attachments).toEqual([
      {
        contentType: "application/vnd.microsoft.teams.card.file.info",
        name: "postbag-cases-2026-11.csv",
        contentUrl: accepted.session.contentUrl,
        content: { uniqueId: accepted.session.uniqueId, fileType: "csv" },
      },
    ]);
    expect(accepted.text).toMatch(/^Sent postbag-cases-2026-11\.csv \(\d+ (bytes|KB)\) to your OneDrive\.$/);
  });

  it("the quarter's complaints statement: its figures in the chat, its CSV and page offered as files, each arriving as the core made it", async () => {
    const asked = await teams.message("manager", "statement 2026-Q4");
    expect(asked.text).toContain("Complaints and requests statement, 2026 Q4");
    const offers = offersIn(asked.sent);
    expect(offers.map((offer) => offer.name)).toEqual(["postbag-statement-2026-Q4.csv", "postbag-statement-2026-Q4.html"]);
    const accepted = await accept("manager", offers[1]!);
    const made = await teams.postbag.core.reports.complaintsStatement(teams.office.manager, "2026-Q4");
    expect(accepted.arrived?.toString("utf8")).toBe(made.html);
  });

  it("declined, nothing is read or sent, and the person is told how to have it after all", async () => {
    const offer = offersIn((await teams.message("manager", "export 2026-11")).sent)[0]!;
    const [requests, exports] = [oneDrive.requests.length, await logged("export")];
    const declined = await teams.answerFileOffer("manager", { action: "decline", context: offer.content.declineContext });
    expect(declined.status).toBe(200);
    expect(declined.text).toBe("Nothing was sent: you declined postbag-cases-2026-11.csv. To have it after all, ask again with export 2026-11.");
    expect(declined.sent.flatMap((activity) => activity.body.attachments ?? [])).toEqual([]);
    expect(oneDrive.requests.length).toBe(requests);
    expect(await logged("export")).toBe(exports);
  });

  it("an upload OneDrive fails, refuses or does not answer tells the person plainly that the file did not arrive and how to try again; the half-done upload is cancelled and nothing crashes", async () => {
    const cases: [{ status: number } | "hang", string][] = [
      [{ status: 500 }, "OneDrive failed to take it (it answered 500)"],
      [{ status: 403 }, "OneDrive refused it (it answered 403)"],
      [{ status: 410 }, "the upload Teams opened had expired (OneDrive answered 410)"],
      ["hang", "OneDrive did not answer within 300 ms"],
    ];
    for (const [failure, words] of cases) {
      const offer = offersIn((await teams.message("manager", "export 2026-11")).sent)[0]!;
      oneDrive.failNext(1, failure);
      const accepted = await accept("manager", offer);
      expect(accepted.status).toBe(200);
      expect(accepted.text).toBe(`postbag-cases-2026-11.csv did not arrive in your OneDrive: ${words}. To have it, ask again with export 2026-11 and accept the new card.`);
      expect(accepted.arrived).toBeUndefined();
      expect(oneDrive.cancelled(accepted.session.uploadUrl)).toBe(true);
      expect(accepted.sent.flatMap((activity) => activity.body.attachments ?? [])).toEqual([]);
    }
  });

  it("in a channel or a group chat no file is offered: Postbag says to ask in the personal chat, reading and logging nothing (a subject's name typed there is not repeated)", async () => {
    const audit = (await teams.postbag.core.accessLog.list(teams.office.manager, 500)).length;
    for (const where of ["channel", "groupChat"] as const) {
      const asked = await teams.message("manager", "export 2026-11", { where });
      expect(asked.text).toBe("Teams lets Postbag send files only in a personal chat: ask in your personal chat with Postbag (export 2026-11).");
      expect(offersIn(asked.sent)).toEqual([]);
      const sar = await teams.message("manager", "sar Jane Doe 1", { where });
      expect(sar.text).toBe("Teams lets Postbag send files only in a personal chat: ask in your personal chat with Postbag (sar <who>).");
      const file = await teams.message("caseworker", "file PFCC-2026-0001 1", { where });
      expect(file.text).toBe("Teams lets Postbag send files only in a personal chat: ask in your personal chat with Postbag (file PFCC-2026-0001 1).");
    }
    // An answer to an offer arriving from a channel is refused the same way.
    const offer = offersIn((await teams.message("manager", "export 2026-11")).sent)[0]!;
    const before = (await teams.postbag.core.accessLog.list(teams.office.manager, 500)).length;
    const fromChannel = await accept("manager", offer, "channel");
    expect(fromChannel.text).toBe("Teams lets Postbag send files only in a personal chat, so nothing was sent: ask in your personal chat with Postbag.");
    expect(fromChannel.requests).toEqual([]);
    expect((await teams.postbag.core.accessLog.list(teams.office.manager, 500)).length).toBe(before);
    expect(before).toBe(audit + 1);
  });

  it("a sensitive case's file: a viewer is refused when asking; its assignee is offered it, but once the case has passed to a colleague the accept is refused too, as is the viewer answering with the same offer", async () => {
    const { core } = teams.postbag;
    const { reference } = await core.cases.logCase(teams.office.manager, letter({ sensitive: true, assignee: teams.office.caseworker.id }), cli);
    await core.cases.perform(teams.office.caseworker, "attach", { reference, filename: "medical report.pdf", bytes: PDF }, cli);
    const refusal = `${reference} is sensitive: only its assignee or a manager can open its files.`;

    const viewer = await teams.message("viewer", `file ${reference} 1`);
    expect(viewer.text).toBe(refusal);
    expect(offersIn(viewer.sent)).toEqual([]);

    const own = await teams.message("caseworker", `file ${reference} 1`);
    expect(own.text).toBe(`File 1 of ${reference}: medical report.pdf (PDF, ${PDF.byteLength} bytes). Teams asks you first: accept the card below and Postbag puts the file in your OneDrive.`);
    const offer = offersIn(own.sent)[0]!;
    expect(offer.name).toBe("medical report.pdf");
    await core.cases.perform(teams.office.manager, "assign", { reference, assignee: teams.office.otherCaseworker.id }, cli);

    for (const who of ["caseworker", "viewer"] as const) {
      const late = await accept(who, offer);
      expect(late.status).toBe(200);
      expect(late.text).toBe(`${refusal} Nothing was sent to your OneDrive.`);
      expect(late.requests).toEqual([]);
    }
    // Its new assignee, accepting the same offer, is sent the very file.
    const theirs = await accept("otherCaseworker", offer);
    expect(theirs.arrived).toEqual(Buffer.from(PDF));
  });

  it("a case's file of several megabytes goes up in 320 KiB-multiple parts, in order, and arrives byte for byte", async () => {
    const { core } = teams.postbag;
    const { reference } = await core.cases.logCase(teams.office.manager, letter({ assignee: teams.office.caseworker.id }), cli);
    const big = new Uint8Array(4_200_000);
    for (let index = 0; index < big.length; index += 1) big[index] = (index * 31 + (index >> 8)) & 0xff;
    big.set(PDF);
    await core.cases.perform(teams.office.caseworker, "attach", { reference, filename: "big scan.pdf", bytes: big }, cli);
    const asked = await teams.message("caseworker", `file ${reference} big scan.pdf`);
    const offer = offersIn(asked.sent)[0]!;
    expect(offer.content.sizeInBytes).toBe(big.byteLength);
    const accepted = await accept("caseworker", offer);
    expect(accepted.requests.map((request) => [request.contentRange, request.status])).toEqual([
      ["bytes 0-3932159/4200000", 202],
      ["bytes 3932160-4199999/4200000", 201],
    ]);
    expect(3932160 % (320 * 1024)).toBe(0);
    expect(sha256(accepted.arrived!)).toBe(sha256(big));
    expect(accepted.text).toBe("Sent big scan.pdf (4.0 MB) to your OneDrive.");
  });

  it("a subject access request offers each of its files on its own card; the one accepted arrives exactly as the core made it", async () => {
    const { core } = teams.postbag;
    const { reference } = await core.cases.logCase(teams.office.manager, letter({ assignee: teams.office.caseworker.id }), cli);
    await core.cases.perform(teams.office.caseworker, "attach", { reference, filename: "letter.pdf", bytes: PDF }, cli);
    const asked = await teams.message("manager", `sar ${reference}`);
    expect(asked.text).toMatch(/^Subject access: constituent #\d+: 1 case\(s\)\. The request is recorded in the audit log\. Teams asks you first: accept each card below/);
    const offers = offersIn(asked.sent);
    expect(offers.map((offer) => offer.name.replace(/^subject-access-\d+-/, ""))).toEqual(["2026-11-25.json", "2026-11-25.txt", `${reference}-1-letter.pdf`]);
    const accepted = await accept("manager", offers[0]!);
    const made = await core.subjectAccess.subjectAccess(teams.office.manager, reference, cli);
    expect(accepted.arrived?.toString("utf8")).toBe(made.json);
    const scan = await accept("manager", offers[2]!);
    expect(scan.arrived).toEqual(Buffer.from(PDF));
  });

  it("an offer accepted after what it names has changed (an export of all cases, accepted the next day) sends nothing and says to ask again", async () => {
    const offer = offersIn((await teams.message("manager", "export")).sent)[0]!;
    expect(offer.name).toBe("postbag-cases-all-2026-11-25.csv");
    const today = teams.clock.now();
    teams.clock.set("2026-11-26T10:00:00Z");
    try {
      const late = await accept("manager", offer);
      expect(late.text).toBe("postbag-cases-all-2026-11-25.csv has changed since Postbag offered it: ask again with export and accept the new card. Nothing was sent to your OneDrive.");
      expect(late.requests).toEqual([]);
    } finally {
      teams.clock.set(today);
    }
  });

  it("an answer Postbag cannot read, or naming an upload address outside OneDrive, is answered in words and reads nothing", async () => {
    const before = (await teams.postbag.core.accessLog.list(teams.office.manager, 500)).length;
    const sentBefore = teams.connector.activities.length;
    const bare = await teams.send({ ...fileConsentActivity(teams.serviceUrl, teams.users.manager, { action: "accept", context: {}, uploadInfo: {} }), value: { type: "fileUpload" } });
    expect(bare.status).toBe(200);
    expect(teams.connector.activities.slice(sentBefore).map((activity) => activity.body.text)).toEqual(["This file offer could not be read, so nothing was sent. Ask for the file again."]);
    const forged = await teams.answerFileOffer("manager", { action: "accept", context: { command: { name: "rm" } }, uploadInfo: oneDrive.openSession("x.csv") });
    expect(forged.text).toBe("This file offer could not be read, so nothing was sent. Ask for the file again.");
    const offer = offersIn((await teams.message("manager", "export 2026-11")).sent)[0]!;
    const audit = (await teams.postbag.core.accessLog.list(teams.office.manager, 500)).length;
    const elsewhere = await teams.answerFileOffer("manager", {
      action: "accept",
      context: offer.content.acceptContext,
      uploadInfo: { ...oneDrive.openSession(offer.name), uploadUrl: "https://upload.evil.example/session?guid=1" },
    });
    expect(elsewhere.text).toBe("Nothing was sent: the upload address Teams gave is not in OneDrive. To have the file, ask again with export 2026-11 and accept the new card.");
    expect((await teams.postbag.core.accessLog.list(teams.office.manager, 500)).length).toBe(audit);
    expect(audit).toBe(before + 1);
  });
});
