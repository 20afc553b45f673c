import { SLACK_LOOKALIKES } from "../../src/bots/slack/views/slack-text.ts";

/**
 * Words people outside the office could write — in a subject, as their name, in a pasted message
 * — that would be live if posted as they are: Slack mentions, links and formatting, Teams markdown
 * and mentions, text already escaped once, text that reorders itself, text too long for a field.
 */
export const HOSTILE_CORPUS: readonly string[] = [
  "<!here> click <https://evil.example|your case>",
  "<!channel> now",
  "<!everyone> please",
  "ping <@U012345>",
  "see <#C012345>",
  "<https://evil.example|your case>",
  "*bold* claim",
  "_x_ marks",
  "~x~ struck",
  "`code` here",
  "```block``` quote",
  "[link](https://evil.example)",
  "<at>Someone</at> look",
  "# heading",
  "> quoted line",
  "1. listed",
  "- bullet",
  "&lt;!here&gt; as typed",
  "{{DATE(2026-11-24T10:00:00Z, SHORT)}}",
  "مرحبا \u202Eelpmaxe.live\u202C zero\u200Bwidth",
  `long ${"<!here> *x* [y](https://evil.example) ".repeat(60)}`,
];

/** A corpus entry cut to a field's length (names and subjects are at most 200, partner names 120). */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/** Formatting from the corpus that must never reach either platform as written. */
const LIVE_FORMATTING = ["*bold*", "_x_", "~x~", "`code`", "```block```", "*x*"];

/** The strings of a Slack payload that Slack reads as mrkdwn: mrkdwn text objects, a message's `text`, an upload's comment. */
export function slackMrkdwnStrings(payload: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, topLevel: boolean) => {
    if (Array.isArray(node)) return node.forEach((child) => walk(child, false));
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.type === "plain_text") return;
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === "string" && ((key === "text" && (topLevel || record.type === "mrkdwn")) || key === "initial_comment")) found.push(value);
      else walk(value, false);
    }
  };
  walk(payload, true);
  return found;
}

/** What is live in Slack mrkdwn: a control sequence (`<!here>`, `<@U…>`, `<url|label>`), the corpus's formatting, a quote. */
export function liveInSlack(text: string): string[] {
  const live: string[] = [];
  const sequence = text.match(/<[^>]*>?/);
  if (sequence) live.push(`control sequence ${sequence[0].slice(0, 40)}`);
  for (const marks of LIVE_FORMATTING) if (text.includes(marks)) live.push(`formatting ${marks}`);
  const quote = text.match(/^[ \t]*(?:>|&gt;).*/m);
  if (quote) live.push(`quote ${quote[0].slice(0, 40)}`);
  return live;
}

/** Slack mrkdwn as a person reads it: entities decoded, look-alikes read as the marks they show. */
export function slackReads(text: string): string {
  let read = text.replace(/\u200B(?=&gt;)/g, "");
  for (const [mark, lookalike] of Object.entries(SLACK_LOOKALIKES)) read = read.split(lookalike).join(mark);
  return read.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The strings of an Adaptive Card Teams reads as markdown: TextBlock texts, Fact titles and values. */
export function teamsMarkdownStrings(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.type === "TextBlock" && typeof record.text === "string") found.push(record.text);
    if (typeof record.title === "string" && typeof record.value === "string" && !("type" in record)) found.push(record.title, record.value);
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}

/** Whether `text[at]` is escaped by a backslash (itself not escaped). */
function escapedAt(text: string, at: number): boolean {
  let slashes = 0;
  for (let index = at - 1; index >= 0 && text[index] === "\\"; index -= 1) slashes += 1;
  return slashes % 2 === 1;
}

/** What is live in Teams markdown: an unescaped `<` (a mention or tag), `[` (a link), the corpus's formatting, a heading, list or quote, a date function. */
export function liveInTeams(text: string): string[] {
  const live: string[] = [];
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at]!;
    if ((char === "<" || char === "[" || char === ">") && !escapedAt(text, at)) live.push(`unescaped ${char} in ${text.slice(Math.max(0, at - 10), at + 30)}`);
  }
  for (const marks of LIVE_FORMATTING) if (text.includes(marks)) live.push(`formatting ${marks}`);
  const block = text.match(/^[ \t]*(?:#|[-+>]|\d+\.)(?:\s|$).*/m);
  if (block) live.push(`block ${block[0].slice(0, 40)}`);
  if (text.includes("{{")) live.push("date function");
  return live;
}

/** Teams markdown as a person reads it: each backslash escape read as the character it escapes. */
export function teamsReads(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}
