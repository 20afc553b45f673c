import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { missingSettings } from "../src/process-settings.ts";
import { postgres } from "../test/support/databases.ts";
import type { DatabaseTarget } from "../src/db/database.ts";

/** Shared measuring helpers: percentiles, child servers, a load client that saturates the floor. */

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** "median (min–max)" over several runs. */
export function spread(values: number[], digits = 1): string {
  if (values.length === 0) return "–";
  const sorted = [...values].sort((a, b) => a - b);
  if (values.length === 1) return median(values).toFixed(digits);
  return `${median(values).toFixed(digits)} (${sorted[0]!.toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)})`;
}

export const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Seconds each measured load lasts: every run stops by itself. */
export const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * Requests sent and not measured before each measurement, to both the server under test
 * and its floor: the first few thousand requests after start-up run while V8 and the
 * embedded database's WebAssembly are still being optimised. Figures are the steady state.
 */
export const WARM_UP_REQUESTS = Number(process.env.BENCH_WARM_UP ?? 2000);

/** One HTTP request of a load: built afresh for every request (unique ids, a fresh signature). */
export interface BuiltRequest {
  headers: Record<string, string>;
  body: string;
}

export interface LoadSpec {
  /** http://127.0.0.1:port */
  origin: string;
  path: string;
  connections: number;
  /** Bounded by time… */
  seconds?: number;
  /** …or by count. */
  amount?: number;
  build: (index: number) => BuiltRequest;
  /** Whether an answer counts as one: default, a 2xx status with a non-empty body. */
  accept?: (status: number, body: string) => boolean;
  /** The server's process, to report how busy it was. */
  serverPid?: number;
}

export interface LoadResult {
  p50: number;
  p99: number;
  rps: number;
  answered: number;
  errors: number;
  seconds: number;
  /** Percent of one core this (client) process used during the load. */
  clientCpu: number;
  /** Percent of one core the server process used during the load. */
  serverCpu: number;
  /** Monotonic clock (µs, CLOCK_MONOTONIC as V8's profiler uses) at start and end. */
  window: [number, number];
}

/** CPU time of a process in ms (utime + stime from /proc). */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process in MB (VmRSS). */
export function residentMb(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * autocannon: `connections` keep-alive connections, pipelining off (one request in flight
 * per connection), every request built by `build` (so unique and freshly signed). Latency
 * is taken from autocannon's per-response timings (float ms; its own histogram rounds to
 * whole milliseconds).
 */
export async function loadWith(spec: LoadSpec): Promise<LoadResult> {
  const accept = spec.accept ?? ((status, body) => status >= 200 && status < 300 && body.length > 0);
  const latencies: number[] = [];
  let rejected = 0;
  let index = 0;
  const cpu0 = process.cpuUsage();
  const server0 = spec.serverPid ? processCpuMs(spec.serverPid) : Number.NaN;
  const start = process.hrtime.bigint();
  const instance = autocannon({
    url: spec.origin,
    connections: spec.connections,
    pipelining: 1,
    timeout: 20,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds ?? LOAD_SECONDS }),
    requests: [
      {
        method: "POST",
        path: spec.path,
        setupRequest: (request) => {
          const built = spec.build(index++);
          return { ...request, method: "POST", path: spec.path, headers: built.headers, body: built.body };
        },
        onResponse: (status, body) => {
          if (accept(status, body)) return;
          // The first refusal of a run is shown, so an error count comes with its cause.
          if (rejected === 0) process.stderr.write(`bench: ${spec.origin}${spec.path} answered ${status}: ${body.slice(0, 300)}\n`);
          rejected += 1;
        },
      },
    ],
  });
  // Without a callback autocannon returns its event emitter, which is also a promise of the result.
  (instance as unknown as import("node:events").EventEmitter).on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  const end = process.hrtime.bigint();
  const seconds = Number(end - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const serverCpuMs = spec.serverPid ? processCpuMs(spec.serverPid) - server0 : Number.NaN;
  latencies.sort((a, b) => a - b);
  const errors = rejected + result.errors + result.timeouts + result.non2xx;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rps: (latencies.length - rejected) / seconds,
    answered: latencies.length - rejected,
    errors,
    seconds,
    clientCpu: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    serverCpu: (serverCpuMs / 1000 / seconds) * 100,
    window: [Number(start / 1000n), Number(end / 1000n)],
  };
}

export async function warmUpWith(spec: Omit<LoadSpec, "connections" | "seconds" | "amount">): Promise<void> {
  await loadWith({ ...spec, connections: 16, amount: WARM_UP_REQUESTS });
}

/** Postbag and its floor measured turn about, `RUNS` times, at one concurrency. */
export interface Paired {
  ours: LoadResult[];
  floor: LoadResult[];
}

export async function paired(ours: Omit<LoadSpec, "connections">, floor: Omit<LoadSpec, "connections">, connections: number): Promise<Paired> {
  const result: Paired = { ours: [], floor: [] };
  for (let run = 0; run < RUNS; run += 1) {
    result.ours.push(await loadWith({ ...ours, connections }));
    result.floor.push(await loadWith({ ...floor, connections }));
  }
  return result;
}

/** Whether a concurrency-16 row meets the target: both median ratios at most 3. */
export function meetsTarget(result: Paired, concurrency: number): string {
  if (concurrency !== 16) return "–";
  const p50 = median(result.ours.map((r, i) => r.p50 / result.floor[i]!.p50));
  const throughput = median(result.ours.map((r, i) => result.floor[i]!.rps / r.rps));
  return p50 <= 3 && throughput <= 3 ? "pass" : "FAIL";
}

/** The side-by-side columns of one Postbag-vs-floor row. */
export function pairedColumns(result: Paired, floorName: string): Record<string, string | number> {
  const { ours, floor } = result;
  return {
    "Postbag p50 ms": spread(ours.map((r) => r.p50), 2),
    "Postbag p99 ms": spread(ours.map((r) => r.p99), 1),
    "Postbag req/s": spread(ours.map((r) => r.rps), 0),
    [`${floorName} p50 ms`]: spread(floor.map((r) => r.p50), 2),
    [`${floorName} p99 ms`]: spread(floor.map((r) => r.p99), 1),
    [`${floorName} req/s`]: spread(floor.map((r) => r.rps), 0),
    "p50 ratio": spread(ours.map((r, i) => r.p50 / floor[i]!.p50), 2),
    "throughput ratio": spread(ours.map((r, i) => floor[i]!.rps / r.rps), 2),
    "client CPU %": `${median(ours.map((r) => r.clientCpu)).toFixed(0)} / ${median(floor.map((r) => r.clientCpu)).toFixed(0)}`,
    "server CPU %": `${median(ours.map((r) => r.serverCpu)).toFixed(0)} / ${median(floor.map((r) => r.serverCpu)).toFixed(0)}`,
    errors: ours.reduce((sum, r) => sum + r.errors, 0) + floor.reduce((sum, r) => sum + r.errors, 0),
  };
}

export interface ChildServer {
  child: ChildProcess;
  pid: number;
  /** What the server printed on its READY line. */
  ready: Record<string, string>;
}

/**
 * Starts a TypeScript server script in its own process (node --import tsx: the script and
 * the src/ it imports are compiled once at load, then run as any JavaScript) and waits for
 * its `READY {json}` line. `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export async function startServer(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ChildServer> {
  const path = script.startsWith("/") ? script : fileURLToPath(new URL(`./servers/${script}`, import.meta.url));
  // Every server (Postbag and its floor alike) runs with the settings production's server gives itself.
  const settings = missingSettings("server", nodeArgs, {});
  const child = spawn(process.execPath, [...nodeArgs, ...settings.flags, "--import", "tsx", path], { env: { ...process.env, LOG_LEVEL: "silent", ...settings.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/READY (\{.*\})\n/);
      if (match) resolve(JSON.parse(match[1]!) as Record<string, string>);
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, pid: child.pid!, ready };
}

/** Stops a server: SIGINT lets it exit cleanly (and write its CPU profile); SIGKILL after 15 s. */
export async function stopServer(server: ChildServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGINT");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The PostgreSQL server to measure on: BENCH_DATABASE_URL, TEST_DATABASE_URL, or the shared throw-away one. */
export function postgresAdminUrl(): string {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return given;
  const script = fileURLToPath(new URL("../scripts/test-postgres.sh", import.meta.url));
  return execFileSync(script, ["start"], { encoding: "utf8" }).trim();
}

export type Engine = "pglite" | "postgres";
export const ENGINES: Engine[] = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",") as Engine[];

/** A fresh empty database: in memory for PGlite, a new database on the server for PostgreSQL. */
export async function freshDatabase(engine: Engine): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  return engine === "pglite" ? { target: { inMemory: true }, drop: async () => {} } : postgres(postgresAdminUrl()).create();
}

/** The environment telling a bench server which database to open (empty: PGlite in memory). */
export function databaseEnv(target: DatabaseTarget): Record<string, string> {
  return { BENCH_SERVER_DATABASE_URL: "url" in target ? target.url : "" };
}

/** Peak resident memory of this process while `work` runs, sampled every 2 ms, above what it was before. */
export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const started = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, ms, peakMb: (peak - base) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

export interface BenchTable {
  name: string;
  note?: string;
  rows: Record<string, string | number>[];
}

/** What a part of the bench gives back: its tables, prose sections, and figures kept for a later before/after. */
export interface BenchPart {
  tables: (BenchTable | { name: string; text: string })[];
  figures?: Record<string, unknown>;
}
