import type { KnownBlock } from "./block-kit.ts";
import { USAGE } from "../../shared/commands.ts";
import { SLASH_COMMAND } from "../ids.ts";
import { slackCode } from "./slack-text.ts";

const SLACK_USAGE: Record<string, string> = {
  ...USAGE,
  log: `log   (opens a form)   ·   ${USAGE.log}`,
  assign: "assign <ref> <@person|me>",
  staff: "staff add <@person> <caseworker|manager|admin|viewer[,…]>   ·   staff list",
};

export function helpBlocks(unknown?: string): KnownBlock[] {
  const lines = Object.values(SLACK_USAGE).map((usage) => `\`${SLASH_COMMAND} ${slackCode(usage)}\``);
  const intro = unknown ? `I don't know \`${slackCode(unknown.slice(0, 50))}\`. Here is what \`${SLASH_COMMAND}\` understands:` : `*Postbag* — \`${SLASH_COMMAND}\` understands:`;
  return [
    { type: "section", text: { type: "mrkdwn", text: intro } },
    // A section holds at most 3,000 characters: the usage lines fill as many as they need.
    ...sections(lines).map((text): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } })),
    { type: "context", elements: [{ type: "mrkdwn", text: "Case references look like PFCC-2026-0042. The *Log correspondence* shortcut opens the log form from anywhere in Slack; *Log as case* on a message logs that message." }] },
  ];
}

function sections(lines: readonly string[], max = 3000): string[] {
  const chunks: string[] = [];
  for (const line of lines) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= max) chunks[chunks.length - 1] = `${last}\n${line}`;
    else chunks.push(line);
  }
  return chunks;
}
