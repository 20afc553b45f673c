import type { CaseView } from "../../../domain/cases/case-view.ts";
import { UNREACHABLE_HINT, unreachableTitle, type Digest, type DigestSection, type DigestStep } from "../../../domain/digest/digest.ts";
import { DIGEST_STEP_LABELS } from "../../shared/case-words.ts";
import { actionVerb, VERBS } from "../verbs.ts";
import { adaptiveCard, execute, factSet, heading, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
import { caseData } from "./case-card.ts";
import { LIST_ROWS, listRow } from "./simple-cards.ts";
import { teamsText } from "./teams-text.ts";

/**
 * A digest as Adaptive Cards: a summary card with every count, then one card per
 * non-empty section, each well inside the size limit and saying how to see the rest.
 */
export function digestCards(digest: Digest): AdaptiveCard[] {
  const title = digest.kind === "manager" ? `Office digest · ${digest.asOfText}` : `Your cases · ${digest.asOfText}`;
  const sections = digest.sections.filter((section) => section.count > 0);
  const summary = adaptiveCard([
    heading(`${title}${digest.late ? " · late" : ""}`),
    ...(digest.late ? [textBlock("Sent late: no Postbag process was running at the scheduled time.", { isSubtle: true })] : []),
    // A platform Postbag was removed from comes first: it is why some of this digest reached nobody there.
    ...(digest.disconnected ?? []).map((disconnected) => textBlock(`⚠ ${teamsText(disconnected.words)}`, { color: "Attention", weight: "Bolder" })),
    factSet(digest.sections.map((section) => [section.title, String(section.count)])),
    ...(sections.length === 0 ? [textBlock("Nothing is late, stale or unowned. ✅")] : []),
    ...unreachableElements(digest),
  ]);
  return [summary, ...sections.map(sectionCard)];
}

/** The staff Postbag cannot message, each with why; nothing when there are none. */
function unreachableElements(digest: Digest): CardElement[] {
  const people = digest.unreachable ?? [];
  if (people.length === 0) return [];
  return [
    textBlock(unreachableTitle(people.length), { weight: "Bolder" }),
    factSet(people.map((person) => [teamsText(person.name), teamsText(person.why)])),
    textBlock(teamsText(UNREACHABLE_HINT), { isSubtle: true }),
  ];
}

/** Teams' verb for each next step the digest names. */
const STEP_VERBS: Record<DigestStep, string> = {
  acknowledge: actionVerb("acknowledge"),
  assign_to_me: actionVerb("assign"),
  chase: actionVerb("chase"),
  open: VERBS.show,
};

function digestRow(view: CaseView, step: DigestStep): CardElement {
  return {
    type: "ColumnSet",
    separator: true,
    columns: [
      { type: "Column", width: "stretch", items: [listRow(view)] },
      { type: "Column", width: "auto", verticalContentAlignment: "Center", items: [{ type: "ActionSet", actions: [execute(DIGEST_STEP_LABELS[step], STEP_VERBS[step], caseData(view))] }] },
    ],
  };
}

function sectionCard(section: DigestSection): AdaptiveCard {
  const shown = section.cases.slice(0, LIST_ROWS);
  const body = [heading(`${section.title} (${section.count})`), ...shown.map((view) => digestRow(view, section.nextStep))];
  const hidden = section.count - shown.length;
  if (hidden > 0) body.push(textBlock(teamsText(`…and ${hidden} more. See them all with: ${section.seeAll}`), { isSubtle: true }));
  return adaptiveCard(body);
}
