import type { HomeView, KnownBlock } from "./block-kit.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { caseListBlocks } from "./case-list.ts";
import { LIMITS, mrkdwn } from "./limits.ts";

export interface ManagerCounts {
  overdue: number;
  stale: number;
  unassigned: number;
}

/** The App Home tab: my open cases by nearest deadline; for managers, the office's counts. */
export function homeView(name: string, mine: CaseView[], counts: ManagerCounts | null): HomeView {
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: `*Postbag* — hello ${mrkdwn(name, 100)}.` } }];
  if (counts) {
    blocks.push({
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Overdue*\n${counts.overdue}` },
        { type: "mrkdwn", text: `*Stale*\n${counts.stale}` },
        { type: "mrkdwn", text: `*Unassigned*\n${counts.unassigned}` },
      ],
    });
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: "See them with `/case overdue`, `/case stale`, `/case unassigned`." }] });
    blocks.push({ type: "divider" });
  }
  // Leave room for the header blocks above and the "more" line within the 100-block limit.
  blocks.push(...caseListBlocks("Your open cases", mine, "You have no open cases.", Math.min(40, LIMITS.modalBlocks - blocks.length - 3)));
  return { type: "home", blocks };
}
