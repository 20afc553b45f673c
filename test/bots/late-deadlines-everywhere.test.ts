import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/bots/cli/cli.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/**
 * Received Mon 16 Nov 2026: acknowledgement due Wed 18 Nov, response due Mon 30 Nov.
 * Acknowledged on Wed 2 Dec, 10 working days late (19, 20, 23–27, 30 Nov, 1, 2 Dec).
 */
const LATE = "acknowledged Wed 2 Dec 2026, 10 working days late";

describeEachDatabase("a deadline met late reads as late on every surface", (database) => {
  describe("CLI, its JSON, the digest and the spreadsheet", () => {
    let config: Config;
    let dir: string;
    let drop: () => Promise<void>;
    const clock = new TestClock("2026-11-16T10:00:00Z");
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, config, { out: (t) => out.push(t), err: (t) => err.push(t) }, { clock });
      if (code !== 0) throw new Error(`postbag ${argv.join(" ")} failed: ${err.join("\n")}`);
      return out.join("\n");
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "postbag-late-"));
      const created = database.engine === "pglite" ? { target: { dataDir: dir }, drop: async () => {} } : await database.create();
      drop = created.drop;
      // Commands without --as act as the console's configured person.
      const consolePerson = { POSTBAG_CLI_AS: "alice@pfcc.example" };
      config = loadConfig("url" in created.target ? { DATABASE_URL: created.target.url, ...consolePerson } : { POSTBAG_DATA_DIR: dir, ...consolePerson });
      await cli("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@pfcc.example");
      await cli("log", "letter", "2026-11-16", "Jane Doe", "Speeding", "--as", "alice@pfcc.example");
      await cli("log", "letter", "2026-11-16", "John Roe", "Noise", "--as", "alice@pfcc.example");
      clock.set("2026-12-02T11:00:00Z");
      await cli("ack", "PFCC-2026-0001", "--as", "alice@pfcc.example");
    });
    afterAll(async () => {
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it("the case in text and JSON", async () => {
      expect(await cli("show", "PFCC-2026-0001")).toContain(`Acknowledgement: ${LATE} (due Wed 18 Nov 2026)`);
      const json = JSON.parse(await cli("show", "PFCC-2026-0001", "--json"));
      expect(json.acknowledgement).toMatchObject({ state: "done_late", workingDaysLate: 10, doneOn: "2026-12-02" });
      expect(json.response).toMatchObject({ state: "overdue", workingDaysLate: 2 });
    });

    it("the digest as structured sections, with the deadline that put each case there", async () => {
      const digest = JSON.parse(await cli("digest", "--as-of", "2026-12-02", "--json"));
      const ackOverdue = digest.sections.find((s: { key: string }) => s.key === "acknowledgement_overdue");
      expect(ackOverdue).toMatchObject({ title: "Acknowledgements overdue", count: 1, listed: 1 });
      expect(ackOverdue.cases).toEqual([
        expect.objectContaining({ reference: "PFCC-2026-0002", deadline: { step: "acknowledgement", due: "2026-11-18", state: "overdue", workingDaysLate: 10 } }),
      ]);
      const responseOverdue = digest.sections.find((s: { key: string }) => s.key === "response_overdue");
      expect(responseOverdue.cases.map((c: { reference: string }) => c.reference)).toEqual(["PFCC-2026-0001", "PFCC-2026-0002"]);
      expect(responseOverdue.cases[0].deadline).toEqual({ step: "response", due: "2026-11-30", state: "overdue", workingDaysLate: 2 });
    });

    it("the spreadsheet says the same", async () => {
      const file = join(dir, "cases.csv");
      await cli("export", "--out", file, "--as", "alice@pfcc.example");
      const rows = parse<Record<string, string>>(readFileSync(file, "utf8"), { columns: true });
      expect(rows.map((r) => [r.reference, r.acknowledgement_state, r.acknowledgement_working_days_late, r.response_state, r.response_working_days_late])).toEqual([
        ["PFCC-2026-0001", "done_late", "10", "overdue", "2"],
        ["PFCC-2026-0002", "overdue", "10", "overdue", "2"],
      ]);
    });
  });

  describe("Slack and Teams", () => {
    let slack: SlackHarness;
    let teams: TeamsHarness;
    beforeAll(async () => {
      [slack, teams] = await Promise.all([SlackHarness.start(database), TeamsHarness.start(database)]);
    });
    afterAll(async () => {
      await slack?.stop();
      await teams?.stop();
    });

    it("Slack's card", async () => {
      slack.clock.set("2026-11-16T10:00:00Z");
      const logged = await slack.ask('log letter 2026-11-16 "Jane Doe" Speeding', "UALICE");
      const ref = blockText(logged.blocks).match(/PFCC-2026-\d{4}/)![0];
      slack.clock.set("2026-12-02T11:00:00Z");
      await slack.ask(`ack ${ref}`, "UALICE");
      const text = blockText((await slack.ask(`show ${ref}`, "UALICE")).blocks);
      expect(text).toContain(`Wed 18 Nov 2026 — ${LATE}`);
      expect(text).not.toContain("✓");
    });

    it("Teams' card", async () => {
      teams.clock.set("2026-11-16T10:00:00Z");
      const logged = await teams.message("admin", 'log letter 2026-11-16 "Jane Doe" Speeding');
      const ref = cardText(logged.card).match(/PFCC-2026-\d{4}/)![0];
      teams.clock.set("2026-12-02T11:00:00Z");
      await teams.message("admin", `ack ${ref}`);
      const text = cardText((await teams.message("admin", `show ${ref}`)).card);
      expect(text).toContain(`Wed 18 Nov 2026 — ${LATE}`);
      expect(text).not.toContain("✓");
    });
  });
});
