import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import type { BenchPart, BenchTable } from "./support.ts";

/**
 * `npm run bench [-- part…] [--baseline]`: runs the benchmarks, prints them, and writes
 * BENCHMARKS.md. Every figure in that file is measured, never typed in: each part's output is
 * kept in bench/results/<part>.json, so running one part rewrites its sections and keeps the
 * others' last measured ones. `--baseline` also keeps this run as the "before" of the
 * before/after comparison (bench/results/baseline/).
 */

const PARTS: Record<string, string> = {
  slack: "./slack.ts",
  teams: "./teams.ts",
  profile: "./profile.ts",
  digest: "./digest.ts",
  growth: "./growth.ts",
  runtime: "./runtime.ts",
};

interface SavedPart {
  measuredOn: string;
  machine: string;
  markdown: string;
  figures: Record<string, unknown>;
}

const results = new URL("./results/", import.meta.url);
const baselineDir = new URL("./baseline/", results);

function markdownTable(table: BenchTable | { name: string; text: string }): string {
  if ("text" in table) return [`### ${table.name}`, "", table.text, ""].join("\n");
  const columns = Object.keys(table.rows[0] ?? {});
  return [
    `### ${table.name}`,
    "",
    ...(table.note ? [table.note, ""] : []),
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...table.rows.map((row) => `| ${columns.map((c) => String(row[c])).join(" | ")} |`),
    "",
  ].join("\n");
}

function load(dir: URL, part: string): SavedPart | undefined {
  const file = new URL(`${part}.json`, dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SavedPart) : undefined;
}

const args = process.argv.slice(2);
const asBaseline = args.includes("--baseline");
/** `--write-only`: measure nothing, rewrite BENCHMARKS.md from the kept results and notes. */
const writeOnly = args.includes("--write-only");
const wanted = args.filter((arg) => !arg.startsWith("--"));
for (const name of wanted) if (!PARTS[name]) throw new Error(`No bench part "${name}": ${Object.keys(PARTS).join(", ")}`);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
mkdirSync(baselineDir, { recursive: true });

for (const [name, file] of Object.entries(PARTS)) {
  if (writeOnly || (wanted.length && !wanted.includes(name))) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const module = (await import(file)) as { run(): Promise<BenchPart | BenchTable | BenchTable[]> };
  const output = await module.run();
  const part: BenchPart = "tables" in output ? output : { tables: [output].flat() };
  const markdown = part.tables.map(markdownTable).join("\n");
  process.stdout.write(`${markdown}\n`);
  const saved: SavedPart = { measuredOn: new Date().toISOString().slice(0, 10), machine, markdown, figures: part.figures ?? {} };
  writeFileSync(new URL(`${name}.json`, results), `${JSON.stringify(saved, null, 2)}\n`);
  if (asBaseline) writeFileSync(new URL(`${name}.json`, baselineDir), `${JSON.stringify(saved, null, 2)}\n`);
}

/** Before (baseline) and after (latest) of the load benches and the profile, side by side. */
function beforeAfter(): string {
  const lines: string[] = [];
  for (const part of ["slack", "teams"]) {
    const before = load(baselineDir, part);
    const after = load(results, part);
    if (!before || !after) continue;
    if (!lines.length) lines.push("| case | p50 ms before | p50 ms after | req/s before | req/s after | p50 ratio before → after | throughput ratio before → after |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const [key, b] of Object.entries(before.figures) as [string, { p50: number; rps: number; floorP50: number; floorRps: number }][]) {
      const a = after.figures[key] as typeof b | undefined;
      if (!a) continue;
      // A run whose every request failed (the shared database server went away) compares nothing.
      if (b.rps === 0 || a.rps === 0) {
        lines.push(`| ${key} | ${b.p50.toFixed(2)} | ${a.p50.toFixed(2)} | ${b.rps.toFixed(0)} | ${a.rps.toFixed(0)} | – (a run with errors only) | – |`);
        continue;
      }
      lines.push(
        `| ${key} | ${b.p50.toFixed(2)} | ${a.p50.toFixed(2)} | ${b.rps.toFixed(0)} | ${a.rps.toFixed(0)} | ${(b.p50 / b.floorP50).toFixed(2)} → ${(a.p50 / a.floorP50).toFixed(2)} | ${(b.floorRps / b.rps).toFixed(2)} → ${(a.floorRps / a.rps).toFixed(2)} |`,
      );
    }
  }
  const profileBefore = load(baselineDir, "profile");
  const profileAfter = load(results, "profile");
  if (profileBefore && profileAfter) {
    lines.push("", "| per request, Slack server on PGlite (profile part) | before | after |", "| --- | --- | --- |");
    for (const [key, a] of Object.entries(profileAfter.figures) as [string, number][]) {
      const b = profileBefore.figures[key] as number | undefined;
      lines.push(`| ${key} | ${b === undefined ? "not counted" : b.toFixed(key.includes("statements") ? 1 : 0)} | ${a.toFixed(key.includes("statements") ? 1 : 0)} |`);
    }
  }
  if (!lines.length) return "";
  const when = `before: measured ${load(baselineDir, "slack")?.measuredOn ?? "?"} (bench/results/baseline/); after: the latest run`;
  return [`## Before and after the optimisations`, "", `Medians of the same benches, ${when}. ${readNotes("optimisations")}`, "", ...lines, ""].join("\n");
}

/** Prose kept beside the bench (bench/notes/<name>.md): the method, the targets, what was changed. */
function readNotes(name: string): string {
  const file = new URL(`./notes/${name}.md`, import.meta.url);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : "";
}

const sections: string[] = [`# Postbag benchmarks`, "", readNotes("method"), ""];
const SECTION_TITLES: Record<string, string> = {
  runtime: "Runtime targets",
  slack: "Slack: Postbag against a bare Bolt app",
  teams: "Microsoft Teams: Postbag against a bare botbuilder bot",
  profile: "Where the time goes",
  digest: "Manager digest generation",
  growth: "Work that grows with its input",
};
for (const name of ["runtime", "slack", "teams", "profile"]) {
  const saved = load(results, name);
  if (saved) sections.push(`## ${SECTION_TITLES[name]}`, "", `Measured by \`npm run bench -- ${name}\` on ${saved.measuredOn}: ${saved.machine}.`, "", saved.markdown);
}
const profileBaseline = load(baselineDir, "profile");
if (profileBaseline && profileBaseline.markdown !== load(results, "profile")?.markdown) {
  sections.push(
    "<details><summary>Where the time went before the optimisations (the baseline run's profile)</summary>",
    "",
    `Measured by \`npm run bench -- profile --baseline\` on ${profileBaseline.measuredOn}: ${profileBaseline.machine}.`,
    "",
    profileBaseline.markdown.replace(/^### /gm, "#### "),
    "</details>",
    "",
  );
}
const comparison = beforeAfter();
if (comparison) sections.push(comparison);
for (const name of ["growth", "digest"]) {
  const saved = load(results, name);
  if (saved) sections.push(`## ${SECTION_TITLES[name]}`, "", `Measured by \`npm run bench -- ${name}\` on ${saved.measuredOn}: ${saved.machine}.`, "", saved.markdown);
}
writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), `${sections.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`);
process.stderr.write("bench: BENCHMARKS.md written\n");
