import { CASE_ACTION_NAMES, caseActionSpec, type CaseAction, type SaidCommand } from "../../domain/cases/case-actions.ts";
import { DomainError } from "../../domain/errors.ts";
import { quoteWord, refuseRunOnFlagValues, refuseUnquotedName, refuseUnquotedNameBeforeRoles } from "./quoted-names.ts";
import { argvWords, splitFlags, tokenizeWords, type ParsedArgs } from "./tokenize.ts";

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
  | { name: "constituent-show"; who: string }
  | { name: "constituent-merge"; keep: string; other: string; reason: string }
  | { name: "staff-add"; staffName: string; roles: string; email?: string; slackUserId?: string; teamsUserId?: string }
  | { name: "staff-list" }
  | { name: "staff-roles"; who: string; roles: string }
  | { name: "staff-deactivate"; who: string; reason: string }
  | { name: "staff-reactivate"; who: string }
  | { name: "staff-link"; who: string; slackUserId?: string; teamsUserId?: string; email?: string }
  | { name: "staff-unlink"; who: string; platforms: ("slack" | "teams")[] }
  | { name: "partner-list" }
  | { name: "partner-add"; partnerName: string; aliases: string[]; replyDays?: string; contact?: string }
  /** Teams of staff and their queues (domain/teams). */
  | { name: "team-list" }
  | { name: "team-add"; team: string; lead?: string; caseTypes?: string }
  | { name: "team-change"; team: string; lead?: string; caseTypes?: string }
  | { name: "team-member"; team: string; person: string; joining: boolean }
  | { name: "queue"; team: string }
  | { name: "partner-change"; partner: string; addAliases: string[]; removeAliases: string[]; replyDays?: string; contact?: string; rename?: string; active?: boolean }
  | { name: "digest"; asOf?: string }
  | { name: "digest-here" }
  | { name: "digest-off" }
  | { name: "jobs" }
  /** `here`: in Slack, posted in the channel the command was typed in, not privately. */
  | { name: "report"; period?: string; here?: boolean }
  | { name: "themes"; period?: string }
  /** The quarter's complaints and requests statement, with its spreadsheet and page. */
  | { name: "statement"; quarter?: string }
  | { name: "audit" }
  | { name: "audit-log"; limit?: number }
  | { name: "export"; period?: string }
  | { name: "sar"; who: string }
  | { name: "erase"; target: string; confirm: boolean }
  /** A file of a case back, by its number on the card or its name. */
  | { name: "file"; reference: string; which: string }
  | { name: "retention" }
  /** Mail intake: the emails received, and each one's triage (domain/intake). */
  | { name: "intake-list"; all: boolean }
  | { name: "intake-show"; id: string }
  | { name: "intake-log"; input: Record<string, unknown> }
  | { name: "intake-attach"; id: string; reference: string }
  | { name: "intake-dismiss"; id: string; reason: string; note?: string }
  | { name: "intake-keep-closed"; id: string }
  /** Where new emails are posted for triage: the channel the command is typed in. */
  | { name: "intake-here" }
  | { name: "intake-off" }
  /** A case's letters and emails, or one of them with its words (domain/letters). */
  | { name: "outgoing"; reference: string; item?: string }
  /** The office's letter and email templates (domain/letters). */
  | { name: "template-list" }
  | { name: "template-show"; key: string; form?: string; version?: string }
  | { name: "template-history"; key: string; form?: string }
  | { name: "template-preview"; key: string; reference: string; form?: string }
  /** Managers, at the console: new words for a template from a file (`text`: the file's contents, read by the console). */
  | { name: "template-set"; key: string; form: string; file: string; note?: string; text?: string };

export type ListName = "mine" | "overdue" | "due-soon" | "stale" | "unassigned" | "force-answers";

export interface LogCommandInput {
  channel: string;
  receivedOn: string;
  constituent: { name: string; email?: string; phone?: string; address?: string };
  subject: string;
  summary?: string;
  kind?: string;
  themes: string[];
  /** Its statutory type, and the dates that type needs (domain/clocks). */
  type?: string;
  outcomeLetterOn?: string;
  misdirectedOn?: string;
  responseSentOn?: string;
  sensitive: boolean;
  assignee?: string;
  /** A known constituent (C12) or "new", when Postbag asks. */
  constituentChoice?: string;
}

/** Each case action's usage line, from the core's table. */
const ACTION_USAGE = Object.fromEntries(CASE_ACTION_NAMES.map((name) => [name, caseActionSpec(name).command.usage]));

export const USAGE: Record<string, string> = {
  log: 'log <channel> <received YYYY-MM-DD> "<constituent name>" <subject…> [--kind K] [--theme T]… [--sensitive] [--summary S] [--email E] [--phone P] [--address A] [--assign <staff|me>] [--constituent C12 | --new-person] [--type foi|foi-review|sar|review|cc-complaint [--outcome-letter YYYY-MM-DD] [--iopc YYYY-MM-DD] [--response-sent YYYY-MM-DD]]',
  show: "show <ref>",
  ...ACTION_USAGE,
  mine: "mine",
  overdue: "overdue   (also: due-soon, stale, unassigned, force-answers: reviews whose recommendation the force has not answered in time)",
  search: "search <name, email, phone, subject or reference>",
  constituent: "constituent show <C12 | case ref>   (their details, every case, records merged in)   ·   (managers) constituent merge <keep: C12 | ref> <other: C15 | ref> <reason…>",
  digest: "digest   (preview today's manager digest)   ·   digest here   ·   digest off",
  jobs: "jobs   (the scheduled runs: digests, stale flagging)",
  report: "report [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD] [here]   (managers, viewers; the last complete month by default; in Slack it is yours alone unless you add here, which posts it in the channel)",
  themes: "themes [YYYY-MM | YYYY-MM..YYYY-MM]   (counts by theme and kind, with example references)",
  statement: "statement [YYYY-Qn]   (managers, viewers: the quarter's complaints and requests statement by type, as CSV and a page to publish; the last complete quarter by default)",
  audit: "audit   (managers: the no-loss audit)   ·   audit-log [how many]   (sensitive reads, corrections, exports, erasures)",
  export: "export [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]   (managers: the cases as a CSV spreadsheet)",
  sar: "sar <case reference, email, phone, #id or full name>   (managers: subject access files)",
  file: "file <ref> <number | name>   (a case's attached file back: at the command line add --out <path>; in Slack it comes to your direct messages)",
  erase: "erase <ref | constituent> [--confirm]   (managers: closed cases only, irreversible)   ·   retention",
  intake: 'intake [list [all]]   ·   intake show <n>   ·   intake log <n> [--name "<constituent>"] [--subject S] [--kind K] [--theme T]… [--sensitive] [--assign <staff|me>] [--constituent C12 | --new-person]   ·   intake attach <n> <ref>   ·   intake dismiss <n> <spam|newsletter|auto-reply|duplicate|not-for-us|other> [note…]   ·   intake keep-closed <n>   ·   (managers) intake here | intake off   (post new emails in this channel for triage, or stop)',
  outgoing: "outgoing <ref> [n]   (the case's letters and emails; with n, one of them with its words and who drafted, approved and sent it)",
  template: 'template list   ·   template show <name> [email|letter] [--version N]   ·   template history <name> [email|letter]   ·   template preview <name> <ref> [email|letter]   ·   (managers, at the console) postbag template set <name> <email|letter> <file> [--note "why"]',
  team: 'team list   ·   (managers) team add "<name>" [--lead <person>] [--types review,cc-complaint,foi,foi-review,sar,none]   ·   team change "<name>" [--lead <person>] [--types …]   ·   team join|leave "<team>" <person>',
  queue: 'queue "<team>"   (the open cases in a team\'s queue: moved there, or of a type routed there)',
  partner: 'partner list   ·   (managers) partner add "<name>" [--alias A]… [--reply-days N] [--contact C]   ·   partner change "<name or alias>" [--alias A]… [--remove-alias A]… [--reply-days N|default] [--contact C] [--rename "<new name>"] [--inactive | --active]',
  staff: 'staff add "<full name>" --role caseworker[,manager,admin,viewer] [--email E] [--slack U…] [--teams <id>]   ·   staff list   ·   (managers) staff roles "<person>" <roles>   ·   staff deactivate "<person>" <reason…>   ·   staff reactivate "<person>"   ·   staff link "<person>" [--slack U…] [--teams <Entra object id>] [--email E]   ·   staff unlink "<person>" --slack|--teams',
};

/** The command word of each case action, from the core's table. */
const ACTION_WORDS = new Map<string, CaseAction>(CASE_ACTION_NAMES.flatMap((name) => caseActionSpec(name).command.words.map((word) => [word, name] as const)));

const SWITCHES = ["sensitive", "json", "confirm", "new-person", "active", "inactive", ...CASE_ACTION_NAMES.flatMap((name) => caseActionSpec(name).command.switches ?? [])];

const ROLE_LIST = /^(admin|caseworker|manager|viewer)(,(admin|caseworker|manager|viewer))*$/i;

const LISTS: readonly ListName[] = ["mine", "overdue", "due-soon", "stale", "unassigned", "force-answers"];

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
  const words = typeof input === "string" ? tokenizeWords(input) : argvWords(input);
  const [first, ...rest] = words;
  const word = first?.text ?? "";
  const name = word.toLowerCase();
  refuseRunOnFlagValues(rest);
  const args = splitFlags(rest, SWITCHES);
  const [reference = ""] = args.positional;

  switch (name) {
    case "":
    case "help":
      return { name: "help" };
    case "log": {
      if (args.positional.length === 0 && args.flags.size === 0) return { name: "log-form" };
      const [channel, receivedOn, constituentName, ...subject] = need(args, "log", 4, "Give the channel, date received, constituent and subject");
      refuseUnquotedName(args, 2, `log ${channel!.slice(0, 20)} ${receivedOn!.slice(0, 20)}`, "the constituent's name");
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
          constituentChoice: flag(args, "new-person") === "true" ? "new" : flag(args, "constituent"),
          type: flag(args, "type"),
          outcomeLetterOn: flag(args, "outcome-letter"),
          misdirectedOn: flag(args, "iopc"),
          responseSentOn: flag(args, "response-sent"),
        },
      };
    }
    case "show":
      need(args, name, 1, "Say which case");
      return { name, reference };
    case "search":
      if (args.positional.length === 0) throw usageError(name, "Say what to search for.");
      return { name, text: args.positional.join(" ") };
    case "constituent": {
      const [sub = "", ...rest] = args.positional;
      if (sub === "show" && rest.length === 1) return { name: "constituent-show", who: rest[0]! };
      if (sub === "merge" && rest.length >= 3) return { name: "constituent-merge", keep: rest[0]!, other: rest[1]!, reason: rest.slice(2).join(" ") };
      throw usageError("constituent", sub === "merge" ? "Say which record to keep, which to merge into it, and why." : "Say which constituent.");
    }
    case "digest": {
      const [sub = ""] = args.positional;
      if (sub === "here") return { name: "digest-here" };
      if (sub === "off") return { name: "digest-off" };
      if (sub) throw usageError("digest", `Unknown digest option “${sub.slice(0, 40)}”.`);
      return { name: "digest", asOf: flag(args, "as-of") };
    }
    case "jobs":
      return { name: "jobs" };
    case "report": {
      const here = args.positional.some((word) => word.toLowerCase() === "here");
      const period = args.positional.filter((word) => word.toLowerCase() !== "here");
      if (period.length > 1) throw usageError(name, "Give one period.");
      return { name, period: period[0], ...(here ? { here } : {}) };
    }
    case "statement":
      if (args.positional.length > 1) throw usageError(name, "Give one quarter, like 2026-Q4.");
      return { name, quarter: args.positional[0] };
    case "export":
    case "themes":
      if (name === "export" && args.positional.some((word) => word.toLowerCase() === "here")) {
        throw new DomainError("invalid_input", "An export holds personal data, so it never goes to a channel: it comes to your direct messages with Postbag in Slack, your personal chat with Postbag in Teams, or a file at the command line (postbag export --out cases.csv).");
      }
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
    case "file":
      need(args, name, 2, "Say which case and which of its files (its number on the card, or its name)");
      return { name, reference, which: args.positional.slice(1).join(" ") };
    case "outgoing":
      need(args, name, 1, "Say which case");
      return { name, reference, item: args.positional[1] };
    case "partner":
      return partnerCommand(args);
    case "team":
    case "teams":
      return teamCommand(args);
    case "queue":
      if (args.positional.length === 0) throw usageError("queue", "Say which team.");
      return { name: "queue", team: args.positional.join(" ") };
    case "intake":
      return intakeCommand(args);
    case "template":
    case "templates":
      return templateCommand(args);
    case "staff": {
      const [sub = "", ...names] = args.positional;
      if (sub === "list") return { name: "staff-list" };
      if (sub === "roles") {
        if (names.length < 2) throw usageError("staff", "Say who and their roles.");
        refuseUnquotedNameBeforeRoles(args, 1, "staff roles");
        return { name: "staff-roles", who: names[0]!, roles: names.slice(1).join(",") };
      }
      if (sub === "deactivate") {
        if (names.length < 2) throw usageError("staff", "Say who and why.");
        refuseUnquotedName(args, 1, "staff deactivate", "the person's name");
        return { name: "staff-deactivate", who: names[0]!, reason: names.slice(1).join(" ") };
      }
      if (sub === "reactivate") {
        if (names.length === 0) throw usageError("staff", "Say who.");
        if (names.length > 1) throw new DomainError("invalid_input", `Put the person's name in quotes: staff reactivate ${quoteWord(names.join(" ").slice(0, 100))}`, "name");
        return { name: "staff-reactivate", who: names[0]! };
      }
      if (sub === "link" || sub === "unlink") return staffLinkCommand(sub, names, args);
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

/** `staff link "<person>" --slack U… --teams <id> --email E` and `staff unlink "<person>" --slack --teams`. */
function staffLinkCommand(sub: "link" | "unlink", names: string[], args: ParsedArgs): Command {
  if (names.length === 0) throw usageError("staff", "Say who.");
  if (names.length > 1) throw new DomainError("invalid_input", `Put the person's name in quotes: staff ${sub} ${quoteWord(names.join(" "))} …`, "name");
  if (sub === "link") return { name: "staff-link", who: names[0]!, slackUserId: flag(args, "slack"), teamsUserId: flag(args, "teams"), email: flag(args, "email") };
  // `--slack` and `--teams` are bare here; one written before the other reads the other as its value.
  const platforms = (["slack", "teams"] as const).filter((platform) => args.flags.has(platform) || [...args.flags.values()].flat().includes(`--${platform}`));
  const given = (["slack", "teams"] as const).map((platform) => flag(args, platform)).find((value) => value && !value.startsWith("--"));
  if (given) throw usageError("staff", `staff unlink takes no id (“${given.slice(0, 40)}”): it removes whichever the person has.`);
  return { name: "staff-unlink", who: names[0]!, platforms: [...platforms] };
}

/** `partner list | add | change`: the partner directory. A name's words are the ones before the flags. */
function teamCommand(args: ParsedArgs): Command {
  const [sub = "list", ...words] = args.positional;
  if (sub === "list") return { name: "team-list" };
  if (sub === "add" || sub === "change") {
    if (words.length === 0) throw usageError("team", "Say the team's name.");
    return { name: sub === "add" ? "team-add" : "team-change", team: words.join(" "), lead: flag(args, "lead"), caseTypes: flag(args, "types") };
  }
  if (sub === "join" || sub === "leave") {
    if (words.length < 2) throw usageError("team", "Say which team and who.");
    return { name: "team-member", team: words[0]!, person: words.slice(1).join(" "), joining: sub === "join" };
  }
  throw usageError("team", "Say what to do with teams.");
}

function partnerCommand(args: ParsedArgs): Command {
  const [sub = "", ...words] = args.positional;
  if (sub === "list" && words.length === 0) return { name: "partner-list" };
  if (sub !== "add" && sub !== "change") throw usageError("partner", "Say what to do with the partner directory.");
  if (words.length === 0) throw usageError("partner", sub === "add" ? "Say the partner's name." : "Say which partner (its name or an alias).");
  const name = words.join(" ");
  if (sub === "add") return { name: "partner-add", partnerName: name, aliases: args.flags.get("alias") ?? [], replyDays: flag(args, "reply-days"), contact: flag(args, "contact") };
  const retire = flag(args, "inactive") === "true";
  const restore = flag(args, "active") === "true";
  if (retire && restore) throw usageError("partner", "Say --inactive or --active, not both.");
  return {
    name: "partner-change",
    partner: name,
    addAliases: args.flags.get("alias") ?? [],
    removeAliases: args.flags.get("remove-alias") ?? [],
    replyDays: flag(args, "reply-days"),
    contact: flag(args, "contact"),
    rename: flag(args, "rename"),
    active: retire ? false : restore ? true : undefined,
  };
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

/** `intake list | show | log | attach | dismiss | keep-closed`: the emails received, and their triage. */
function templateCommand(args: ParsedArgs): Command {
  const [sub = "list", key = "", ...rest] = args.positional;
  switch (sub.toLowerCase()) {
    case "list":
      return { name: "template-list" };
    case "show":
      if (!key) throw usageError("template", "Say which template, by its name (template list shows them).");
      return { name: "template-show", key, form: rest[0], version: flag(args, "version") };
    case "history":
      if (!key) throw usageError("template", "Say which template.");
      return { name: "template-history", key, form: rest[0] };
    case "preview":
      if (!key || !rest[0]) throw usageError("template", "Say which template and which case to preview it with.");
      return { name: "template-preview", key, reference: rest[0], form: rest[1] };
    case "set":
      if (!key || rest.length !== 2) throw usageError("template", "Say which template, which form (email or letter) and the file holding its words.");
      return { name: "template-set", key, form: rest[0]!, file: rest[1]!, note: flag(args, "note") };
    default:
      throw usageError("template", `Unknown template command “${sub.slice(0, 40)}”.`);
  }
}

function intakeCommand(args: ParsedArgs): Command {
  const [sub = "list", id = "", ...rest] = args.positional;
  switch (sub.toLowerCase()) {
    case "list":
      return { name: "intake-list", all: id.toLowerCase() === "all" };
    case "show":
      if (!id) throw usageError("intake", "Say which message, by its number.");
      return { name: "intake-show", id };
    case "log":
      if (!id) throw usageError("intake", "Say which message to log, by its number.");
      return {
        name: "intake-log",
        input: {
          id,
          name: flag(args, "name"),
          subject: flag(args, "subject"),
          kind: flag(args, "kind")?.toLowerCase(),
          themes: args.flags.get("theme") ?? [],
          sensitive: flag(args, "sensitive") === "true",
          assignee: flag(args, "assign"),
          constituentChoice: flag(args, "new-person") === "true" ? "new" : flag(args, "constituent"),
        },
      };
    case "attach":
      if (!id || rest.length !== 1) throw usageError("intake", "Say which message and which case to add it to.");
      return { name: "intake-attach", id, reference: rest[0]! };
    case "dismiss":
      if (!id || rest.length === 0) throw usageError("intake", "Say which message and why it is not casework.");
      return { name: "intake-dismiss", id, reason: rest[0]!.toLowerCase(), note: rest.slice(1).join(" ") || undefined };
    case "keep-closed":
      if (!id) throw usageError("intake", "Say which message.");
      return { name: "intake-keep-closed", id };
    case "here":
      return { name: "intake-here" };
    case "off":
      return { name: "intake-off" };
    default:
      throw usageError("intake", `Unknown intake command “${sub.slice(0, 40)}”.`);
  }
}
