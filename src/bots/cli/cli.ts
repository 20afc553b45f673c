import { basename, join } from "node:path";
import { renderWeeklyChart } from "../../charts/weekly-chart.ts";
import { restoreCell } from "../../domain/exports/csv.ts";
import { parse as parseCsv } from "csv-parse/sync";
import { openPostbag, type Postbag } from "../../app.ts";
import type { Config } from "../../config.ts";
import { nextDeadline, type CaseView } from "../../domain/cases/case-view.ts";
import type { Digest } from "../../domain/digest/digest.ts";
import { z } from "zod";
import { DomainError, isDomainError, parseInput } from "../../domain/errors.ts";
import type { Clock } from "../../domain/ports.ts";
import type { Actor } from "../../domain/staff/roles.ts";
import { openDatabase } from "../../db/database.ts";
import { applyMigrations } from "../../db/migrate.ts";
import { parseCommand, type Command } from "../shared/commands.ts";
import { executeCommand, type CommandResult } from "../shared/execute-command.ts";
import { caseFlags } from "../shared/case-words.ts";
import { helpText, resultText } from "../shared/text-render.ts";
import { splitFlags } from "../shared/tokenize.ts";
import { runInRunningServer } from "./console-socket.ts";
import { printHelp, wantsHelp } from "./cli-help.ts";
import { localFiles, type CliFiles, type CliIo } from "./console-files.ts";

export type { CliFiles, CliIo } from "./console-files.ts";

/**
 * The explicit operator operations: someone at the console who may hold no staff record (the
 * data protection officer answering a subject access request, say) runs them as a named
 * operator, and that name is what the audit log keeps. Everything else acts as a member of staff.
 */
const OPERATOR_COMMANDS: ReadonlySet<Command["name"]> = new Set(["audit", "sar", "erase"]);

/** Flags of the CLI itself that take a value: who acts, and where to write files. */
const OWN_FLAGS = ["--as", "--operator", "--out", "--chart", "--request"];

const operatorSchema = z
  .string()
  .trim()
  .min(2, 'Name yourself with --operator "<your full name>".')
  .max(100, "--operator takes a name of at most 100 characters.")
  .regex(/^[^\p{Cc}]+$/u, "--operator takes a name, without control characters.");

/** What a console session needs besides the open database: who the console acts as by default, and its files. */
export interface CliSession {
  /** POSTBAG_CLI_AS of the console that typed the command. */
  defaultAs?: string;
  files: CliFiles;
}

/**
 * The `postbag` command: the third adapter, over the same core. Returns the exit code:
 * 0 done, 1 refused (the message says why), 70 an unexpected fault.
 *
 * With the embedded database and the server running, the server holds the database: the
 * command is then run by the server, over its console socket, with this console's files.
 */
export async function runCli(argv: readonly string[], config: Config, io: CliIo, options: { clock?: Clock } = {}): Promise<number> {
  if (wantsHelp(argv)) return printHelp(io);
  const session: CliSession = { defaultAs: config.cliAs, files: localFiles };
  const json = argv.includes("--json");
  return exitCodeOf(io, json, async () => {
    if ("dataDir" in config.database) {
      const forwarded = await runInRunningServer(config.database.dataDir, argv, session, io);
      if (forwarded !== null) return forwarded;
    }
    if (firstWord(argv) === "migrate") return migrate(config, io);
    const postbag = await openPostbag(config.database, config, { clock: options.clock });
    try {
      return await runCliCommand(postbag, argv, session, io);
    } finally {
      await postbag.close();
    }
  });
}

/** One command against an open Postbag: the console's own process, or the server on its behalf. */
export async function runCliSession(postbag: Postbag, argv: readonly string[], session: CliSession, io: CliIo): Promise<number> {
  if (wantsHelp(argv)) return printHelp(io);
  return exitCodeOf(io, argv.includes("--json"), async () => {
    if (firstWord(argv) === "migrate") {
      const applied = await applyMigrations(postbag.db);
      io.out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "The database is up to date.");
      return 0;
    }
    return runCliCommand(postbag, argv, session, io);
  });
}

async function runCliCommand(postbag: Postbag, argv: readonly string[], session: CliSession, io: CliIo): Promise<number> {
  // `staff unlink "<person>" --slack` ends its words with a bare --slack/--teams: it must not take the next flag (--as) for its value.
  const { flags, positional } = splitFlags(argv, ["json", "help", "sensitive", "in", "confirm", "new-person", "slack", "teams"]);
  const json = flags.has("json");
  const as = flags.get("as")?.at(-1);
  // Everything but our own flags goes back to the shared command grammar.
  const commandArgs = stripGlobalFlags(argv);
  if (positional[0] === "import") return importCsv(postbag, positional[1], as ?? session.defaultAs, session.files, io, json);
  const command = await withFileRead(parseCommand(commandArgs), session.files);
  if (command.name === "help" && command.unknown) {
    io.err(helpText(command.unknown, "postbag "));
    return 1;
  }
  const operator = flags.get("operator")?.at(-1);
  const actor = await resolveActor(postbag, command, { as, operator, defaultAs: session.defaultAs });
  const requestKey = requestKeyFrom(flags.get("request")?.at(-1));
  const run = (who: Actor) => executeCommand(postbag.core, who, command, { audience: "private", request: { platform: "cli", requestKey } });
  const result = actor ? await run(actor) : await bootstrap(postbag, command, session.defaultAs, run);
  if (operator !== undefined && actor && command.name === "audit") {
    await postbag.core.accessLog.record(actor, "cli", "audit_run", "the office", "no-loss audit run by a named operator");
  }
  await writeOutputs(result, { out: flags.get("out")?.at(-1), chart: flags.get("chart")?.at(-1), json }, session.files, io);
  return 0;
}

function firstWord(argv: readonly string[]): string | undefined {
  return splitFlags(argv, ["json", "help"]).positional[0];
}

/** A refusal is exit 1 with its message; anything else is exit 70 and changes nothing. */
async function exitCodeOf(io: CliIo, json: boolean, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (isDomainError(error)) {
      io.err(json ? JSON.stringify({ error: error.code, message: error.message, field: error.field }) : error.message);
      return 1;
    }
    io.err(`Postbag hit an unexpected problem and changed nothing for this command: ${(error as Error).message ?? error}`);
    return 70;
  }
}

const requestIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "--request takes an id of up to 100 letters, digits, dots, colons, dashes or underscores.");

/** `--request <id>`: a script's own id for this request, so running it again is a retry, not a second change. */
function requestKeyFrom(id: string | undefined): string | undefined {
  return id === undefined ? undefined : `cli:${parseInput(requestIdSchema, id)}`;
}

function stripGlobalFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index]!;
    if (token === "--json") continue;
    if (OWN_FLAGS.includes(token)) {
      index += 1;
      continue;
    }
    if (OWN_FLAGS.some((flag) => token.startsWith(`${flag}=`))) continue;
    out.push(token);
  }
  return out;
}

/**
 * Who a command acts as: the member of staff named by --as (or POSTBAG_CLI_AS), or for audit,
 * sar and erase a named --operator. Never an anonymous console. Null: the first `staff add`.
 */
async function resolveActor(postbag: Postbag, command: Command, who: { as?: string; operator?: string; defaultAs?: string }): Promise<Actor | null> {
  if (who.operator !== undefined) {
    if (who.as) throw new DomainError("invalid_input", "Give --as or --operator, not both.");
    if (!OPERATOR_COMMANDS.has(command.name)) {
      throw new DomainError("not_permitted", "--operator is for audit, sar and erase only. Act as a member of staff: add --as <your name, email or Slack user id>.");
    }
    return operatorActor(who.operator);
  }
  // The first `staff add` needs nobody (it makes the first admin); a default person comes in only if staff exist.
  const as = who.as ?? (command.name === "staff-add" ? undefined : who.defaultAs);
  if (as) return postbag.core.staff.resolveActor({ lookup: as });
  if (command.name === "staff-add") return null;
  const operatorHint = OPERATOR_COMMANDS.has(command.name) ? ` To run ${command.name} as someone without a staff record, name yourself: --operator "<your name>".` : "";
  throw new DomainError("not_permitted", `Say who you are: add --as <your name, email or Slack user id>, or set POSTBAG_CLI_AS for this console.${operatorHint}`);
}

/**
 * A person at the console who runs an operator operation: acts with a manager's reach for
 * that command alone, and is recorded by the name given. Not the OS user name: on a server
 * that is a service account (root, postbag) that names nobody.
 */
function operatorActor(name: string): Actor {
  return { id: 0, name: `${parseInput(operatorSchema, name)} (operator)`, roles: ["manager"] };
}

/**
 * The very first `staff add` on an empty database needs no --as: it makes the first admin.
 * Once staff exist, it acts as POSTBAG_CLI_AS if that is set.
 */
async function bootstrap(postbag: Postbag, command: Command, defaultAs: string | undefined, run: (actor: Actor) => Promise<CommandResult>): Promise<CommandResult> {
  if (command.name !== "staff-add") throw new DomainError("not_permitted", "Say who you are with --as.");
  try {
    const { staff } = await postbag.core.staff.registerStaff(null, {
      name: command.staffName,
      roles: command.roles,
      email: command.email,
      slackUserId: command.slackUserId,
      teamsUserId: command.teamsUserId,
    });
    return { kind: "staff", staff: [staff], message: `Registered ${staff.name} as the first admin (${staff.roles.join(", ")}).` };
  } catch (error) {
    if (!defaultAs || !isDomainError(error) || error.code !== "not_permitted") throw error;
    return run(await postbag.core.staff.resolveActor({ lookup: defaultAs }));
  }
}

async function migrate(config: Config, io: CliIo): Promise<number> {
  const db = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(db);
    io.out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "The database is up to date.");
    return 0;
  } finally {
    await db.close();
  }
}

/** `attach <ref> <file>`: the file is read here, on the console, as `import` reads its spreadsheet; the core checks it. */
async function withFileRead(command: Command, files: CliFiles): Promise<Command> {
  if (command.name === "template-set") return { ...command, text: new TextDecoder().decode(await readConsoleFile(files, command.file)) };
  if (command.name === "case-action" && command.action === "redraft") {
    const path = command.input.path;
    if (typeof path !== "string" || !path) throw new DomainError("invalid_input", "Say which file holds the new words: postbag redraft <ref> <n> <file>.");
    return { ...command, input: { ...command.input, path: undefined, text: new TextDecoder().decode(await readConsoleFile(files, path)) } };
  }
  if (command.name !== "case-action" || command.action !== "attach") return command;
  const path = command.input.path;
  if (typeof path !== "string" || !path) throw new DomainError("invalid_input", "Say which file: postbag attach <ref> <file>.");
  const bytes = await readConsoleFile(files, path);
  return { ...command, input: { ...command.input, path: undefined, filename: basename(path), bytes } };
}

async function readConsoleFile(files: CliFiles, path: string): Promise<Uint8Array> {
  try {
    return await files.read(path);
  } catch {
    throw new DomainError("invalid_input", `Cannot read ${path}. Check the path.`);
  }
}

/** Imports a casework spreadsheet row by row: a bad row is reported by line and skipped whole. */
async function importCsv(postbag: Postbag, file: string | undefined, as: string | undefined, files: CliFiles, io: CliIo, json: boolean): Promise<number> {
  if (!file) throw new DomainError("invalid_input", "Say which file: postbag import <file.csv> --as <staff>.");
  if (!as) throw new DomainError("not_permitted", "Say who you are: add --as <your name, email or Slack user id>.");
  const actor = await postbag.core.staff.resolveActor({ lookup: as });
  let text: string;
  try {
    text = new TextDecoder().decode(await files.read(file));
  } catch {
    throw new DomainError("invalid_input", `Cannot read ${file}. Check the path.`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ""), {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase().replace(/[\s-]+/g, "_")),
      // Undo the export's formula neutralisation, so export → import gives back the same values.
      cast: (value: string) => restoreCell(value),
      skip_empty_lines: true,
      info: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new DomainError("invalid_input", `${file} is not a readable CSV file: ${(error as Error).message}`);
  }
  const report = { imported: [] as string[], skipped: 0, failed: [] as { line: number; message: string }[] };
  for (const { record, info } of records) {
    try {
      const { view, created } = await postbag.core.cases.importCase(actor, record, { platform: "import" });
      if (created) report.imported.push(view.reference);
      else report.skipped += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      report.failed.push({ line: info.lines, message: error.field ? `${error.field}: ${error.message}` : error.message });
    }
  }
  if (json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(`Imported ${report.imported.length} case(s)${report.imported.length ? `: ${report.imported.join(", ")}` : ""}. Already imported, skipped: ${report.skipped}.`);
    for (const failure of report.failed) io.err(`Line ${failure.line}: ${failure.message} — nothing from this row was written.`);
  }
  return report.failed.length ? 1 : 0;
}

function caseJson(view: CaseView) {
  return { ...view, timeline: view.timeline?.entries ?? [], timelineTotal: view.timeline?.total ?? 0 };
}

/** The digest as data: each section with its full count and the cases listed, each with the deadline that put it there. */
function digestJson(digest: Digest) {
  return {
    kind: digest.kind,
    asOf: digest.asOf,
    late: digest.late,
    recipient: digest.recipient ?? null,
    // The staff Postbag cannot message (manager digest), each with why in codes and in words.
    unreachableStaff: (digest.unreachable ?? []).map(({ id, name, reasons, why, failedAt }) => ({ id, name, reasons, why, failedAt: failedAt?.toISOString() ?? null })),
    sections: digest.sections.map((section) => ({
      key: section.key,
      title: section.title,
      count: section.count,
      listed: section.cases.length,
      seeAll: section.seeAll,
      cases: section.cases.map((view) => {
        const deadline = nextDeadline(view) ?? view.response;
        return {
          reference: view.reference,
          status: view.status,
          assignee: view.assignee?.name ?? null,
          deadline: { step: deadline.step, due: deadline.due, state: deadline.state, workingDaysLate: deadline.workingDaysLate },
          flags: caseFlags(view),
        };
      }),
    })),
  };
}

function toJson(result: CommandResult): unknown {
  switch (result.kind) {
    case "case":
      return caseJson(result.view);
    case "cases":
      return result.views.map(caseJson);
    case "staff":
      // Each record, with why Postbag cannot message them (null: it can).
      return result.staff.map((staff) => ({ ...staff, unreachable: result.unreachable?.find((person) => person.id === staff.id)?.why ?? null }));
    case "partners":
      return result.partners;
    case "report":
      return result.report;
    case "themes":
      return result.themes;
    case "audit":
      return result.report;
    case "audit-log":
      return result.events;
    case "retention":
      return { cutoff: result.cutoff, total: result.total, cases: result.cases };
    case "digest":
      return digestJson(result.digest);
    case "jobs":
      return result.runs;
    case "message":
      return { message: result.message };
    case "templates":
      return result.versions;
    case "template":
      return { ...result.version, merged: result.merged ?? null };
    default:
      return { help: resultText(result) };
  }
}

/**
 * Prints a result, or writes its files: an export to --out (or stdout), subject access
 * files into the --out directory (or the readable text to stdout), a report's chart to --chart.
 */
async function writeOutputs(result: CommandResult, options: { out?: string; chart?: string; json: boolean }, files: CliFiles, io: CliIo): Promise<void> {
  if (result.kind === "report" && options.chart) {
    await files.write(options.chart, await renderWeeklyChart(result.report));
  }
  if (result.kind === "files") {
    if (options.out) {
      const single = result.files.length === 1 && !(await files.isDirectory(options.out));
      if (!single) await files.mkdir(options.out);
      for (const file of result.files) await files.write(single ? options.out : join(options.out, file.filename), file.content, 0o600);
      io.out(`${result.message}\nWritten: ${result.files.map((file) => (single ? options.out : join(options.out!, file.filename))).join(", ")}`);
      return;
    }
    if (result.figures && !options.json) {
      io.out(`${result.message}\nAdd --out <folder> to write ${result.files.map((file) => file.filename).join(" and ")}.`);
      return;
    }
    const readable = result.files.filter((file) => typeof file.content === "string");
    const wanted = readable.find((file) => (options.json ? file.mimeType === "application/json" : file.mimeType !== "application/json")) ?? readable[0];
    // A file kept on the case (a letter made) is done: say where it is. Another (a scan, a photo) is never poured onto the terminal.
    if (!wanted && result.kept) {
      io.out(`${result.message}\n${result.kept} (add --out <path> to write it).`);
      return;
    }
    if (!wanted) throw new DomainError("invalid_input", `${result.message} Say where to write it: add --out <path>.`);
    io.out(wanted.content as string);
    return;
  }
  io.out(options.json ? JSON.stringify(toJson(result), null, 2) : resultText(result, "postbag "));
}

