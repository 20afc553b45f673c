import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS, slackEnv, slackLoad, startFakes, type SlackCommand } from "./slack.ts";
import { loadWith, startServer, stopServer, warmUpWith, LOAD_SECONDS, type BenchPart, type BenchTable } from "./support.ts";

/**
 * Where the time goes: Postbag's Slack server (PGlite in memory) run under `node --cpu-prof`,
 * loaded with /case show and /case log at concurrency 16 after the usual warm-up. Only the
 * samples taken during each measured load count; self time is divided by the requests answered
 * then, so every figure is CPU µs per request.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 15);

/** node_modules/<package>, src/<file>, node's own, or V8's pseudo-frames. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const parts = url.slice(modules + "node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith("node:")) return "node (internal)";
  const src = url.indexOf("/src/");
  if (src >= 0) return url.slice(src + 1);
  const bench = url.indexOf("/bench/");
  return bench >= 0 ? url.slice(bench + 1) : url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = packageOf(url, functionName);
  const file = url.includes("node_modules/") ? url.slice(url.lastIndexOf("node_modules/") + 13) : where;
  return url ? `${functionName || "(anonymous)"} — ${file}:${lineNumber + 1}` : functionName;
}

/** Self time (µs) per function and per package within [from, to] (µs, the profile's clock). */
export function selfTimes(profile: CpuProfile, from: number, to: number): { byFunction: Map<string, number>; byPackage: Map<string, number>; total: number } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let at = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i]!;
    at += delta;
    if (at < from || at > to) continue;
    const node = nodes.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === "(idle)") continue;
    // A sample's time is the gap to the next one.
    const spent = profile.timeDeltas[i + 1] ?? delta;
    total += spent;
    const name = frameName(node);
    byFunction.set(name, (byFunction.get(name) ?? 0) + spent);
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + spent);
  }
  return { byFunction, byPackage, total };
}

function top(map: Map<string, number>, requests: number, total: number, label: string): BenchTable["rows"] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([name, us]) => ({ [label]: name.replace(/\|/g, "\\|"), "µs / request": (us / requests).toFixed(0), "% of CPU": ((us / total) * 100).toFixed(1) }));
}

export async function run(): Promise<BenchPart> {
  const directory = mkdtempSync(join(tmpdir(), "postbag-profile-"));
  const fakes = await startFakes();
  const windows: { command: SlackCommand; from: number; to: number; requests: number; rps: number; statements: number }[] = [];
  try {
    const server = await startServer("slack-postbag.ts", slackEnv(fakes), ["--cpu-prof", `--cpu-prof-dir=${directory}`, "--cpu-prof-interval=250"]);
    try {
      for (const command of COMMANDS) {
        const load = slackLoad(server, command, fakes, false);
        await warmUpWith(load);
        const result = await loadWith({ ...load, connections: 16, seconds: LOAD_SECONDS * 2 });
        // SQL statements per request, counted by the server on its database driver over 200 more.
        const counted = async () => ((await (await fetch(`http://127.0.0.1:${server.ready.port}/bench/statements`)).json()) as { statements: number }).statements;
        const before = await counted();
        const extra = await loadWith({ ...load, connections: 1, amount: 200 });
        const statements = ((await counted()) - before) / extra.answered;
        windows.push({ command, from: result.window[0], to: result.window[1], requests: result.answered, rps: result.rps, statements });
      }
    } finally {
      await stopServer(server);
    }
  } finally {
    await stopServer(fakes);
  }
  const file = readdirSync(directory).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error("the server wrote no CPU profile");
  const profile = JSON.parse(readFileSync(join(directory, file), "utf8")) as CpuProfile;
  rmSync(directory, { recursive: true, force: true });
  const tables: BenchPart["tables"] = [];
  const figures: Record<string, number> = {};
  for (const window of windows) {
    const { byFunction, byPackage, total } = selfTimes(profile, window.from, window.to);
    if (total === 0) throw new Error("no profile samples fall in the load's window: the clocks differ");
    const perRequest = total / window.requests;
    figures[`/case ${window.command} CPU µs per request`] = perRequest;
    figures[`/case ${window.command} SQL statements per request`] = window.statements;
    const intro = `${window.requests} requests at concurrency 16 (${window.rps.toFixed(0)} req/s) on PGlite in memory; Postbag's process spent ${(total / 1000).toFixed(0)} ms of CPU on them, **${perRequest.toFixed(0)} µs per request**, and ran ${window.statements.toFixed(1)} SQL statements per request (counted on the driver over 200 more).`;
    tables.push({ name: `Where the time goes: /case ${window.command}, by package or source file`, note: intro, rows: top(byPackage, window.requests, total, "package or file") });
    tables.push({ name: `Where the time goes: /case ${window.command}, by function (self time)`, rows: top(byFunction, window.requests, total, "function") });
  }
  return { tables, figures };
}
