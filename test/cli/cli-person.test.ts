import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../src/bots/cli/cli.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase } from "../support/databases.ts";

/**
 * The CLI acts as a named person — `--as`, or the console's POSTBAG_CLI_AS — and sees what
 * that person would see anywhere else; never an all-seeing console. Audit, subject access and
 * erasure may be run by someone without a staff record, who must then name themselves.
 */
describeEachDatabase("the CLI acts as a named person", (database) => {
  let withDefault: Config;
  let withoutDefault: Config;
  let dataDir: string;
  let drop: () => Promise<void>;
  let reference: string;
  const clock = new TestClock("2026-11-25T10:00:00Z");

  async function postbag(config: Config, ...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, config, { out: (t) => out.push(t), err: (t) => err.push(t) }, { clock });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }
  const bare = (...argv: string[]) => postbag(withoutDefault, ...argv);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "postbag-person-"));
    const created = database.engine === "pglite" ? { target: { dataDir }, drop: async () => {} } : await database.create();
    drop = created.drop;
    const where = "url" in created.target ? { DATABASE_URL: created.target.url } : { POSTBAG_DATA_DIR: dataDir };
    // The console's default person is the admin about to be registered.
    withDefault = loadConfig({ ...where, POSTBAG_CLI_AS: "alice@pfcc.example" });
    withoutDefault = loadConfig(where);
  });
  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the first staff add needs nobody, even with a default person configured; later ones act as that person", async () => {
    expect((await postbag(withDefault, "staff", "add", "Alice Admin", "--role", "admin", "--email", "alice@pfcc.example")).out).toMatch(/Registered Alice Admin as the first admin/);
    expect((await postbag(withDefault, "staff", "add", "Maya Manager", "--role", "manager,caseworker", "--email", "maya@pfcc.example")).out).toMatch(/Registered Maya Manager/);
    expect((await bare("staff", "add", "Carl Caseworker", "--role", "caseworker", "--email", "carl@pfcc.example")).err).toMatch(/already registered/);
    expect((await bare("staff", "add", "Carl Caseworker", "--role", "caseworker", "--email", "carl@pfcc.example", "--as", "alice@pfcc.example")).code).toBe(0);
    const logged = await bare("log", "email", "2026-11-24", "Rob Private", "Stalking", "--sensitive", "--email", "rob@example.org", "--assign", "carl@pfcc.example", "--as", "maya@pfcc.example", "--json");
    reference = JSON.parse(logged.out).reference;
  });

  it("without --as or a default, every command says who to name — reads too", async () => {
    for (const argv of [["show", reference], ["search", "Rob"], ["mine"], ["staff", "list"], ["report"], ["audit-log"]]) {
      const refused = await bare(...argv);
      expect(refused, argv.join(" ")).toMatchObject({ code: 1, out: "" });
      expect(refused.err, argv.join(" ")).toBe("Say who you are: add --as <your name, email or Slack user id>, or set POSTBAG_CLI_AS for this console.");
    }
    expect((await bare("audit")).err).toMatch(/name yourself: --operator "<your name>"/);
    expect((await bare("help")).code).toBe(0);
  });

  it("a read sees what the person would see on Slack or Teams: the default admin sees no sensitive details", async () => {
    const asDefault = await postbag(withDefault, "search", "Rob");
    expect(asDefault.code).toBe(0);
    expect(asDefault.out).toContain(reference);
    expect(asDefault.out).not.toContain("Stalking");
    const asManager = await postbag(withDefault, "show", reference, "--as", "maya@pfcc.example");
    expect(asManager.out).toContain("Subject: Stalking");
    expect((await postbag(withDefault, "report")).err).toMatch(/managers/i);
  });

  it("an admin sees a sensitive case's contact details to acknowledge it — those alone, logged — until it is acknowledged", async () => {
    const shown = await postbag(withDefault, "show", reference);
    expect(shown.out).toContain("Constituent: Rob Private (rob@example.org)");
    expect(shown.out).toContain("Sensitive case: only the contact details are shown, so you can acknowledge it");
    expect(shown.out).not.toContain("Stalking");
    // A list is not the card of the case: it never carries them.
    const listed = JSON.parse((await postbag(withDefault, "search", "rob@example.org", "--json")).out);
    expect(listed.map((view: { reference: string }) => view.reference)).toEqual([reference]);
    expect(listed[0].constituent).toBeNull();
    expect((await bare("staff", "add", "Cora Caseworker", "--role", "caseworker", "--email", "cora@pfcc.example", "--as", "alice@pfcc.example")).code).toBe(0);
    expect((await bare("show", reference, "--as", "cora@pfcc.example")).out).not.toContain("Rob Private");
    const log = (await bare("audit-log", "--as", "maya@pfcc.example")).out;
    expect(log).toMatch(new RegExp(`sensitive_read\\s+${reference}\\s+Alice Admin \\(cli\\)\\s+— contact details shown to acknowledge it`));
    expect(log).not.toMatch(/Cora Caseworker/);

    const acknowledged = await postbag(withDefault, "ack", reference);
    expect(acknowledged.out).toContain(`Acknowledged ${reference}`);
    expect(acknowledged.out).not.toContain("Rob Private");
    expect((await postbag(withDefault, "show", reference)).out).toContain("Sensitive case: details withheld.");
  });

  it("audit, sar and erase run by a named operator, who is in the audit log by that name", async () => {
    const operator = ["--operator", "Dee Protection"];
    expect((await bare("audit", ...operator)).out).toMatch(/0 exceptions/);
    const sar = await bare("sar", "rob@example.org", ...operator);
    expect(sar.code).toBe(0);
    expect(sar.out).toContain("Rob Private");
    await bare("close", reference, "withdrawn", "--as", "maya@pfcc.example");
    expect((await bare("erase", reference, "--confirm", ...operator)).out).toMatch(/Erased the personal data of/);
    const log = (await bare("audit-log", "--as", "maya@pfcc.example")).out;
    expect(log).toMatch(/audit_run\s+the office\s+Dee Protection \(operator\) \(cli\)/);
    expect(log).toMatch(/subject_access\s+constituent #\d+\s+Dee Protection \(operator\) \(cli\)/);
    expect(log).toMatch(new RegExp(`erasure\\s+${reference}\\s+Dee Protection \\(operator\\) \\(cli\\)`));
  });

  it("--operator is for those three only, names someone, and does not mix with --as", async () => {
    expect((await bare("show", reference, "--operator", "Dee Protection")).err).toBe("--operator is for audit, sar and erase only. Act as a member of staff: add --as <your name, email or Slack user id>.");
    expect((await bare("audit", "--operator", "Dee Protection", "--as", "maya@pfcc.example")).err).toBe("Give --as or --operator, not both.");
    expect((await bare("audit", "--operator", " ")).err).toBe('Name yourself with --operator "<your full name>".');
  });
});
