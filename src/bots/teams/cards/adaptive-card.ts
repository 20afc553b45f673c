import { teamsText } from "./teams-text.ts";

/**
 * Just enough of the Adaptive Card 1.5 object model for Postbag's cards, and the
 * Teams limits they are built to. Builders in this folder are pure functions of
 * core data; `test/teams/cards.test.ts` checks every one with Microsoft's parser.
 */

export type CardElement = Record<string, unknown> & { type: string };
export type CardAction = Record<string, unknown> & { type: "Action.Execute" | "Action.Submit" | "Action.OpenUrl" | "Action.ShowCard" };

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardAction[];
  /** Universal Actions' refresh: Teams invokes `action` for the card as it is now when it is opened (automatically for `userIds`, ≤ 60). */
  refresh?: { action: CardAction; userIds?: string[] };
  msteams?: { width?: "Full" };
}

/** Teams answers 413 past its size limit (documented anywhere from 40 to 100 KB); stay well under. */
export const MAX_CARD_BYTES = 28 * 1024;

/** The most actions a card shows in a row (the Adaptive Cards host default Teams keeps); the rest go under "More". */
export const MAX_ACTIONS = 5;

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length ? { actions: withOverflow(actions) } : {}),
    msteams: { width: "Full" },
  };
}

function withOverflow(actions: CardAction[]): CardAction[] {
  if (actions.length <= MAX_ACTIONS) return actions;
  const more: CardAction = {
    type: "Action.ShowCard",
    title: "More…",
    // Its own row holds as many again; past that, another "More…" within it.
    card: { type: "AdaptiveCard", body: [], actions: withOverflow(actions.slice(MAX_ACTIONS - 1)) },
  };
  return [...actions.slice(0, MAX_ACTIONS - 1), more];
}

/** Cuts text to a length a card can carry, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text, wrap: true, ...options };
}

export function heading(text: string): CardElement {
  return textBlock(text, { size: "Large", weight: "Bolder", style: "heading" });
}

export function factSet(facts: [string, string][]): CardElement {
  return { type: "FactSet", facts: facts.map(([title, value]) => ({ title, value })) };
}

export function execute(title: string, verb: string, data: Record<string, unknown>, options: Record<string, unknown> = {}): CardAction {
  return { type: "Action.Execute", title, verb, data, ...options };
}

/** A message under an input, shown when the core refused that field (it may echo what was typed: escaped). */
export function fieldError(message: string | undefined): CardElement[] {
  return message ? [textBlock(teamsText(message), { color: "Attention", size: "Small", spacing: "None" })] : [];
}
