import { openPostbag, type Postbag } from "../../src/app.ts";
import type { Config } from "../../src/config.ts";
import type { DatabaseTarget } from "../../src/db/database.ts";

/** The database a bench server opens: BENCH_SERVER_DATABASE_URL (a fresh PostgreSQL database) or PGlite in memory. */
export function benchTarget(): DatabaseTarget {
  return process.env.BENCH_SERVER_DATABASE_URL ? { url: process.env.BENCH_SERVER_DATABASE_URL } : { inMemory: true };
}

export async function openBenchPostbag(config: Config): Promise<Postbag> {
  return openPostbag(benchTarget(), config);
}

/** Tells the bench this server is ready, and exits cleanly (writing any --cpu-prof profile) on SIGINT. */
export function ready(fields: Record<string, string | number>, close: () => Promise<void>): void {
  process.stdout.write(`READY ${JSON.stringify(fields)}\n`);
  process.on("SIGINT", () => {
    void close().finally(() => process.exit(0));
  });
}
