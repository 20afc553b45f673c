import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
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

  it("reaches the running server on the embedded database: the command runs in the server, with this console's files and identity", async () => {
    const server = await startServer(dataDir);
    const console = mkdtempSync(join(tmpdir(), "postbag-console-"));
    const cli = (args: string[], extra: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, ...args], { env: { ...env(), ...extra }, cwd: console, encoding: "utf8" });
    try {
      // The very first staff member, then work as them from POSTBAG_CLI_AS of this console.
      expect(cli(["staff", "add", "Ann Admin", "--role", "admin,caseworker,manager"]).status).toBe(0);
      const logged = cli(["log", "letter", "2026-11-19", "Jane Doe", "Street lights out", "--json"], { POSTBAG_CLI_AS: "Ann Admin" });
      expect(logged.stderr).toBe("");
      const reference = JSON.parse(logged.stdout).reference as string;
      expect(reference).toMatch(/^PFCC-\d{4}-\d{4}$/);
      // A relative path is this console's: the import file is read here, the export written here.
      writeFileSync(join(console, "old.csv"), "Reference,Received On,Channel,Constituent Name,Subject,Kind\nOLD-9,2026-10-01,email,Olive Old,Noise at night,casework\n");
      const imported = cli(["import", "old.csv"], { POSTBAG_CLI_AS: "Ann Admin" });
      expect(imported.stdout).toMatch(/Imported 1 case\(s\)/);
      const exported = cli(["export", "--out", "cases.csv"], { POSTBAG_CLI_AS: "Ann Admin" });
      expect(exported.status).toBe(0);
      expect(readFileSync(join(console, "cases.csv"), "utf8")).toContain("Street lights out");
      expect(statSync(join(console, "cases.csv")).mode & 0o777).toBe(0o600);
      // Refusals read the same as from a console of its own.
      const refused = cli(["show", reference]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/Say who you are: add --as/);
      // The server kept serving, and only its owner can use the console socket.
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      expect(statSync(join(dataDir, "postbag.sock")).mode & 0o777).toBe(0o600);
    } finally {
      await server.stop();
      rmSync(console, { recursive: true, force: true });
    }
    // With the server stopped, the command opens the database itself and finds the same cases.
    const after = spawnSync(process.execPath, [BIN, "search", "Street lights", "--as", "Ann Admin"], { env: env(), encoding: "utf8" });
    expect(after.status).toBe(0);
    expect(after.stdout).toContain("Street lights out");
  });

  it("never opens an embedded database another process holds, and takes over the lock of a process that died", async () => {
    const holder = spawn(process.execPath, ["--import", "tsx", "-e", `
      const { openDatabase } = await import(${JSON.stringify(new URL("../../src/db/database.ts", import.meta.url).pathname)});
      const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      process.stdout.write("open\\n");
      setInterval(() => {}, 1000);`], { env: env(), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
    try {
      // Held, with no server socket to reach: refused after waiting a little, with a way forward.
      const second = spawnSync(process.execPath, [BIN, "staff", "list", "--as", "Ann Admin"], { env: env(), encoding: "utf8" });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/in use by another Postbag process/);
      expect(second.stderr).toMatch(/DATABASE_URL/);
    } finally {
      holder.kill("SIGKILL");
      await new Promise((resolve) => holder.once("exit", resolve));
    }
    // The holder died without releasing; once its lock has not been refreshed for a while it is stale.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dataDir, "postbag.lock"), past, past);
    const after = spawnSync(process.execPath, [BIN, "staff", "list", "--as", "Ann Admin"], { env: env(), encoding: "utf8" });
    expect(after.stderr).toBe("");
    expect(after.stdout).toContain("Ann Admin");
  });
});

/** `npm start`'s server on an embedded data directory, in its own process. */
async function startServer(dataDir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("../../src/main.ts", import.meta.url).pathname], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", POSTBAG_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "info", POSTBAG_JOBS: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", () => reject(new Error(`the server exited early:\n${output}`)));
  });
  return {
    port,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
