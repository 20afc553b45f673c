import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadConfig, Sample } from "./load-generator.ts";

const MAIN = fileURLToPath(new URL("../../../src/main.ts", import.meta.url));
const GENERATOR = fileURLToPath(new URL("./load-generator.ts", import.meta.url));

/** Postbag as operators run it: `src/main.ts` in its own process, killable at any moment. */
export class PostbagProcess {
  output = "";
  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string>): Promise<PostbagProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", POSTBAG_JOBS: "off", LOG_LEVEL: "info", DATABASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Postbag did not start:\n${output}`)), 30_000);
      child.stdout.on("data", () => {
        const match = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once("exit", (code) => reject(new Error(`Postbag exited (${code}) before listening:\n${output}`)));
    });
    const started = new PostbagProcess(child, `http://127.0.0.1:${port}`);
    child.stdout.on("data", (chunk: Buffer) => (started.output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (started.output += chunk.toString()));
    return started;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }
}

/** Runs the load generator in a separate process and returns its samples. */
export async function generateLoad(config: LoadConfig, onStart?: () => void): Promise<Sample[]> {
  const child = spawn(process.execPath, ["--import", "tsx", GENERATOR], { env: { ...process.env, LOADGEN: JSON.stringify(config) }, stdio: ["ignore", "pipe", "inherit"] });
  onStart?.();
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.once("exit", resolve));
  return JSON.parse(output.trim()) as Sample[];
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
