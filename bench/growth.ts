import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostbag, type Postbag } from "../src/app.ts";
import { runCliSession } from "../src/bots/cli/cli.ts";
import { localFiles } from "../src/bots/cli/console-files.ts";
import { loadConfig } from "../src/config.ts";
import type { Clock } from "../src/domain/ports.ts";
import { ENGINES, freshDatabase, RUNS, spread, withPeakMemory, type BenchPart, type BenchTable, type Engine } from "./support.ts";

/**
 * Work that grows with its input, each through the CLI's real code path (runCliSession, as
 * `postbag …` runs it) at two input sizes: the month report, an import, a subject-access
 * bundle. Time and peak extra resident memory of this process (which holds the embedded
 * database too), so the second size should cost at most about twice the first.
 */

const clock: Clock = { now: () => new Date("2026-12-15T10:00:00Z") };
const MANAGER = "manager@bench.example";
const REPORT_SIZES = (process.env.BENCH_REPORT_SIZES ?? "6000,12000").split(",").map(Number);
const IMPORT_SIZES = (process.env.BENCH_IMPORT_SIZES ?? "5000,10000").split(",").map(Number);
const SAR_SIZES = (process.env.BENCH_SAR_SIZES ?? "25,50").split(",").map(Number);
/** Other people's cases in the subject-access database: the bundle must not grow with them. */
const SAR_OTHERS = 5000;

const silent = { out: () => {}, err: () => {} };

async function open(engine: Engine): Promise<{ postbag: Postbag; close: () => Promise<void> }> {
  const { target, drop } = await freshDatabase(engine);
  const postbag = await openPostbag(target, loadConfig({}), { clock });
  await postbag.core.staff.registerStaff(null, { name: "Bench Manager", roles: "admin,manager,caseworker", email: MANAGER });
  return { postbag, close: async () => (await postbag.close(), await drop()) };
}

/**
 * Bulk SQL, as the digest bench: `total` cases, case g belonging to constituent `personOf(g)`,
 * received on `receivedOf(g)`, each with the timeline its status implies (logged, acknowledged
 * next day; two in three responded five days on; one in two of those closed).
 */
async function seedCases(postbag: Postbag, total: number, people: number, personOf: string, receivedOf: string): Promise<void> {
  await postbag.db.transaction(async (tx) => {
    await tx.exec(`
      INSERT INTO constituent (name, email, name_key, email_key)
        SELECT 'Constituent ' || p, 'c' || p || '@example.com', 'constituent' || p, 'c' || p || '@example.com' FROM generate_series(1, ${people}) p;
      INSERT INTO case_counter (year, last_number) VALUES (2026, ${total}) ON CONFLICT (year) DO UPDATE SET last_number = ${total};
      INSERT INTO "case" (reference, year, number, channel, received_on, logged_at, subject, kind, themes, status, constituent_id, assignee_id,
                          cycle_started_on, acknowledge_by, respond_by, acknowledged_at, responded_at, closed_at, outcome, last_action_at)
      SELECT 'PFCC-2026-' || lpad(g::text, 5, '0'), 2026, g, 'letter', r, r + TIME '10:00', 'Subject ' || g, 'casework',
             ARRAY['theme' || (g % 7)], CASE WHEN g % 6 = 0 THEN 'closed' WHEN g % 3 <> 2 THEN 'responded' ELSE 'acknowledged' END,
             ${personOf}, 1, r, r + 2, r + 14, r + 1 + TIME '10:00',
             CASE WHEN g % 3 <> 2 THEN r + 5 + TIME '10:00' END, CASE WHEN g % 6 = 0 THEN r + 6 + TIME '10:00' END,
             CASE WHEN g % 6 = 0 THEN 'responded' END, r + 5 + TIME '10:00'
      FROM (SELECT g, (${receivedOf})::date AS r FROM generate_series(1, ${total}) g) s;
      INSERT INTO timeline_entry (case_id, seq, cycle, at, type, actor_id, platform, text, detail)
        SELECT id, 1, 1, logged_at, 'logged', 1, 'cli', 'Logged by letter', jsonb_build_object('channel', channel, 'receivedOn', to_char(received_on, 'YYYY-MM-DD')) FROM "case"
        UNION ALL SELECT id, 2, 1, acknowledged_at, 'acknowledged', 1, 'cli', 'Acknowledged', '{"method":"letter"}' FROM "case"
        UNION ALL SELECT id, 3, 1, responded_at, 'responded', 1, 'cli', 'Full response sent', '{}' FROM "case" WHERE responded_at IS NOT NULL
        UNION ALL SELECT id, 4, 1, closed_at, 'closed', 1, 'cli', 'Closed (responded)', '{"outcome":"responded"}' FROM "case" WHERE closed_at IS NOT NULL;
      ANALYZE;`);
  });
}

async function cli(postbag: Postbag, argv: string[]): Promise<string> {
  let out = "";
  const code = await runCliSession(postbag, argv, { files: localFiles }, { ...silent, out: (text) => void (out += text) });
  if (code !== 0) throw new Error(`postbag ${argv.join(" ")} exited ${code}`);
  return out;
}

function row(engine: Engine, what: string, input: string, samples: { ms: number; peakMb: number }[]): BenchTable["rows"][number] {
  return { engine, work: what, input, "time ms": spread(samples.map((s) => s.ms), 0), "peak extra RSS MB": spread(samples.map((s) => s.peakMb), 1) };
}

async function monthReport(engine: Engine, size: number): Promise<BenchTable["rows"][number]> {
  const { postbag, close } = await open(engine);
  try {
    // All of them received in November 2026: the month reported holds a year's volume at the largest offices.
    await seedCases(postbag, size, size, "g", `DATE '2026-11-01' + (g % 30)`);
    const argv = ["report", "2026-11", "--as", MANAGER, "--json"];
    // Warm-up, and a check that the report counted every case.
    if (!new RegExp(`"received": \\{\\s*"total": ${size},`).test(await cli(postbag, argv))) throw new Error(`the report did not count ${size} cases`);
    const samples = [];
    for (let i = 0; i < RUNS; i += 1) samples.push(await withPeakMemory(() => cli(postbag, argv)));
    return row(engine, "month report (`postbag report 2026-11`)", `${size} cases in the month`, samples);
  } finally {
    await close();
  }
}

async function importRows(engine: Engine, size: number, directory: string): Promise<BenchTable["rows"][number]> {
  const { postbag, close } = await open(engine);
  try {
    const file = join(directory, `import-${size}.csv`);
    const lines = ["reference,received_on,channel,constituent_name,constituent_email,subject,kind,themes,assignee,acknowledged_on,responded_on,closed_on,outcome"];
    for (let i = 1; i <= size; i += 1) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      const closed = i % 4 === 0;
      lines.push(`OLD-${i},2026-10-${day},letter,Imported Person ${i},p${i}@example.com,Old case ${i},casework,roads;noise,Bench Manager,2026-10-${day},${closed ? `2026-11-${day}` : ""},${closed ? `2026-11-${day}` : ""},${closed ? "responded" : ""}`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const sample = await withPeakMemory(() => cli(postbag, ["import", file, "--as", MANAGER, "--json"]));
    const [counted] = await postbag.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM "case"`);
    const count = counted?.count;
    if (count !== size) throw new Error(`imported ${count} of ${size} rows`);
    return row(engine, "import (`postbag import file.csv`)", `${size} rows`, [sample]);
  } finally {
    await close();
  }
}

async function subjectAccess(engine: Engine, size: number, directory: string): Promise<BenchTable["rows"][number]> {
  const { postbag, close } = await open(engine);
  try {
    // Constituent 1 holds the first `size` cases; the rest belong to others, one each.
    await seedCases(postbag, size + SAR_OTHERS, SAR_OTHERS + 1, `CASE WHEN g <= ${size} THEN 1 ELSE g - ${size} + 1 END`, `DATE '2026-01-05' + (g % 300)`);
    const samples = [];
    for (let i = 0; i <= RUNS; i += 1) {
      const out = join(directory, `sar-${engine}-${size}-${i}`);
      const sample = await withPeakMemory(() => cli(postbag, ["sar", "#1", "--as", MANAGER, "--out", out]));
      if (i > 0) samples.push(sample); // the first is the warm-up
    }
    return row(engine, "subject-access bundle (`postbag sar #1 --out dir`)", `a constituent with ${size} cases (among ${SAR_OTHERS + size})`, samples);
  } finally {
    await close();
  }
}

export async function run(): Promise<BenchPart> {
  const directory = mkdtempSync(join(tmpdir(), "postbag-growth-"));
  const rows: BenchTable["rows"] = [];
  try {
    for (const engine of ENGINES) {
      for (const size of REPORT_SIZES) rows.push(await monthReport(engine, size));
      for (const size of IMPORT_SIZES) rows.push(await importRows(engine, size, directory));
      for (const size of SAR_SIZES) rows.push(await subjectAccess(engine, size, directory));
      for (const r of rows.slice(-6)) process.stderr.write(`growth: ${JSON.stringify(r)}\n`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    tables: [
      {
        name: "Month report, import and subject access at two sizes",
        note: `Each through the CLI's own code path in this process, on a fresh database; report and subject access: ${RUNS} runs after a warm-up, median (min–max); import: one run (it writes). Peak extra RSS: the highest resident memory of the process during the call, sampled every 2 ms, above what it was just before (the embedded database lives in the same process). Doubling the input should at most double each figure.`,
        rows,
      },
    ],
  };
}
