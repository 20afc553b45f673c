import { createRequire } from "node:module";
import { MAX_CARD_BYTES } from "../../src/bots/teams/cards/adaptive-card.ts";
import { ALL_VERBS } from "../../src/bots/teams/verbs.ts";
import { teamsReads } from "./hostile-text.ts";

/**
 * Checks a card against the Adaptive Card rules Teams applies, with Microsoft's own
 * object model (on Node 20 the package loads only from its dist bundle): unknown
 * elements or actions, duplicate ids, the 1.5 schema Teams renders, the size limit,
 * and that every Action.Execute verb is one the bot handles.
 */

const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js");
const KNOWN_VERBS = new Set<string>(ALL_VERBS);

function walkActions(node: unknown, found: { verb?: string; type?: string }[]): void {
  if (Array.isArray(node)) node.forEach((child) => walkActions(child, found));
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.type === "Action.Execute") found.push({ verb: record.verb as string, type: "Action.Execute" });
    Object.values(record).forEach((child) => walkActions(child, found));
  }
}

export function cardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (card.type !== "AdaptiveCard") problems.push(`type is ${String(card.type)}`);
  if (card.version !== "1.5") problems.push(`version is ${String(card.version)}, Teams renders 1.5`);
  const bytes = Buffer.byteLength(JSON.stringify(card), "utf8");
  if (bytes > MAX_CARD_BYTES) problems.push(`card is ${bytes} bytes, over ${MAX_CARD_BYTES}`);
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let index = 0; index < context.eventCount; index += 1) problems.push(`parse: ${context.getEventAt(index).message}`);
  const validation = parsed.validateProperties();
  for (const event of validation.validationEvents) problems.push(`validate: ${event.message}`);
  const actions: { verb?: string }[] = [];
  walkActions(card, actions);
  for (const action of actions) if (!action.verb || !KNOWN_VERBS.has(action.verb)) problems.push(`unknown verb ${String(action.verb)}`);
  return problems;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), "utf8");
}

/** All TextBlock/FactSet text in a card, for asserting what a person would read (markdown escapes read as what they show). */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (typeof record.text === "string") parts.push(teamsReads(record.text));
      if (typeof record.title === "string" && typeof record.value === "string") parts.push(`${teamsReads(record.title)}: ${teamsReads(record.value)}`);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return parts.join("\n");
}
