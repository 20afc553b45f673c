import type { TimelineEntryRecord } from "./case-record.ts";
import { caseActionSpec, cardOffers, type CaseAction, type OfferContext } from "./case-actions.ts";
import { ENTRY_LABELS } from "./vocabulary.ts";

/**
 * A button pressed, or a form saved, on a card showing an older version of the case: since
 * the card was shown, others changed the case (`since`: the entries written meanwhile, oldest
 * first). Whether the person's request is still acted on, on the case as it is now.
 *
 * The rule, so that a note or a call never makes anyone's older card fail:
 *  1. the one table (case-actions.ts: `cardOffers`) still offers the same control to this
 *     person on the case as it is now — the same action, and for one offered several times
 *     over the same value (the same letter, the same template); and
 *  2. nothing the action rests on changed meanwhile: no entry of a type its table entry names
 *     in `restsOn` was written (for a step on a letter or email, only entries about that one
 *     count). Assign to me rests on who has the case; Approve on the words being approved;
 *     Edit details on the details the form showed.
 * Anything else written meanwhile does not matter: the action is then decided on the current
 * case by the same rules as ever. Otherwise it truly conflicts, and the refusal says what
 * changed (entry labels and who made them: nothing a withheld card does not show).
 */
export type StaleCardDecision = { act: true } | { act: false; changed: string };

/** What was pressed: the action, and the value its control carried when it is one of several. */
export interface Pressed {
  action: CaseAction;
  value?: string | number;
}

/** More changes than this since a card was shown, and it is simply too old to act on. */
export const MOST_CHANGES_SINCE = 50;

export function decideOnOlderCard(pressed: Pressed, now: Omit<OfferContext, "fullAccess">, since: readonly TimelineEntryRecord[]): StaleCardDecision {
  const reference = now.record.reference;
  const refuse = (entries: readonly TimelineEntryRecord[]) => ({
    act: false as const,
    changed: `Nothing was done: ${reference} changed after your card was shown${entries.length ? ` (${said(entries)})` : ""}. The card now shows ${reference} as it is.`,
  });
  if (since.length > MOST_CHANGES_SINCE) return refuse(since.slice(-3));
  if (!stillOffered(pressed, now)) return refuse(since.slice(-3));
  const spec = caseActionSpec(pressed.action);
  const restsOn = spec.restsOn ?? [];
  const onItem = spec.variants?.field === "item" && pressed.value !== undefined ? Number(pressed.value) : undefined;
  const conflicting = since.filter((entry) => restsOn.includes(entry.type) && (onItem === undefined || entry.detail.item === onItem));
  return conflicting.length ? refuse(conflicting.slice(-3)) : { act: true };
}

function stillOffered({ action, value }: Pressed, now: Omit<OfferContext, "fullAccess">): boolean {
  const offers = cardOffers(now);
  if (caseActionSpec(action).variants && value !== undefined) {
    return offers.variants.some((variant) => variant.action === action && String(variant.value) === String(value));
  }
  return offers.actions.includes(action) || offers.menus.includes(action);
}

/** "Assigned by Cora Caseworker; Note by Maya Manager": what happened, and who did it. */
function said(entries: readonly TimelineEntryRecord[]): string {
  return entries
    .map((entry) => {
      const item = typeof entry.detail.item === "number" ? `item ${entry.detail.item}: ` : "";
      return `${item}${ENTRY_LABELS[entry.type] ?? entry.type} by ${entry.actor?.name ?? "Postbag"}`;
    })
    .join("; ");
}
