import { isOutstanding, type CaseView } from "../../../domain/cases/case-view.ts";
import { USAGE } from "../../shared/commands.ts";
import { VERBS } from "../verbs.ts";
import { adaptiveCard, execute, heading, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
import { caseData, deadlineText } from "./case-card.ts";
import { caseFlags } from "../../shared/case-words.ts";
import { teamsText } from "./teams-text.ts";

/** The small cards: errors, lists of cases, help. */

/** A refusal or failure, in words a person can act on (it may echo what they typed: escaped); with a way back to the case when there is one. */
export function errorCard(message: string, reference?: string): AdaptiveCard {
  return adaptiveCard(
    [textBlock("Nothing was changed", { weight: "Bolder", color: "Attention" }), textBlock(teamsText(message, 2000))],
    reference ? [execute("Show the case", VERBS.show, { reference }, { associatedInputs: "none" })] : [],
  );
}

/** Enough rows to be useful, few enough to stay far inside the card size limit. */
export const LIST_ROWS = 25;

export function listRow(view: CaseView): CardElement {
  const who = view.redacted ? "(sensitive)" : `${teamsText(view.constituent?.name ?? "", 80)} — ${teamsText(view.subject ?? "", 120)}`;
  const flags = caseFlags(view);
  const due = isOutstanding(view.response) ? ` · respond by ${deadlineText(view.response)}` : "";
  return {
    type: "Container",
    separator: true,
    selectAction: execute(`Show ${view.reference}`, VERBS.show, caseData(view)),
    items: [
      textBlock(`**${view.reference}** · ${view.statusLabel} · ${view.assignee ? teamsText(view.assignee.name, 60) : "unassigned"}${due}`),
      textBlock(`${who}${flags.length ? ` — ⚠ ${flags.join(", ")}` : ""}`, { size: "Small", spacing: "None", isSubtle: true }),
    ],
  };
}

/** `title` and `empty` are plain words (a search's title echoes what was typed): escaped here. */
export function caseListCard(rawTitle: string, views: CaseView[], rawEmpty: string): AdaptiveCard {
  const [title, empty] = [teamsText(rawTitle), teamsText(rawEmpty)];
  if (views.length === 0) return adaptiveCard([heading(title), textBlock(empty)]);
  const shown = views.slice(0, LIST_ROWS);
  const body: CardElement[] = [heading(`${title} (${views.length})`), ...shown.map(listRow)];
  if (views.length > shown.length) body.push(textBlock(`…and ${views.length - shown.length} more. Narrow it down with search.`, { isSubtle: true }));
  return adaptiveCard(body);
}

export function helpCard(unknown?: string): AdaptiveCard {
  return adaptiveCard(
    [
      heading("Postbag"),
      textBlock(unknown ? `I don't know “${teamsText(unknown, 60)}”. These are the commands:` : "Type a command, or @mention Postbag with one in a channel:"),
      ...Object.values(USAGE).map((usage) => textBlock(teamsText(usage), { fontType: "Monospace", size: "Small", spacing: "Small" })),
      textBlock("Type **log** on its own for a form.", { size: "Small" }),
    ],
    [execute("Log a case", VERBS.log, { openForm: true })],
  );
}
