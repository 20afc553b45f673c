import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/bots/cli/cli.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, type TestDatabase } from "../support/databases.ts";

const BIN = new URL("../../bin/postbag.js", import.meta.url).pathname;

function configFor(target: Awaited<ReturnType<TestDatabase["create"]>>["target"], dataDir: string): Config {
  return loadConfig("url" in target ? { DATABASE_URL: target.url } : { POSTBAG_DATA_DIR: dataDir });
}

describeEachDatabase("the postbag CLI", (database) => {
  let config: Config;
  let dataDir: string;
  let drop: () => Promise<void>;
  const clock = new TestClock("2026-11-25T10:00:00Z"); // Wednesday; "last Thursday" is 19 Nov

  async function postbag(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, config, { out: (t) => out.push(t), err: (t) => err.push(t) }, { clock });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "postbag-cli-"));
    const created = database.engine === "pglite" ? { target: { dataDir }, drop: async () => {} } : await database.create();
    drop = created.drop;
    config = configFor(created.target, dataDir);
  });
  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("carries a letter from logging to reopening, every step on its timeline", async () => {
    expect((await postbag("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@pfcc.example")).out).toMatch(/first admin/);
    expect((await postbag("staff", "add", "Carl Caseworker", "--role", "caseworker", "--slack", "UCARL", "--as", "alice@pfcc.example")).code).toBe(0);

    const logged = await postbag("log", "letter", "2026-11-19", "Jane Doe", "Speeding", "on", "Main", "Street", "--theme", "road safety", "--as", "Alice Admin", "--json");
    expect(logged.code).toBe(0);
    const view = JSON.parse(logged.out);
    expect(view).toMatchObject({ reference: "PFCC-2026-0001", status: "new", kind: "casework", receivedOn: "2026-11-19", acknowledgeBy: "2026-11-23", respondBy: "2026-12-03", assignee: null });
    const ref = view.reference as string;

    expect((await postbag("partner", "add", "Thames Valley Police", "--alias", "TVP", "--as", "alice@pfcc.example")).out).toMatch(/Added Thames Valley Police/);
    const steps: string[][] = [
      ["ack", ref, "letter", "--as", "alice@pfcc.example"],
      ["assign", ref, "Carl Caseworker", "--as", "alice@pfcc.example"],
      ["call", ref, "Rang", "Jane", "about", "the", "speeding", "--as", "UCARL"],
      ["refer", ref, "Thames Valley Police", "5", "--as", "UCARL"],
      ["respond", ref, "Letter", "sent", "--as", "UCARL"],
      ["close", ref, "responded", "--as", "UCARL"],
      ["reopen", ref, "Constituent", "not", "satisfied", "--as", "UCARL"],
    ];
    for (const step of steps) {
      const result = await postbag(...step);
      expect(result.err, step.join(" ")).toBe("");
      expect(result.code, step.join(" ")).toBe(0);
    }
    const search = await postbag("search", "jane", "--as", "UCARL");
    expect(search.out).toContain(ref);

    const shown = JSON.parse((await postbag("show", ref, "--json", "--as", "UCARL")).out);
    expect(shown.status).toBe("in_progress");
    expect(shown.cycle).toBe(2);
    expect(shown.timeline.map((e: { type: string }) => e.type)).toEqual([
      "logged", "acknowledged", "assigned", "call_out", "partner_referral", "responded", "closed", "reopened",
    ]);
    expect(shown.referrals[0]).toMatchObject({ partner: "Thames Valley Police", expectedBy: "2026-12-02" });

    const text = (await postbag("show", ref, "--as", "UCARL")).out;
    expect(text).toContain("Received Thu 19 Nov 2026");
    expect(text).toContain("Reopened — Constituent not satisfied (Carl Caseworker, cli)");
  });

  it("refuses with a message to act on, and a non-zero exit", async () => {
    const unknownCase = await postbag("ack", "PFCC-2026-0099", "--as", "alice@pfcc.example");
    expect(unknownCase).toMatchObject({ code: 1, out: "" });
    expect(unknownCase.err).toBe("No case PFCC-2026-0099. Find it with: search <name or subject>.");
    const noActor = await postbag("ack", "PFCC-2026-0001");
    expect(noActor.err).toMatch(/--as/);
    const stranger = await postbag("log", "letter", "2026-11-19", "X", "Y", "--as", "nobody@example.com");
    expect(stranger.err).toMatch(/No registered staff member "nobody@example.com"/);
    const future = await postbag("log", "letter", "2026-12-19", "X", "Y", "--as", "alice@pfcc.example", "--json");
    expect(JSON.parse(future.err)).toEqual({ error: "invalid_input", message: "Date received cannot be in the future.", field: "receivedOn" });
    const unknownCommand = await postbag("frobnicate");
    expect(unknownCommand.code).toBe(1);
    expect(unknownCommand.err).toMatch(/Unknown command “frobnicate”/);
    const notFirst = await postbag("staff", "add", "Mallory", "--role", "admin");
    expect(notFirst.err).toMatch(/already registered/);
  });

  it("--request makes a script's retry safe: the same request once, another request under the same id refused", async () => {
    const logged = JSON.parse((await postbag("log", "letter", "2026-11-24", "Rhys Retry", "Streetlights", "--as", "alice@pfcc.example", "--json", "--request", "log-rhys")).out);
    const again = JSON.parse((await postbag("log", "letter", "2026-11-24", "Rhys Retry", "Streetlights", "--as", "alice@pfcc.example", "--json", "--request", "log-rhys")).out);
    expect(again.reference).toBe(logged.reference);
    const note = ["note", logged.reference, "Rang", "back", "--as", "alice@pfcc.example", "--request", "note-1"];
    expect((await postbag(...note)).code).toBe(0);
    expect((await postbag(...note)).code).toBe(0);
    const reused = await postbag("note", logged.reference, "Something", "else", "--as", "alice@pfcc.example", "--request", "note-1");
    expect(reused.code).toBe(1);
    expect(reused.err).toMatch(/already used for a different request, so nothing was done/);
    const shown = JSON.parse((await postbag("show", logged.reference, "--json", "--as", "alice@pfcc.example")).out);
    expect(shown.timeline.filter((e: { type: string }) => e.type === "note").map((e: { text: string }) => e.text)).toEqual(["Rang back"]);
    const bad = await postbag("note", logged.reference, "x", "--as", "alice@pfcc.example", "--request", "no spaces please");
    expect(bad.err).toMatch(/--request takes an id/);
  });

  it("imports a casework spreadsheet: bad rows reported by line and skipped whole, a re-run adds nothing", async () => {
    const csv = join(dataDir, "cases.csv");
    writeFileSync(
      csv,
      [
        "Reference,Received On,Channel,Constituent Name,Constituent Email,Subject,Kind,Themes,Sensitive,Assignee,Acknowledged On,Responded On,Closed On,Outcome",
        "OLD-1,2026-10-01,email,Olive Old,olive@example.com,Noise at night,casework,antisocial behaviour;noise,no,Carl Caseworker,2026-10-02,2026-10-09,2026-10-12,responded",
        'OLD-2,2026-11-02,letter,"Smith, Sam",,"Bins, again",opinion,,yes,,2026-11-03,,,',
        "OLD-3,2026-13-45,letter,Bad Date,,Broken row,casework,,no,,,,,",
        "OLD-4,2026-11-10,fax,Wrong Channel,,Broken row,casework,,no,,,,,",
      ].join("\n"),
    );
    const first = await postbag("import", csv, "--as", "alice@pfcc.example");
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/Imported 2 case\(s\)/);
    expect(first.err).toMatch(/Line 4: received_on: received_on must be a real date/);
    expect(first.err).toMatch(/Line 5: channel: channel must be one of/);
    const again = await postbag("import", csv, "--as", "alice@pfcc.example", "--json");
    expect(JSON.parse(again.out)).toMatchObject({ imported: [], skipped: 2 });

    const olive = JSON.parse((await postbag("search", "Olive", "--json", "--as", "alice@pfcc.example")).out)[0];
    expect(olive).toMatchObject({ status: "closed", outcome: "responded", receivedOn: "2026-10-01", themes: ["antisocial behaviour", "noise"] });
    const shown = JSON.parse((await postbag("show", olive.reference, "--json", "--as", "alice@pfcc.example")).out);
    expect(shown.timeline.map((e: { type: string }) => e.type)).toEqual(["imported", "assigned", "acknowledged", "responded", "closed"]);
    expect(shown.timeline[0].text).toContain("OLD-1");
    const sam = JSON.parse((await postbag("search", "Smith", "--json", "--as", "alice@pfcc.example")).out)[0];
    expect(sam).toMatchObject({ status: "acknowledged", kind: "opinion", sensitive: true });
  });
});

describe("the postbag command as its own process", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "postbag-bin-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = () => ({ ...process.env, POSTBAG_DATA_DIR: dataDir, DATABASE_URL: "" });

  it("runs from the package's bin and prints help", () => {
    const result = spawnSync(process.execPath, [BIN, "help"], { env: env(), encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("postbag log <channel> <received YYYY-MM-DD>");
  });

  it("stops at a wrong configuration value, naming the variable", () => {
    const result = spawnSync(process.execPath, [BIN, "mine", "--as", "x"], { env: { ...env(), POSTBAG_NATION: "wessex" }, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/POSTBAG_NATION/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses to open an embedded database another process holds, and the holder's data is untouched", async () => {
    expect(spawnSync(process.execPath, [BIN, "staff", "add", "Ann Admin", "--role", "admin"], { env: env(), encoding: "utf8" }).status).toBe(0);
    // Hold the database open in another process, as `npm start` would.
    const holder = spawn(process.execPath, ["--import", "tsx", "-e", `
      const { openDatabase } = await import(${JSON.stringify(new URL("../../src/db/database.ts", import.meta.url).pathname)});
      const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      process.stdout.write("open\\n");
      process.on("SIGTERM", async () => { await db.close(); process.exit(0); });
      setInterval(() => {}, 1000);`], { env: env(), stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
      const second = spawnSync(process.execPath, [BIN, "staff", "list", "--as", "Ann Admin"], { env: env(), encoding: "utf8" });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/in use by another Postbag process \(pid \d+\)/);
      expect(second.stderr).toMatch(/DATABASE_URL/);
    } finally {
      holder.kill("SIGTERM");
      await new Promise((resolve) => holder.once("exit", resolve));
    }
    const after = spawnSync(process.execPath, [BIN, "staff", "list"], { env: { ...env(), POSTBAG_CLI_AS: "Ann Admin" }, encoding: "utf8" });
    expect(after.status).toBe(0);
    expect(after.stdout).toContain("Ann Admin");
  });
});
