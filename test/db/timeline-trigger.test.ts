import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";

/**
 * The database allows exactly two updates of a timeline entry — sealing a pre-chain
 * entry and erasing an entry's free text with its hashes untouched — and refuses the rest.
 */
describeEachDatabase("the append-only timeline allows only sealing and erasure", (database) => {
  let postbag: Postbag;
  const run = (sql: string) => postbag.db.transaction((tx) => tx.query(sql));

  beforeAll(async () => {
    postbag = await openTestPostbag(database);
    await postbag.db.transaction((tx) =>
      tx.exec(`
        INSERT INTO staff (name, roles) VALUES ('T', '{admin}');
        INSERT INTO constituent (name) VALUES ('C');
        INSERT INTO "case" (reference, year, number, channel, received_on, logged_at, subject, kind, status, constituent_id, cycle_started_on, acknowledge_by, respond_by, last_action_at)
          VALUES ('PFCC-2026-0001', 2026, 1, 'letter', '2026-01-05', '2026-01-05T10:00:00Z', 's', 'casework', 'new', 1, '2026-01-05', '2026-01-07', '2026-01-19', '2026-01-05T10:00:00Z');
        INSERT INTO timeline_entry (case_id, seq, cycle, at, type, platform, text) VALUES (1, 1, 1, '2026-01-05T10:00:00Z', 'logged', 'cli', 'pre-chain');
        INSERT INTO timeline_entry (case_id, seq, cycle, at, type, platform, text, content_hash, chain_hash, nonce)
          VALUES (1, 2, 1, '2026-01-05T10:00:00Z', 'note', 'cli', 'Mrs Smith called', 'c2', 'h2', 'n2');`),
    );
  });
  afterAll(() => postbag?.close());

  it.each([
    ["rewriting text", `UPDATE timeline_entry SET text = 'rewritten' WHERE seq = 2`],
    ["changing the type", `UPDATE timeline_entry SET type = 'closed' WHERE seq = 2`],
    ["moving the time", `UPDATE timeline_entry SET at = at - interval '1 day' WHERE seq = 2`],
    ["changing the detail", `UPDATE timeline_entry SET detail = '{"outcome":"x"}' WHERE seq = 2`],
    ["replacing a hash", `UPDATE timeline_entry SET chain_hash = 'forged' WHERE seq = 2`],
    ["erasing while changing the digest", `UPDATE timeline_entry SET text = '', nonce = NULL, erased_at = '2026-01-05T10:00:00Z', content_hash = 'x' WHERE seq = 2`],
    ["erasing without marking it erased", `UPDATE timeline_entry SET text = '', nonce = NULL WHERE seq = 2`],
    ["erasing but keeping the nonce", `UPDATE timeline_entry SET text = '', erased_at = '2026-01-05T10:00:00Z' WHERE seq = 2`],
    ["sealing while rewriting text", `UPDATE timeline_entry SET content_hash = 'c', chain_hash = 'h', text = 'other' WHERE seq = 1`],
    ["deleting", `DELETE FROM timeline_entry WHERE seq = 2`],
  ])("refuses %s", async (_what, sql) => {
    await expect(run(sql)).rejects.toThrow(/append-only/);
  });

  it("allows an erasure that clears the text and nonce and keeps both hashes", async () => {
    await run(`UPDATE timeline_entry SET text = '', nonce = NULL, erased_at = '2026-01-05T10:00:00Z' WHERE seq = 2`);
    const [row] = await run(`SELECT text, content_hash, chain_hash FROM timeline_entry WHERE seq = 2`);
    expect(row).toEqual({ text: "", content_hash: "c2", chain_hash: "h2" });
    // …once: an erased entry cannot be changed again.
    await expect(run(`UPDATE timeline_entry SET erased_at = '2026-01-05T10:00:00Z' WHERE seq = 2`)).rejects.toThrow(/append-only/);
  });

  it("allows sealing a pre-chain entry once", async () => {
    await run(`UPDATE timeline_entry SET content_hash = 'c1', chain_hash = 'h1', nonce = 'n1' WHERE seq = 1`);
    await expect(run(`UPDATE timeline_entry SET content_hash = 'c9', chain_hash = 'h9' WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });
});
