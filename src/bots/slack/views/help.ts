import type { KnownBlock } from "./block-kit.ts";
import { USAGE } from "../../shared/commands.ts";
import { SLASH_COMMAND } from "../ids.ts";
import { escapeMrkdwn } from "./limits.ts";

const SLACK_USAGE: Record<string, string> = {
  ...USAGE,
  log: `log   (opens a form)   ·   ${USAGE.log}`,
  assign: "assign <ref> <@person|me>",
  staff: "staff add <@person> <caseworker|manager|admin|viewer[,…]>   ·   staff list",
};

export function helpBlocks(unknown?: string): KnownBlock[] {
  const lines = Object.values(SLACK_USAGE).map((usage) => `\`${SLASH_COMMAND} ${escapeMrkdwn(usage)}\``);
  const intro = unknown ? `I don't know \`${escapeMrkdwn(unknown.slice(0, 50))}\`. Here is what \`${SLASH_COMMAND}\` understands:` : `*Postbag* — \`${SLASH_COMMAND}\` understands:`;
  return [
    { type: "section", text: { type: "mrkdwn", text: intro } },
    { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
    { type: "context", elements: [{ type: "mrkdwn", text: "Case references look like PFCC-2026-0042. The *Log as case* shortcut on any message logs it." }] },
  ];
}
