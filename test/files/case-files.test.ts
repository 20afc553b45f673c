import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { DomainError } from "../../src/domain/errors.ts";
import type { RequestContext } from "../../src/domain/ports.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag, TEST_SETTINGS } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A small but real PDF's opening, and a PNG's: what a scan and a photo start with. */
export const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

describeEachDatabase("files on a case", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-11-25T10:00:00Z");

  const dir = mkdtempSync(join(tmpdir(), "postbag-case-files-"));

  beforeAll(async () => {
    // A 4 KB limit, so a refusal for size needs no megabytes.
    postbag = await openTestPostbag(database, clock, { ...TEST_SETTINGS, files: { store: { kind: "local", dir }, maxBytes: 4096 } });
    office = await seedOffice(postbag);
  });
  afterAll(async () => {
    await postbag?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const logged = async (overrides: Record<string, unknown> = {}) =>
    (await postbag.core.cases.logCase(office.admin, letter({ assignee: office.caseworker.id, ...overrides }), cli)).reference;
  const attach = (who: typeof office.admin, reference: string, filename: string, bytes: Uint8Array, request: RequestContext = cli) =>
    postbag.core.cases.perform(who, "attach", { reference, filename, bytes }, request);
  const rowCount = () => postbag.db.prisma.caseFile.count();

  it("a scanned letter attached to a case is listed on its card and on the hash-chained timeline", async () => {
    const reference = await logged();
    const { view, message } = await attach(office.caseworker, reference, "C:\\Scans\\letter from Jane.pdf", PDF);
    expect(message).toBe(`Attached letter from Jane.pdf (PDF, ${PDF.length} bytes) to ${reference} as file 1.`);
    expect(view.files).toEqual([
      expect.objectContaining({ number: 1, filename: "letter from Jane.pdf", mediaType: "application/pdf", size: PDF.length, sha256: sha(PDF), addedBy: "Carl Caseworker", addedAt: clock.now().toISOString(), source: "upload" }),
    ]);
    const entry = await postbag.db.prisma.timelineEntry.findFirst({ where: { type: "file_attached", case: { reference } } });
    expect(entry?.text).toBe("letter from Jane.pdf");
    expect(entry?.detail).toEqual({ sha256: sha(PDF), mediaType: "application/pdf", size: PDF.length, source: "upload" });
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.exceptions.filter((e) => e.subject === reference)).toEqual([]);
    // Anyone who may read the case gets the bytes back, by number or by name.
    const byNumber = await postbag.core.cases.openFile(office.viewer, reference, "1", "cli");
    expect(Buffer.from(byNumber.bytes).equals(Buffer.from(PDF))).toBe(true);
    expect((await postbag.core.cases.openFile(office.admin, reference, "LETTER FROM JANE.PDF", "cli")).file.number).toBe(1);
  });

  it("the same request sent twice attaches the file once", async () => {
    const reference = await logged();
    const request = { platform: "slack" as const, requestKey: "slack:file:F1" };
    await attach(office.caseworker, reference, "photo.png", PNG, request);
    const again = await attach(office.caseworker, reference, "photo.png", PNG, request);
    expect(again.view.files).toHaveLength(1);
    expect(await postbag.db.prisma.caseFile.count({ where: { case: { reference } } })).toBe(1);
  });

  it.each([
    ["over the size limit", "big.pdf", new Uint8Array(5000).fill(32).map((b, i) => (i < 5 ? PDF[i]! : b)), /5 KB; files on a case may be at most 4 KB\. Scan at a lower resolution or split it/],
    ["a program calling itself a PDF", "invoice.pdf", EXE, /That file is a EXE file\. Attach PDF, JPEG, PNG, GIF, TIFF, HEIC\/HEIF, WebP, Word \(DOCX or DOC\), ODT, plain text or an email/],
    ["empty", "blank.pdf", new Uint8Array(0), /That file is empty/],
  ])("a file %s is refused, saying what to do, and nothing is written", async (_label, filename, bytes, refusal) => {
    const reference = await logged();
    const before = { rows: await rowCount(), entries: await postbag.db.prisma.timelineEntry.count() };
    await expect(attach(office.caseworker, reference, filename, bytes)).rejects.toThrow(refusal);
    expect({ rows: await rowCount(), entries: await postbag.db.prisma.timelineEntry.count() }).toEqual(before);
  });

  it("who may attach is who may add a note: a viewer, or another caseworker on a sensitive case, may not; the bytes do not stay", async () => {
    const reference = await logged({ sensitive: true });
    const bytes = new TextEncoder().encode("Refused text that nobody else has attached.");
    await expect(attach(office.viewer, reference, "note.txt", bytes)).rejects.toMatchObject({ code: "not_permitted" });
    await expect(attach(office.otherCaseworker, reference, "note.txt", bytes)).rejects.toMatchObject({ code: "not_permitted" });
    await expect(postbag.core.files.store.get(sha(bytes))).rejects.toBeInstanceOf(DomainError);
  });

  it("a sensitive case's files are never named in a channel, nor opened by those who may not read it", async () => {
    const reference = await logged({ sensitive: true });
    const { message } = await postbag.core.cases.perform(office.caseworker, "attach", { reference, filename: "medical report.pdf", bytes: PDF }, cli, { audience: "shared" });
    expect(message).toBe(`Attached a file to ${reference}.`);
    const shared = await postbag.core.cases.sharedView(reference);
    expect(shared.files).toBeUndefined();
    expect(JSON.stringify(shared)).not.toContain("medical report");
    const other = await postbag.core.cases.showCase(office.otherCaseworker, reference);
    expect(other.files).toBeUndefined();
    await expect(postbag.core.cases.openFile(office.otherCaseworker, reference, "1", "cli")).rejects.toMatchObject({ code: "not_permitted" });
    expect((await postbag.core.cases.showCase(office.manager, reference)).files?.[0]?.filename).toBe("medical report.pdf");
    await postbag.core.cases.openFile(office.manager, reference, "1", "slack");
    const log = await postbag.core.accessLog.list(office.manager, 5);
    expect(log[0]).toMatchObject({ action: "sensitive_read", subject: reference, detail: "file 1 opened" });
  });

  it("plain text and an email are recognised by their content; a closed case takes no files until reopened", async () => {
    const reference = await logged();
    const eml = new TextEncoder().encode("From: jane@example.com\r\nDate: Tue, 24 Nov 2026 09:00:00 +0000\r\nSubject: Speeding\r\n\r\nThe cars again.");
    expect((await attach(office.caseworker, reference, "message", eml)).view.files?.at(-1)?.mediaType).toBe("message/rfc822");
    expect((await attach(office.caseworker, reference, "notes.txt", new TextEncoder().encode("Typed up from the phone call."))).view.files?.at(-1)?.mediaType).toBe("text/plain");
    await postbag.core.cases.perform(office.caseworker, "close", { reference, outcome: "withdrawn" }, cli);
    await expect(attach(office.caseworker, reference, "late.pdf", PDF)).rejects.toThrow(`${reference} is closed, so you cannot attach files to it. Reopen it first`);
  });

  it("a person's files are in their subject access bundle, bytes and all; erasure removes them, keeping bytes another case still holds", async () => {
    const email = "sam.files@example.com";
    const reference = await logged({ constituent: { name: "Sam Files", email } });
    const other = await logged();
    const own = new TextEncoder().encode("Only Sam's letter, typed.");
    await attach(office.caseworker, reference, "sams letter.txt", own);
    await attach(office.caseworker, reference, "scan.pdf", PDF);
    await attach(office.caseworker, other, "same scan.pdf", PDF);
    const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, email, cli);
    expect(sar.file.cases[0]!.files.map((f) => [f.bundleName, f.sha256])).toEqual([[`${reference}-1-sams letter.txt`, sha(own)], [`${reference}-2-scan.pdf`, sha(PDF)]]);
    expect(sar.attachments.map((a) => Buffer.from(a.bytes).toString())).toEqual([Buffer.from(own).toString(), Buffer.from(PDF).toString()]);
    expect(sar.text).toContain(`${reference}-1-sams letter.txt`);

    await postbag.core.cases.perform(office.caseworker, "close", { reference, outcome: "withdrawn" }, cli);
    await postbag.core.erasure.erase(office.manager, reference, true, cli);
    expect(await postbag.db.prisma.caseFile.count({ where: { case: { reference } } })).toBe(0);
    await expect(postbag.core.files.store.get(sha(own))).rejects.toMatchObject({ code: "unavailable" });
    expect((await postbag.core.cases.openFile(office.caseworker, other, "1", "cli")).bytes.length).toBe(PDF.length);
    const entry = await postbag.db.prisma.timelineEntry.findFirst({ where: { type: "file_attached", case: { reference } } });
    expect(entry?.text).toBe("");
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.exceptions.filter((e) => e.subject === reference)).toEqual([]);
  });
});
