import type { CaseView } from "../../../domain/cases/case-view.ts";
import type { Digest, DigestSection, DigestSectionKey } from "../../../domain/digest/digest.ts";
import { VERBS } from "../verbs.ts";
import { adaptiveCard, execute, factSet, heading, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
import { caseData } from "./case-card.ts";
import { LIST_ROWS, listRow } from "./simple-cards.ts";

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
    factSet(digest.sections.map((section) => [section.title, String(section.count)])),
    ...(sections.length === 0 ? [textBlock("Nothing is late, stale or unowned. ✅")] : []),
  ]);
  return [summary, ...sections.map(sectionCard)];
}

/** The one next step a digest line offers, as in Slack; other sections open the case. */
const NEXT_STEP: Partial<Record<DigestSectionKey, { title: string; verb: string }>> = {
  acknowledgement_overdue: { title: "Acknowledge", verb: VERBS.acknowledge },
  unassigned: { title: "Assign to me", verb: VERBS.assignToMe },
  partner_overdue: { title: "Chase", verb: VERBS.chase },
};

function digestRow(view: CaseView, key: DigestSectionKey): CardElement {
  const step = NEXT_STEP[key] ?? { title: "Open", verb: VERBS.show };
  return {
    type: "ColumnSet",
    separator: true,
    columns: [
      { type: "Column", width: "stretch", items: [listRow(view)] },
      { type: "Column", width: "auto", verticalContentAlignment: "Center", items: [{ type: "ActionSet", actions: [execute(step.title, step.verb, caseData(view))] }] },
    ],
  };
}

function sectionCard(section: DigestSection): AdaptiveCard {
  const shown = section.cases.slice(0, LIST_ROWS);
  const body = [heading(`${section.title} (${section.count})`), ...shown.map((view) => digestRow(view, section.key))];
  const hidden = section.count - shown.length;
  if (hidden > 0) body.push(textBlock(`…and ${hidden} more. See them all with: ${section.seeAll}`, { isSubtle: true }));
  return adaptiveCard(body);
}
