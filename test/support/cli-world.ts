import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { runCli } from "../../src/bots/cli/cli.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import type { Clock } from "../../src/domain/ports.ts";
import type { TestDatabase } from "./databases.ts";

/**
 * The `postbag` command on a fresh database of the given engine (an embedded one in its own
 * folder, or a database of its own on the test PostgreSQL server), made before the suite's tests
 * and removed after them. `run` answers with the exit code and what was printed.
 */
export function cliWorld(database: TestDatabase, clock: Clock, env: Record<string, string> = {}) {
  let config: Config;
  let dataDir: string;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "postbag-cli-world-"));
    const created = database.engine === "pglite" ? { target: { dataDir }, drop: async () => {} } : await database.create();
    drop = created.drop;
    config = loadConfig({ ...("url" in created.target ? { DATABASE_URL: created.target.url } : { POSTBAG_DATA_DIR: dataDir }), ...env });
  });
  afterAll(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, config, { out: (t) => out.push(t), err: (t) => err.push(t) }, { clock });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  return { run };
}
