import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import type { BenchTable } from "./support.ts";

/** `npm run bench`: every benchmark in one go, printed and written to BENCHMARKS.md. Figures are measured, never typed in. */

const BENCHES: { file: string }[] = [{ file: "./slack.ts" }, { file: "./teams.ts" }, { file: "./digest.ts" }];

function markdownTable(table: BenchTable): string {
  const columns = Object.keys(table.rows[0] ?? {});
  return [
    `## ${table.name}`,
    "",
    ...(table.note ? [table.note, ""] : []),
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...table.rows.map((row) => `| ${columns.map((c) => String(row[c])).join(" | ")} |`),
    "",
  ].join("\n");
}

const only = process.argv[2];
const sections: string[] = [];
for (const bench of BENCHES) {
  if (only && !bench.file.includes(only)) continue;
  const module = (await import(bench.file)) as { run(): Promise<BenchTable | BenchTable[]> };
  const tables = [await module.run()].flat();
  for (const table of tables) {
    const text = markdownTable(table);
    process.stdout.write(`${text}\n`);
    sections.push(text);
  }
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
writeFileSync(
  new URL("../BENCHMARKS.md", import.meta.url),
  [`# Postbag benchmarks`, "", `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`, "", ...sections].join("\n"),
);
