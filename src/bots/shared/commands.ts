import { DomainError } from "../../domain/errors.ts";
import type { WorkEntryType } from "../../domain/cases/vocabulary.ts";
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
  | { name: "ack"; reference: string; method?: string }
  | { name: "assign"; reference: string; assignee: string }
  | { name: "entry"; reference: string; type: WorkEntryType; text: string }
  | { name: "refer"; reference: string; partner: string; workingDays?: number; text?: string }
  | { name: "partner-reply"; reference: string; text: string; partner?: string }
  | { name: "chase"; reference: string; partner?: string }
  | { name: "respond"; reference: string; text: string }
  | { name: "close"; reference: string; outcome: string; text?: string }
  | { name: "reopen"; reference: string; reason: string }
  | { name: "list"; which: ListName }
  | { name: "search"; text: string }
  | { name: "staff-add"; staffName: string; roles: string; email?: string; slackUserId?: string; teamsUserId?: string }
  | { name: "staff-list" }
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

export const USAGE: Record<string, string> = {
  log: 'log <channel> <received YYYY-MM-DD> "<constituent name>" <subject…> [--kind K] [--theme T]… [--sensitive] [--summary S] [--email E] [--phone P] [--address A] [--assign <staff|me>]',
  show: "show <ref>",
  ack: "ack <ref> [letter|email|phone|in-person|social]",
  assign: "assign <ref> <staff|me>",
  note: "note <ref> <text…>   (also: call, email, letter, meeting, holding; add --in for a call or email received)",
  refer: 'refer <ref> "<partner>" [working days]',
  "partner-reply": "partner-reply <ref> <text…> [--partner P]",
  chase: "chase <ref> [--partner P]",
  respond: "respond <ref> <text…>",
  close: "close <ref> <responded|no-response-needed|withdrawn|duplicate|transferred> [note…]",
  reopen: "reopen <ref> <reason…>",
  mine: "mine",
  overdue: "overdue   (also: due-soon, stale, unassigned)",
  search: "search <name, email, phone, subject or reference>",
  digest: "digest   (preview today's manager digest)   ·   digest here   ·   digest off",
  jobs: "jobs   (the scheduled runs: digests, stale flagging)",
  report: "report [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]   (managers, viewers; the last complete month by default)",
  themes: "themes [YYYY-MM | YYYY-MM..YYYY-MM]   (counts by theme and kind, with example references)",
  audit: "audit   (managers: the no-loss audit)   ·   audit-log [how many]   (sensitive reads, exports, erasures)",
  export: "export [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]   (managers: the cases as a CSV spreadsheet)",
  sar: "sar <case reference, email, phone, #id or full name>   (managers: subject access files)",
  erase: "erase <ref | constituent> [--confirm]   (managers: closed cases only, irreversible)   ·   retention",
  staff: 'staff add "<full name>" --role caseworker[,manager,admin,viewer] [--email E] [--slack U…] [--teams <id>]   ·   staff list',
};

const SWITCHES = ["sensitive", "in", "json", "confirm"];

/** Typed entries: the word people say, and whether `--in` makes it incoming. */
const ENTRY_WORDS: Record<string, { out: WorkEntryType; in?: WorkEntryType }> = {
  note: { out: "note" },
  call: { out: "call_out", in: "call_in" },
  email: { out: "email_out", in: "email_in" },
  letter: { out: "letter_out" },
  meeting: { out: "meeting" },
  holding: { out: "holding_reply" },
  "holding-reply": { out: "holding_reply" },
};

const ROLE_LIST = /^(admin|caseworker|manager|viewer)(,(admin|caseworker|manager|viewer))*$/i;

const LISTS: readonly ListName[] = ["mine", "overdue", "due-soon", "stale", "unassigned"];

function usageError(command: string, problem: string): DomainError {
  const usage = USAGE[command] ?? USAGE[ENTRY_WORDS[command] ? "note" : command];
  return new DomainError("invalid_input", `${problem} Usage: ${usage}`);
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
  const [reference = "", ...words] = args.positional;
  const text = words.join(" ");

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
    case "ack":
    case "acknowledge":
      need(args, "ack", 1, "Say which case");
      return { name: "ack", reference, method: words[0]?.toLowerCase() };
    case "assign":
      need(args, name, 2, "Say which case and who should have it");
      return { name, reference, assignee: text };
    case "refer": {
      need(args, name, 2, "Say which case and which partner");
      const last = words[words.length - 1]!;
      const days = words.length > 1 && /^\d+$/.test(last) ? Number(last) : undefined;
      const partner = (days === undefined ? words : words.slice(0, -1)).join(" ");
      return { name, reference, partner, workingDays: days, text: flag(args, "note") };
    }
    case "partner-reply":
      need(args, name, 2, "Say which case and what the partner said");
      return { name, reference, text, partner: flag(args, "partner") };
    case "chase":
      need(args, name, 1, "Say which case");
      return { name, reference, partner: flag(args, "partner") ?? (text || undefined) };
    case "respond":
      need(args, name, 2, "Say which case and summarise the response sent");
      return { name, reference, text };
    case "close":
      need(args, name, 2, "Say which case and the outcome");
      return { name, reference, outcome: words[0]!.toLowerCase(), text: words.slice(1).join(" ") || undefined };
    case "reopen":
      need(args, name, 2, "Say which case and why it is reopened");
      return { name, reference, reason: text };
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
  const entry = ENTRY_WORDS[name];
  if (entry) {
    need(args, name, 2, "Say which case and what happened");
    const incoming = flag(args, "in") === "true";
    return { name: "entry", reference, type: incoming && entry.in ? entry.in : entry.out, text };
  }
  return { name: "help", unknown: word };
}
