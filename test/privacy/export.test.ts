import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/bots/cli/cli.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { neutraliseCell, restoreCell, toCsv } from "../../src/domain/exports/csv.ts";
import { IMPORT_COLUMNS } from "../../src/domain/cases/import.schema.ts";
import { EXPORT_COLUMNS } from "../../src/domain/exports/export-service.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase } from "../support/databases.ts";

describe("CSV cells", () => {
  it.each(["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=already quoted", "''+twice"])("neutralises %j and restores it exactly", (value) => {
    const cell = neutraliseCell(value);
    expect(cell.startsWith("'")).toBe(true);
    expect(restoreCell(cell)).toBe(value);
  });

  it.each(["Jane Doe", "'quoted but harmless", "07700 900123", "a=b", ""])("leaves %j as it is", (value) => {
    expect(neutraliseCell(value)).toBe(value);
    expect(restoreCell(value)).toBe(value);
  });

  it("quotes commas, quotes and line breaks, and no cell of the file starts a formula", () => {
    const csv = toCsv(["a", "b", "c"], [{ a: 'He said "no", twice', b: "line one\nline two", c: "=cmd|' /C calc'!A0" }], { header: true });
    const rows: string[][] = parse(csv);
    expect(rows).toEqual([["a", "b", "c"], ['He said "no", twice', "line one\nline two", "'=cmd|' /C calc'!A0"]]);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describeEachDatabase("export → import round trip through the postbag CLI", (database) => {
  const dirs: string[] = [];
  const drops: (() => Promise<void>)[] = [];
  const clock = new TestClock("2026-11-25T10:00:00Z");

  async function freshConfig(): Promise<Config> {
    const dataDir = mkdtempSync(join(tmpdir(), "postbag-export-"));
    dirs.push(dataDir);
    if (database.engine === "pglite") return loadConfig({ POSTBAG_DATA_DIR: dataDir });
    const created = await database.create();
    drops.push(created.drop);
    return loadConfig({ DATABASE_URL: (created.target as { url: string }).url });
  }
  const run = async (config: Config, ...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, config, { out: (t) => out.push(t), err: (t) => err.push(t) }, { clock });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  let first: Config;
  let second: Config;

  beforeAll(async () => {
    first = await freshConfig();
    second = await freshConfig();
    for (const config of [first, second]) {
      await run(config, "staff", "add", "Maya Manager", "--role", "admin,manager,caseworker", "--email", "maya@pfcc.example");
    }
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("exports the import columns, and importing the file elsewhere gives back the same spreadsheet", async () => {
    const as = ["--as", "maya@pfcc.example"];
    const a = await run(first, "log", "letter", "2026-11-02", "=HYPERLINK(\"http://x\",\"Jane\")", "Speeding, \"again\"", "--email", "jane@example.com", "--phone", "+44 7700 900123", "--summary", "Line one\nline two, with \"quotes\"", "--theme", "road safety", "--theme", "@night", "--assign", "me", ...as, "--json");
    expect(a.code).toBe(0);
    const ref = JSON.parse(a.out).reference as string;
    for (const step of [["ack", ref], ["respond", ref, "Sent"], ["close", ref, "responded"]]) expect((await run(first, ...step, ...as)).code).toBe(0);
    expect((await run(first, "log", "phone", "2026-11-20", "-Minus Sign", "Noise", "--kind", "complaint", "--sensitive", "--address", "1 High St\nTown", ...as)).code).toBe(0);

    const file = join(dirs[0]!, "cases.csv");
    const exported = await run(first, "export", "--out", file, ...as);
    expect(exported.code).toBe(0);
    const csv = readFileSync(file, "utf8");
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(EXPORT_COLUMNS.slice(0, IMPORT_COLUMNS.length)).toEqual([...IMPORT_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      constituent_name: "'=HYPERLINK(\"http://x\",\"Jane\")",
      constituent_phone: "'+44 7700 900123",
      subject: 'Speeding, "again"',
      themes: "road safety;@night",
      acknowledged_on: "2026-11-25",
      closed_on: "2026-11-25",
      outcome: "responded",
      assignee: "maya@pfcc.example",
      assigned_on: "2026-11-25",
      // Received Mon 2 Nov: acknowledgement due Wed 4 Nov and response due Mon 16 Nov, both done Wed 25 Nov.
      status: "closed",
      acknowledge_by: "2026-11-04",
      acknowledgement_state: "done_late",
      acknowledgement_working_days_late: "15",
      respond_by: "2026-11-16",
      response_state: "done_late",
      response_working_days_late: "7",
    });
    // Received Fri 20 Nov: acknowledgement due Tue 24 Nov (a day late on the 25th), response due Fri 4 Dec.
    expect(rows[1]).toMatchObject({
      constituent_name: "'-Minus Sign", sensitive: "yes", kind: "complaint", constituent_address: "1 High St\nTown",
      status: "new", acknowledgement_state: "overdue", acknowledgement_working_days_late: "1", respond_by: "2026-12-04", response_state: "pending",
    });
    for (const cell of rows.flatMap((row) => Object.values(row))) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const imported = await run(second, "import", file, ...as);
    expect(imported.err).toBe("");
    expect(imported.out).toMatch(/Imported 2 case/);
    const again = join(dirs[1]!, "again.csv");
    expect((await run(second, "export", "--out", again, ...as)).code).toBe(0);
    // Same columns and values; only the references are the new system's own.
    const strip = (text: string) => parse<Record<string, string>>(text, { columns: true }).map(({ reference: _r, ...rest }) => rest);
    expect(strip(readFileSync(again, "utf8"))).toEqual(strip(csv));
    const shown = JSON.parse((await run(second, "show", "PFCC-2026-0001", "--json", ...as)).out);
    expect(shown.constituent.name).toBe("=HYPERLINK(\"http://x\",\"Jane\")");
  });

  it("records every export in the audit log, and only managers may export", async () => {
    const log = await run(first, "audit-log", "--as", "maya@pfcc.example");
    expect(log.out).toMatch(/export\s+all\s+Maya Manager \(cli\)\s+— 2 case\(s\) exported as CSV/);
    await run(first, "staff", "add", "Carl Caseworker", "--role", "caseworker", "--email", "carl@pfcc.example", "--as", "maya@pfcc.example");
    const refused = await run(first, "export", "--as", "carl@pfcc.example");
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/Only managers can export/);
  });
});
