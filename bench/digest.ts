import { openPostbag, type Postbag } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { DatabaseTarget } from "../src/db/database.ts";
import type { Clock } from "../src/domain/ports.ts";
import { postgres } from "../test/support/databases.ts";
import { postgresAdminUrl, spread, type BenchTable } from "./support.ts";

/**
 * Manager digest generation over 1,000, 10,000 and 100,000 open cases, on the embedded
 * database and on PostgreSQL, with the same 200 late cases each time: the time should
 * follow the late cases shown, not the size of the case table.
 */

const SIZES = (process.env.BENCH_DIGEST_SIZES ?? "1000,10000,100000").split(",").map(Number);
const LATE = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const AS_OF = "2026-12-30";
const clock: Clock = { now: () => new Date("2026-12-30T08:00:00Z") };

async function seed(postbag: Postbag, total: number): Promise<void> {
  // Bulk SQL: the bench measures the digest, not the logging path. Late cases were received
  // in November; the rest this week, with deadlines still ahead.
  await postbag.db.transaction(async (tx) => {
    await tx.exec(`
      INSERT INTO staff (name, roles) VALUES ('Bench Caseworker', '{caseworker,manager}');
      INSERT INTO constituent (name, email) SELECT 'Constituent ' || g, 'c' || g || '@example.com' FROM generate_series(1, ${total}) g;
      INSERT INTO case_counter (year, last_number) VALUES (2026, ${total});
      INSERT INTO "case" (reference, year, number, channel, received_on, logged_at, subject, kind, themes, status, constituent_id, assignee_id,
                          cycle_started_on, acknowledge_by, respond_by, acknowledged_at, last_action_at)
      SELECT 'PFCC-2026-' || lpad(g::text, 6, '0'), 2026, g, 'letter',
             CASE WHEN g <= ${LATE} THEN DATE '2026-11-02' ELSE DATE '2026-12-29' END,
             TIMESTAMPTZ '2026-12-29 10:00+00', 'Subject ' || g, 'casework', '{}',
             CASE WHEN g % 3 = 0 THEN 'in_progress' ELSE 'acknowledged' END, g, 1,
             CASE WHEN g <= ${LATE} THEN DATE '2026-11-02' ELSE DATE '2026-12-29' END,
             CASE WHEN g <= ${LATE} THEN DATE '2026-11-04' ELSE DATE '2026-12-31' END,
             CASE WHEN g <= ${LATE} THEN DATE '2026-11-16' ELSE DATE '2027-01-12' END,
             TIMESTAMPTZ '2026-12-29 11:00+00',
             CASE WHEN g <= ${LATE} THEN TIMESTAMPTZ '2026-11-03 11:00+00' ELSE TIMESTAMPTZ '2026-12-29 11:00+00' END
      FROM generate_series(1, ${total}) g;
      ANALYZE;`);
  });
}

async function measure(postbag: Postbag): Promise<{ ms: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const started = performance.now();
  const digest = await postbag.core.digests.managerDigest(AS_OF, { audience: "shared" });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (digest.sections.find((s) => s.key === "response_overdue")!.count !== LATE) throw new Error("digest counts are wrong");
  return { ms, peakMb: (peak - base) / 2 ** 20 };
}

async function postgresTarget(): Promise<{ url: string; stop: () => void }> {
  // The shared server is never stopped here: other work may be using it.
  return { url: postgresAdminUrl(), stop: () => {} };
}

async function freshDatabase(engine: "pglite" | "postgres", adminUrl: string): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  return engine === "pglite" ? { target: { inMemory: true }, drop: async () => {} } : postgres(adminUrl).create();
}

export async function run(): Promise<BenchTable> {
  const settings = loadConfig({});
  const server = await postgresTarget();
  const rows: BenchTable["rows"] = [];
  try {
    for (const engine of ["pglite", "postgres"] as const) {
      for (const size of SIZES) {
        const { target, drop } = await freshDatabase(engine, server.url);
        const postbag = await openPostbag(target, settings, { clock });
        try {
          await seed(postbag, size);
          await measure(postbag); // warm-up: the query compiler and caches
          const samples = [];
          for (let i = 0; i < RUNS; i += 1) samples.push(await measure(postbag));
          rows.push({
            engine,
            "open cases": size,
            "late cases": LATE,
            "digest ms": spread(samples.map((s) => s.ms)),
            "peak extra RSS MB": spread(samples.map((s) => s.peakMb)),
          });
        } finally {
          await postbag.close();
          await drop();
        }
      }
    }
  } finally {
    server.stop();
  }
  return {
    name: "Manager digest generation",
    note: `Each table holds ${LATE} late cases among the open ones; ${RUNS} runs after a warm-up; median (min–max). Target: under 1 s and 200 MB at 100,000 cases.`,
    rows,
  };
}
