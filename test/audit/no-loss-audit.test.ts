import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import type { AuditReport, ExceptionKind } from "../../src/domain/audit/audit.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };

function subjectsOf(report: AuditReport, kind: ExceptionKind): string[] {
  return report.exceptions.filter((e) => e.kind === kind).map((e) => e.subject);
}

describeEachDatabase("the no-loss audit", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-11-02T10:00:00Z"); // Mon 2 Nov 2026
  const sql = (script: string) => postbag.db.transaction((tx) => tx.exec(script));

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  const cases = () => postbag.core.cases;
  const logAssigned = async (overrides: Record<string, unknown> = {}) =>
    (await cases().logCase(office.admin, letter({ receivedOn: "2026-11-02", assignee: office.caseworker.id, ...overrides }), cli)).reference;

  describe("a well-run office", () => {
    it("answers 0 exceptions, with the counts that prove it", async () => {
      const done = await logAssigned();
      await cases().perform(office.admin, "acknowledge", { reference: done }, cli);
      await cases().perform(office.caseworker, "refer", { reference: done, partner: "Police" }, cli);
      await cases().perform(office.caseworker, "partner_reply", { reference: done, text: "Patrols added" }, cli);
      await cases().perform(office.caseworker, "respond", { reference: done, text: "Reply sent" }, cli);
      await cases().perform(office.caseworker, "close", { reference: done, outcome: "responded" }, cli);
      await cases().perform(office.caseworker, "reopen", { reference: done, reason: "Not satisfied" }, cli);
      const open = await logAssigned();
      await cases().perform(office.admin, "acknowledge", { reference: open }, cli);
      const withdrawn = await logAssigned();
      await cases().perform(office.caseworker, "close", { reference: withdrawn, outcome: "withdrawn" }, cli);

      const report = await postbag.core.audit.runAudit(office.manager);
      expect(report.exceptions).toEqual([]);
      expect(report.exceptionCount).toBe(0);
      expect(report.cases).toEqual({ total: 3, open: 2, closed: 1, voided: 0, erased: 0 });
      expect(report.months).toEqual([{ month: "2026-11", logged: 3, closed: 1, voided: 0, open: 2 }]);
      expect(report.years).toEqual([{ year: 2026, lastNumber: 3, cases: 3, missing: [] }]);
      expect(report.entries.verified).toBe(report.entries.total);
      expect(report.entries.total).toBeGreaterThan(10);
      expect(report.seal).toMatch(/^[0-9a-f]{64}$/);
    });

    it("is for managers only", async () => {
      await expect(postbag.core.audit.runAudit(office.caseworker)).rejects.toBeInstanceOf(DomainError);
    });

    it("seals entries written before the hash chain existed, then verifies them", async () => {
      const reference = await logAssigned();
      // Pretend these rows predate the accountability migration.
      await sql(`ALTER TABLE "timeline_entry" DISABLE TRIGGER "timeline_entry_no_update_or_delete";
        UPDATE "timeline_entry" SET "content_hash" = NULL, "chain_hash" = NULL, "nonce" = NULL
        WHERE "case_id" = (SELECT "id" FROM "case" WHERE "reference" = '${reference}');
        ALTER TABLE "timeline_entry" ENABLE TRIGGER "timeline_entry_no_update_or_delete";`);
      const report = await postbag.core.audit.runAudit(office.manager);
      expect(report.entries.sealedNow).toBe(2);
      expect(report.exceptionCount).toBe(0);
      // A new entry extends the sealed chain.
      await cases().perform(office.admin, "acknowledge", { reference }, cli);
      expect((await postbag.core.audit.runAudit(office.manager)).exceptionCount).toBe(0);
    });
  });

  describe("finds each kind of exception planted in the database", () => {
    let report: AuditReport;
    const planted: Record<string, string> = {};

    beforeAll(async () => {
      clock.set("2026-11-02T10:00:00Z");
      planted.unassigned = (await cases().logCase(office.admin, letter({ receivedOn: "2026-11-02" }), cli)).reference;
      planted.idle = await logAssigned();
      await cases().perform(office.admin, "acknowledge", { reference: planted.idle }, cli);
      planted.noOutcome = await logAssigned();
      await cases().perform(office.caseworker, "close", { reference: planted.noOutcome, outcome: "withdrawn" }, cli);
      planted.gap = await logAssigned();
      await cases().perform(office.admin, "acknowledge", { reference: planted.gap }, cli);
      await cases().perform(office.caseworker, "add_entry", { reference: planted.gap, type: "note", text: "Working on it" }, cli);
      planted.deadline = await logAssigned();
      planted.edited = await logAssigned();
      await cases().perform(office.caseworker, "add_entry", { reference: planted.edited, type: "note", text: "Original words" }, cli);
      planted.deleted = await logAssigned();
      await cases().perform(office.caseworker, "add_entry", { reference: planted.deleted, type: "note", text: "First" }, cli);
      await cases().perform(office.caseworker, "add_entry", { reference: planted.deleted, type: "note", text: "Second" }, cli);

      await sql(`UPDATE "case" SET "outcome" = NULL WHERE "reference" = '${planted.noOutcome}';
        UPDATE "case" SET "status" = 'responded', "responded_at" = '2026-11-02T10:00:00Z' WHERE "reference" = '${planted.gap}';
        UPDATE "case" SET "respond_by" = "respond_by" + 1 WHERE "reference" = '${planted.deadline}';
        UPDATE "case_counter" SET "last_number" = "last_number" + 1 WHERE "year" = 2026;
        ALTER TABLE "timeline_entry" DISABLE TRIGGER "timeline_entry_no_update_or_delete";
        UPDATE "timeline_entry" SET "text" = 'Rewritten words' WHERE "text" = 'Original words';
        DELETE FROM "timeline_entry" WHERE "text" = 'First';
        ALTER TABLE "timeline_entry" ENABLE TRIGGER "timeline_entry_no_update_or_delete";
        INSERT INTO "case" ("reference", "year", "number", "channel", "received_on", "logged_at", "subject", "kind", "themes", "status",
          "constituent_id", "assignee_id", "cycle_started_on", "acknowledge_by", "respond_by", "last_action_at")
        SELECT 'PFCC-2026-0999', 2026, 999, 'letter', '2026-11-02', '2026-11-02T10:00:00Z', 'Slipped in', 'casework', '{}', 'new',
          "constituent_id", "assignee_id", '2026-11-02', '2026-11-04', '2026-11-16', '2026-11-02T10:00:00Z' FROM "case" LIMIT 1;`);
      // Past every deadline of the planted cases.
      clock.set("2026-11-30T10:00:00Z");
      report = await postbag.core.audit.runAudit(office.manager);
    });

    it.each([
      ["unassigned_past_acknowledgement", "unassigned"],
      ["no_action_past_response", "idle"],
      ["closed_without_outcome", "noOutcome"],
      ["timeline_gap", "gap"],
      ["deadline_mismatch", "deadline"],
      ["tampered_history", "edited"],
      ["tampered_history", "deleted"],
    ] as const)("%s: %s", (kind, which) => {
      expect(subjectsOf(report, kind)).toContain(planted[which]);
    });

    it("a case slipped into the table with no history is a timeline gap, a count mismatch and a reference out of range", () => {
      expect(subjectsOf(report, "timeline_gap")).toContain("PFCC-2026-0999");
      expect(subjectsOf(report, "count_mismatch")).toEqual(["2026-11"]);
      expect(report.exceptions.find((e) => e.kind === "reference_gap")?.detail).toMatch(/missing .*; 1 numbered beyond the counter/);
    });

    it("says what broke in each chain", () => {
      const details = report.exceptions.filter((e) => e.kind === "tampered_history").map((e) => e.detail);
      expect(details).toEqual(expect.arrayContaining([expect.stringMatching(/edited after it was written/), expect.stringMatching(/entries \d+–\d+ are missing/)]));
    });
  });
});
