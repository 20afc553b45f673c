import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "../../src/db/migrate.ts";
import { describeEachDatabase, type TestDatabase } from "../support/databases.ts";
import { CLOCK_EVENT_ENTRIES } from "../../src/domain/clocks/case-clock.ts";

describeEachDatabase("applying migrations", (database: TestDatabase) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  async function freshDatabase(): Promise<{ db: Database; target: Awaited<ReturnType<TestDatabase["create"]>>["target"] }> {
    const { target, drop } = await database.create();
    const db = await openDatabase(target);
    cleanups.push(async () => {
      await db.close();
      await drop();
    });
    return { db, target };
  }

  it("records each migration the way prisma migrate does, with the file's SHA-256 checksum", async () => {
    const { db } = await freshDatabase();
    const applied = await applyMigrations(db);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    const rows = await db.transaction((tx) =>
      tx.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      ),
    );
    const first = rows[0]!;
    const file = readFileSync(join(MIGRATIONS_DIR, first.migration_name, "migration.sql"));
    expect(first.checksum).toBe(createHash("sha256").update(file).digest("hex"));
    expect(first.finished_at).not.toBeNull();
    expect(first.applied_steps_count).toBe(1);
  });

  it("applies nothing the second time", async () => {
    const { db } = await freshDatabase();
    await applyMigrations(db);
    expect(await applyMigrations(db)).toEqual([]);
  });

  it("refuses a migration edited after it was applied, and changes nothing", async () => {
    const { db } = await freshDatabase();
    await applyMigrations(db);
    const edited = readMigrations().map((m) => ({ ...m, sql: `${m.sql}\n-- edited`, checksum: "0".repeat(64) }));
    await expect(applyMigrations(db, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration whole, leaving no trace of it", async () => {
    const { db } = await freshDatabase();
    await applyMigrations(db);
    const broken = [...readMigrations(), { name: "29990101000000_broken", sql: 'CREATE TABLE "half" (id int); SELECT nonsense_function();', checksum: "f".repeat(64) }];
    await expect(applyMigrations(db, broken)).rejects.toThrow();
    const tables = await db.transaction((tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half'`));
    expect(tables[0]!.n).toBe(0);
    const recorded = await db.transaction((tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name LIKE '%broken'`));
    expect(recorded[0]!.n).toBe(0);
  });

  if (database.engine === "postgres") {
    it("is safe when several processes start at once on one server", async () => {
      const { target } = await freshDatabase();
      const others = await Promise.all([openDatabase(target), openDatabase(target), openDatabase(target)]);
      cleanups.push(async () => void (await Promise.all(others.map((db) => db.close()))));
      const results = await Promise.all(others.map((db) => applyMigrations(db)));
      expect(results.flat()).toEqual(readMigrations().map((m) => m.name));
    });
  }

  it("lets erasure clear the words of exactly the entries that carry a clock event (the trigger's list is the domain's)", () => {
    const sql = readFileSync(new URL("../../prisma/migrations/20261218000000_erasure_clears_details/migration.sql", import.meta.url), "utf8");
    const listed = [...sql.match(/OLD\."type" IN \(([^)]*)\)/)![1]!.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...CLOCK_EVENT_ENTRIES].sort());
  });

  it("keeps the timeline append-only in the database itself", async () => {
    const { db } = await freshDatabase();
    await applyMigrations(db);
    await expect(db.transaction((tx) => tx.query(`DELETE FROM "timeline_entry"`))).resolves.toBeDefined();
    await db.transaction(async (tx) => {
      await tx.exec(`
        INSERT INTO staff (name, roles) VALUES ('T', '{admin}');
        INSERT INTO constituent (name) VALUES ('C');
        INSERT INTO "case" (reference, year, number, channel, received_on, logged_at, subject, kind, status, constituent_id, cycle_started_on, acknowledge_by, respond_by, last_action_at)
          VALUES ('PFCC-2026-0001', 2026, 1, 'letter', '2026-01-05', '2026-01-05T10:00:00Z', 's', 'casework', 'new', 1, '2026-01-05', '2026-01-07', '2026-01-19', '2026-01-05T10:00:00Z');
        INSERT INTO timeline_entry (case_id, seq, cycle, at, type, platform) VALUES (1, 1, 1, '2026-01-05T10:00:00Z', 'logged', 'cli');`);
    });
    await expect(db.transaction((tx) => tx.query(`UPDATE "timeline_entry" SET text = 'rewritten'`))).rejects.toThrow(/append-only/);
    await expect(db.transaction((tx) => tx.query(`DELETE FROM "timeline_entry"`))).rejects.toThrow(/append-only/);

    // Erasing a sealed entry clears its words: on a clock event's entry, the event's reason and nothing else of its detail.
    await db.transaction((tx) =>
      tx.exec(`INSERT INTO timeline_entry (case_id, seq, cycle, at, type, platform, text, detail, content_hash, chain_hash)
                 VALUES (1, 2, 1, '2026-01-06T10:00:00Z', 'review_outcome', 'cli', 'Review upheld: words', '{"event": {"kind": "review_outcome", "on": "2026-01-06", "upheld": true, "reason": "words"}}', 'c', 'h'),
                        (1, 3, 1, '2026-01-06T11:00:00Z', 'closed', 'cli', 'Closed', '{"outcome": "responded"}', 'c', 'h')`),
    );
    const erase = (seq: number, detail: string) => db.transaction((tx) => tx.query(`UPDATE "timeline_entry" SET text = '', nonce = NULL, erased_at = '2026-01-07T10:00:00Z', detail = $1::jsonb WHERE seq = $2`, [detail, seq]));
    await expect(erase(2, '{"event": {"kind": "review_outcome", "on": "2026-01-06", "upheld": false, "reason": "[erased]"}}')).rejects.toThrow(/append-only/);
    await expect(erase(2, '{"event": {"kind": "review_outcome", "on": "2026-01-06", "upheld": true, "reason": "[erased]"}, "extra": 1}')).rejects.toThrow(/append-only/);
    await expect(erase(3, '{"outcome": "withdrawn"}')).rejects.toThrow(/append-only/);
    // The reason becomes "[erased]", nothing else: no new words planted where the audit no longer checks the hash.
    await expect(erase(2, '{"event": {"kind": "review_outcome", "on": "2026-01-06", "upheld": true, "reason": "Other words"}}')).rejects.toThrow(/append-only/);
    await expect(erase(2, '{"event": {"kind": "review_outcome", "on": "2026-01-06", "upheld": true, "reason": 5}}')).rejects.toThrow(/append-only/);
    await expect(erase(2, '{"event": {"kind": "review_outcome", "on": "2026-01-06", "upheld": true, "reason": "[erased]"}}')).resolves.toBeDefined();
    await expect(erase(3, '{"outcome": "responded"}')).resolves.toBeDefined();
  });
});
