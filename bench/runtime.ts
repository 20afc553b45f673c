import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, residentMb, RUNS, type BenchPart, type BenchTable } from "./support.ts";

/**
 * The runtime targets, on the compiled JavaScript production runs (dist/, built first by
 * scripts/build.mjs) and an embedded data directory: start to a 200 from /healthz (warm: a
 * second start on the same directory), resident memory after start, and a CLI call's wall time.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const MAIN = join(root, "dist/main.js");
const CLI = join(root, "dist/bots/cli/main.js");
const TARGETS = { startMs: 2000, cliMs: 600, rssMb: 300 };
const STAFF = "bench@example.org";

interface Started {
  child: ChildProcess;
  port: number;
  ms: number;
}

/** Starts `node dist/main.js` on `dataDir` and waits for /healthz to answer 200. */
async function start(dataDir: string, platform: Record<string, string> = {}): Promise<Started> {
  const began = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: root,
    env: { ...process.env, POSTBAG_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", DATABASE_URL: "", ...platform },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/listening on http:\/\/[^:]+:(\d+)/);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`dist/main.js exited with ${code}: ${output.slice(-500)}`)));
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, port, ms: performance.now() - began };
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGTERM");
  await exited;
}

/** `node dist/bots/cli/main.js …` on `dataDir`; its wall time in ms. */
function cli(dataDir: string, argv: string[]): number {
  const began = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...argv], { cwd: root, env: { ...process.env, POSTBAG_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" }, encoding: "utf8" });
  const ms = performance.now() - began;
  if (result.status !== 0) throw new Error(`postbag ${argv.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const verdict = (value: number, target: number) => (value < target ? "pass" : "FAIL");

export async function run(): Promise<BenchPart> {
  const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("npm run build failed");
  const dataDir = mkdtempSync(join(tmpdir(), "postbag-runtime-"));
  const rows: BenchTable["rows"] = [];
  try {
    // Cold: a new data directory (the database created, every migration applied).
    const cold = await start(dataDir);
    await stop(cold);
    const warm: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = await start(dataDir);
      warm.push(started.ms);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      rss.push(residentMb(started.child.pid!));
      await stop(started);
    }
    rows.push({ target: "start to /healthz 200, embedded database, warm (second start on the same data dir)", figure: `${median(warm).toFixed(0)} ms (runs: ${warm.map((v) => v.toFixed(0)).join(", ")})`, limit: `< ${TARGETS.startMs} ms`, result: verdict(median(warm), TARGETS.startMs) });
    rows.push({ target: "start to /healthz 200, embedded database, cold (new data dir: created and migrated)", figure: `${cold.ms.toFixed(0)} ms`, limit: "–", result: "(for reference)" });
    rows.push({ target: "resident memory 1 s after start (VmRSS), no chat platform configured", figure: `${median(rss).toFixed(0)} MB`, limit: `< ${TARGETS.rssMb} MB`, result: verdict(median(rss), TARGETS.rssMb) });
    // A platform's SDK loads only when it is configured (src/bots/platforms.ts): an office on Slack, on Teams, on both.
    const SLACK = { SLACK_SIGNING_SECRET: "bench", SLACK_BOT_TOKEN: "xoxb-bench", SLACK_API_URL: "http://127.0.0.1:9/api/" };
    const TEAMS = { MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001", MICROSOFT_APP_PASSWORD: "bench", MICROSOFT_APP_TENANT_ID: "00000000-0000-0000-0000-000000000002" };
    for (const [name, platform] of [["Slack", SLACK], ["Teams", TEAMS], ["Slack and Teams", { ...SLACK, ...TEAMS }]] as const) {
      const mb: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const started = await start(dataDir, platform);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        mb.push(residentMb(started.child.pid!));
        await stop(started);
      }
      rows.push({ target: `resident memory 1 s after start (VmRSS), ${name} configured`, figure: `${median(mb).toFixed(0)} MB`, limit: `< ${TARGETS.rssMb} MB`, result: verdict(median(mb), TARGETS.rssMb) });
    }

    // The CLI against the same data dir. One staff member and one case to show.
    cli(dataDir, ["staff", "add", "Bench Admin", "--role", "admin,manager", "--email", STAFF]);
    cli(dataDir, ["log", "letter", "2026-11-19", "Jane Doe", "Speeding", "on", "Main", "Street", "--as", STAFF]);
    const scenarios: { name: string; argv: string[]; serverRunning: boolean }[] = [
      { name: "`postbag show PFCC-2026-0001 --as …`, server stopped", argv: ["show", "PFCC-2026-0001", "--as", STAFF], serverRunning: false },
      { name: "`postbag help`", argv: ["help"], serverRunning: false },
      // The server holds the embedded database: the command runs inside it, over the console socket.
      { name: "`postbag show PFCC-2026-0001 --as …`, server running (forwarded over the console socket)", argv: ["show", "PFCC-2026-0001", "--as", STAFF], serverRunning: true },
    ];
    for (const scenario of scenarios) {
      const server = scenario.serverRunning ? await start(dataDir) : undefined;
      try {
        cli(dataDir, scenario.argv); // warm: the OS's file cache
        const times = Array.from({ length: RUNS }, () => cli(dataDir, scenario.argv));
        rows.push({ target: `CLI call: ${scenario.name}`, figure: `${median(times).toFixed(0)} ms (runs: ${times.map((v) => v.toFixed(0)).join(", ")})`, limit: `< ${TARGETS.cliMs} ms`, result: verdict(median(times), TARGETS.cliMs) });
      } finally {
        if (server) await stop(server);
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    tables: [
      {
        name: "Start, memory and the CLI",
        note: `Compiled JavaScript (\`node dist/main.js\`, \`node dist/bots/cli/main.js\`) on an embedded data directory in the temporary folder; wall time from spawning the process; median of ${RUNS} runs. The targets live here, not in the tests.`,
        rows,
      },
    ],
  };
}
