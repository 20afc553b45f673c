import { CASE_ACTION_NAMES, caseActionSpec, type CaseAction, type SaidCommand } from "../../domain/cases/case-actions.ts";
import { DomainError } from "../../domain/errors.ts";
import { splitFlags, tokenize, type ParsedArgs } from "./tokenize.ts";

/**
 * The one command language of Postbag, spoken at the CLI, in Slack's /case and to
 * the Teams bot. Parsing only: the core validates every value.
 */
export type Command =
  | { name: "help"; unknown?: string }
  | { name: "log-form" }
  | { name: "log"; input: LogCommandInput }
  | { name: "show"; reference: string }
  /** One action of the core's table (case-actions.ts), with the input its words gave. */
  | { name: "case-action"; action: CaseAction; input: Record<string, unknown> }
  | { name: "list"; which: ListName }
  | { name: "search"; text: string }
  | { name: "staff-add"; staffName: string; roles: string; email?: string; slackUserId?: string; teamsUserId?: string }
  | { name: "staff-list" }
  | { name: "staff-roles"; who: string; roles: string }
  | { name: "staff-deactivate"; who: string; reason: string }
  | { name: "staff-reactivate"; who: string }
  | { name: "digest"; asOf?: string }
  | { name: "digest-here" }
  | { name: "digest-off" }
  | { name: "jobs" }
  | { name: "report"; period?: string }
  | { name: "themes"; period?: string }
  | { name: "audit" }
  | { name: "audit-log"; limit?: number }
  | { name: "export"; period?: string }
  | { name: "sar"; who: string }
  | { name: "erase"; target: string; confirm: boolean }
  | { name: "retention" };

export type ListName = "mine" | "overdue" | "due-soon" | "stale" | "unassigned";

export interface LogCommandInput {
  channel: string;
  receivedOn: string;
  constituent: { name: string; email?: string; phone?: string; address?: string };
  subject: string;
  summary?: string;
  kind?: string;
  themes: string[];
  sensitive: boolean;
  assignee?: string;
}

/** Each case action's usage line, from the core's table. */
const ACTION_USAGE = Object.fromEntries(CASE_ACTION_NAMES.map((name) => [name, caseActionSpec(name).command.usage]));

export const USAGE: Record<string, string> = {
  log: 'log <channel> <received YYYY-MM-DD> "<constituent name>" <subject…> [--kind K] [--theme T]… [--sensitive] [--summary S] [--email E] [--phone P] [--address A] [--assign <staff|me>]',
  show: "show <ref>",
  ...ACTION_USAGE,
  mine: "mine",
  overdue: "overdue   (also: due-soon, stale, unassigned)",
  search: "search <name, email, phone, subject or reference>",
  digest: "digest   (preview today's manager digest)   ·   digest here   ·   digest off",
  jobs: "jobs   (the scheduled runs: digests, stale flagging)",
  report: "report [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]   (managers, viewers; the last complete month by default)",
  themes: "themes [YYYY-MM | YYYY-MM..YYYY-MM]   (counts by theme and kind, with example references)",
  audit: "audit   (managers: the no-loss audit)   ·   audit-log [how many]   (sensitive reads, corrections, exports, erasures)",
  export: "export [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]   (managers: the cases as a CSV spreadsheet)",
  sar: "sar <case reference, email, phone, #id or full name>   (managers: subject access files)",
  erase: "erase <ref | constituent> [--confirm]   (managers: closed cases only, irreversible)   ·   retention",
  staff: 'staff add "<full name>" --role caseworker[,manager,admin,viewer] [--email E] [--slack U…] [--teams <id>]   ·   staff list   ·   (managers) staff roles "<person>" <roles>   ·   staff deactivate "<person>" <reason…>   ·   staff reactivate "<person>"',
};

/** The command word of each case action, from the core's table. */
const ACTION_WORDS = new Map<string, CaseAction>(CASE_ACTION_NAMES.flatMap((name) => caseActionSpec(name).command.words.map((word) => [word, name] as const)));

const SWITCHES = ["sensitive", "json", "confirm", ...CASE_ACTION_NAMES.flatMap((name) => caseActionSpec(name).command.switches ?? [])];

const ROLE_LIST = /^(admin|caseworker|manager|viewer)(,(admin|caseworker|manager|viewer))*$/i;

const LISTS: readonly ListName[] = ["mine", "overdue", "due-soon", "stale", "unassigned"];

function usageError(command: string, problem: string): DomainError {
  return new DomainError("invalid_input", `${problem} Usage: ${USAGE[command]}`);
}

function flag(args: ParsedArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values?.[values.length - 1];
}

function need(args: ParsedArgs, command: string, count: number, what: string): string[] {
  if (args.positional.length < count) throw usageError(command, `${what}.`);
  return args.positional;
}

/** Parses command text, or pre-split words (the CLI's argv), into a Command. */
export function parseCommand(input: string | readonly string[]): Command {
  const tokens = typeof input === "string" ? tokenize(input) : [...input];
  const [word = "", ...rest] = tokens;
  const name = word.toLowerCase();
  const args = splitFlags(rest, SWITCHES);
  const [reference = ""] = args.positional;

  switch (name) {
    case "":
    case "help":
      return { name: "help" };
    case "log": {
      if (args.positional.length === 0 && args.flags.size === 0) return { name: "log-form" };
      const [channel, receivedOn, constituentName, ...subject] = need(args, "log", 4, "Give the channel, date received, constituent and subject");
      return {
        name: "log",
        input: {
          channel: channel!.toLowerCase(),
          receivedOn: receivedOn!,
          constituent: { name: constituentName!, email: flag(args, "email"), phone: flag(args, "phone"), address: flag(args, "address") },
          subject: subject.join(" "),
          summary: flag(args, "summary"),
          kind: flag(args, "kind")?.toLowerCase(),
          themes: args.flags.get("theme") ?? [],
          sensitive: flag(args, "sensitive") === "true",
          assignee: flag(args, "assign"),
        },
      };
    }
    case "show":
      need(args, name, 1, "Say which case");
      return { name, reference };
    case "search":
      if (args.positional.length === 0) throw usageError(name, "Say what to search for.");
      return { name, text: args.positional.join(" ") };
    case "digest": {
      const [sub = ""] = args.positional;
      if (sub === "here") return { name: "digest-here" };
      if (sub === "off") return { name: "digest-off" };
      if (sub) throw usageError("digest", `Unknown digest option “${sub.slice(0, 40)}”.`);
      return { name: "digest", asOf: flag(args, "as-of") };
    }
    case "jobs":
      return { name: "jobs" };
    case "report":
    case "themes":
    case "export":
      if (args.positional.length > 1) throw usageError(name, "Give one period.");
      return { name, period: args.positional[0] };
    case "audit":
      return { name: "audit" };
    case "audit-log": {
      const limit = args.positional[0];
      if (limit !== undefined && !/^\d{1,3}$/.test(limit)) throw usageError("audit", "Say how many entries, as a number.");
      return { name: "audit-log", limit: limit === undefined ? undefined : Number(limit) };
    }
    case "sar":
      if (args.positional.length === 0) throw usageError(name, "Say whose data.");
      return { name, who: args.positional.join(" ") };
    case "erase":
      if (args.positional.length === 0) throw usageError(name, "Say which case or constituent.");
      return { name, target: args.positional.join(" "), confirm: flag(args, "confirm") === "true" };
    case "retention":
      return { name: "retention" };
    case "staff": {
      const [sub = "", ...names] = args.positional;
      if (sub === "list") return { name: "staff-list" };
      if (sub === "roles") {
        if (names.length < 2) throw usageError("staff", "Say who and their roles.");
        return { name: "staff-roles", who: names[0]!, roles: names.slice(1).join(",") };
      }
      if (sub === "deactivate") {
        if (names.length < 2) throw usageError("staff", "Say who and why.");
        return { name: "staff-deactivate", who: names[0]!, reason: names.slice(1).join(" ") };
      }
      if (sub === "reactivate") {
        if (names.length !== 1) throw usageError("staff", "Say who (quote a full name).");
        return { name: "staff-reactivate", who: names[0]! };
      }
      if (sub !== "add" || names.length === 0) throw usageError("staff", "Say what to do with staff.");
      // `staff add <@U…> caseworker,manager` (Slack, Teams) or `staff add "Name" --role …` (CLI).
      const trailingRoles = !flag(args, "role") && !flag(args, "roles") && names.length > 1 && ROLE_LIST.test(names.at(-1)!) ? names.pop() : undefined;
      const roles = flag(args, "role") ?? flag(args, "roles") ?? trailingRoles;
      if (!roles) throw usageError("staff", "Give a role with --role.");
      return {
        name: "staff-add",
        staffName: names.join(" "),
        roles,
        email: flag(args, "email"),
        slackUserId: flag(args, "slack"),
        teamsUserId: flag(args, "teams"),
      };
    }
  }
  if (LISTS.includes(name as ListName)) return { name: "list", which: name as ListName };
  const action = ACTION_WORDS.get(name);
  if (action) return { name: "case-action", action, input: readAction(action, name, args) };
  return { name: "help", unknown: word };
}

/** A case action's input from its words, read as the core's table says. */
function readAction(action: CaseAction, word: string, args: ParsedArgs): Record<string, unknown> {
  const said: SaidCommand = {
    word,
    words: args.positional,
    flag: (name) => flag(args, name),
    need: (count, problem) => {
      if (args.positional.length < count) throw usageError(action, `${problem}.`);
    },
  };
  return caseActionSpec(action).command.read(said);
}
