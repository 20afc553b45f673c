import { spawn, type ChildProcess } from "node:child_process";

/** Shared measuring helpers: percentiles, child servers, bounded load. */

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
  const sorted = [...values].sort((a, b) => a - b);
  return `${median(values).toFixed(digits)} (${sorted[0]!.toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)})`;
}

export interface LoadResult {
  latenciesMs: number[];
  seconds: number;
  errors: number;
}

/**
 * Requests sent and not measured before each measurement, to both the server under test
 * and its floor: the first few thousand requests after start-up run while V8 and the
 * embedded database's WebAssembly are still being optimised, and a server answers for
 * days after that. Figures are the steady state.
 */
export const WARM_UP_REQUESTS = Number(process.env.BENCH_WARM_UP ?? 2000);

export async function warmUp(request: (i: number) => Promise<void>): Promise<void> {
  await load(request, WARM_UP_REQUESTS, 16, 60);
}

/** Runs `request` `total` times at `concurrency`, stopping early after `maxSeconds`. */
export async function load(request: (i: number) => Promise<void>, total: number, concurrency: number, maxSeconds = 30): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        await request(i);
        latenciesMs.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latenciesMs: latenciesMs.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000, errors };
}

/** Starts a TypeScript server script in its own process and waits for its "PORT n" line. */
export async function startServer(script: string, env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/PORT (\d+)/);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { port, child };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

export interface BenchTable {
  name: string;
  note?: string;
  rows: Record<string, string | number>[];
}
