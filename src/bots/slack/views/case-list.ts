import type { KnownBlock } from "./block-kit.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { ACTIONS } from "../ids.ts";
import { buttonValue, deadlineMrkdwn } from "./case-card.ts";
import { clip, LIMITS, mrkdwn } from "./limits.ts";

/** A list of cases as Block Kit: one section per case with an Open button, within Slack's limits. */

export function caseLineMrkdwn(view: CaseView): string {
  const who = view.redacted ? "_sensitive_" : `${mrkdwn(view.constituent?.name ?? "", 200)} — ${mrkdwn(view.subject ?? "", 300)}`;
  const deadline =
    view.acknowledgement.state === "overdue" || view.acknowledgement.state === "due_today" || view.acknowledgement.state === "pending"
      ? `ack ${deadlineMrkdwn(view.acknowledgement)}`
      : `respond ${deadlineMrkdwn(view.response)}`;
  const flags = [view.stale ? ":zzz: stale" : "", view.holdingReplyDue ? ":envelope: holding reply due" : ""].filter(Boolean).join(" ");
  return `*${view.reference}* · ${view.statusLabel} · ${who}\n${view.assignee ? mrkdwn(view.assignee.name, 100) : "unassigned"} · ${deadline}${flags ? ` · ${flags}` : ""}`;
}

export function caseListBlocks(title: string, views: CaseView[], empty: string, maxCases = 20): KnownBlock[] {
  if (views.length === 0) return [{ type: "section", text: { type: "mrkdwn", text: mrkdwn(empty, LIMITS.sectionText) } }];
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: clip(`${title} (${views.length})`, LIMITS.header) } }];
  for (const view of views.slice(0, maxCases)) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(caseLineMrkdwn(view), LIMITS.sectionText) },
      accessory: { type: "button", action_id: ACTIONS.open, text: { type: "plain_text", text: "Open" }, value: buttonValue(view) },
    });
  }
  if (views.length > maxCases) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${views.length - maxCases} more. Narrow it down with \`/case search &lt;text&gt;\`.` }] });
  }
  return blocks;
}
