import type { CaseView } from "../../../domain/cases/case-view.ts";
import { UNREACHABLE_HINT, unreachableTitle, type Digest, type DigestSection, type DigestStep } from "../../../domain/digest/digest.ts";
import { DIGEST_STEP_LABELS } from "../../shared/case-words.ts";
import { ACTIONS, caseActionId, SLASH_COMMAND } from "../ids.ts";
import type { Button, KnownBlock } from "./block-kit.ts";
import { buttonValue } from "./case-card.ts";
import { caseLineMrkdwn } from "./case-list.ts";
import { clip, escapeMrkdwn, LIMITS, mrkdwn } from "./limits.ts";
import { slackCode } from "./slack-text.ts";

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's button for each next step the digest names. */
const STEP_ACTIONS: Record<DigestStep, string> = {
  acknowledge: caseActionId("acknowledge"),
  assign_to_me: caseActionId("assign"),
  chase: caseActionId("chase"),
  open: ACTIONS.open,
};

function caseBlock(view: CaseView, step: DigestStep): KnownBlock {
  const button: Button = { type: "button", action_id: STEP_ACTIONS[step], text: { type: "plain_text", text: DIGEST_STEP_LABELS[step] }, value: buttonValue(view) };
  return { type: "section", text: { type: "mrkdwn", text: clip(caseLineMrkdwn(view), LIMITS.sectionText) }, accessory: button };
}

function sectionBlocks(section: DigestSection, maxCases: number): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: clip(`${section.title} (${section.count})`, LIMITS.header) } }];
  const shown = section.cases.slice(0, maxCases);
  blocks.push(...shown.map((view) => caseBlock(view, section.nextStep)));
  const hidden = section.count - shown.length;
  if (hidden > 0) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${hidden} more. See them all with \`${SLASH_COMMAND} ${slackCode(section.seeAll)}\`.` }] });
  }
  return blocks;
}

function summaryBlocks(digest: Digest): KnownBlock[] {
  const title = digest.kind === "manager" ? `Office digest · ${digest.asOfText}` : `Your cases · ${digest.asOfText}`;
  return [
    { type: "header", text: { type: "plain_text", text: clip(`${title}${digest.late ? " · late" : ""}`, LIMITS.header) } },
    ...(digest.late ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: "Sent late: no Postbag process was running at the scheduled time." }] }] : []),
    ...(digest.disconnected ?? []).map((disconnected): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: `:warning: ${mrkdwn(disconnected.words, LIMITS.sectionText - 20)}` } })),
    { type: "section", fields: digest.sections.slice(0, LIMITS.fields).map((s) => ({ type: "mrkdwn" as const, text: `*${s.title}*\n${s.count}` })) },
  ];
}

function summaryText(digest: Digest): string {
  const unreachable = digest.unreachable?.length ? `, ${unreachableTitle(digest.unreachable.length)}` : "";
  return clip(`${digest.kind === "manager" ? "Office digest" : "Your cases"} ${digest.asOfText}: ${digest.sections.map((s) => `${s.title} ${s.count}`).join(", ")}${unreachable}`, 3000);
}

/** The staff Postbag cannot message, each with why; nothing when there are none. */
function unreachableBlocks(digest: Digest): KnownBlock[] {
  const people = digest.unreachable ?? [];
  if (people.length === 0) return [];
  const lines = people.map((person) => `• *${escapeMrkdwn(person.name)}* — ${escapeMrkdwn(person.why)}`).join("\n");
  return [
    { type: "header", text: { type: "plain_text", text: clip(unreachableTitle(people.length), LIMITS.header) } },
    { type: "section", text: { type: "mrkdwn", text: clip(lines, LIMITS.sectionText) } },
    { type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(UNREACHABLE_HINT) }] },
  ];
}

/**
 * A digest as Slack messages, never more than 50 blocks each and never silently cut:
 * every count is complete, and a section too long to list says how to see the rest.
 * `thread` is the summary and then each non-empty section as a reply in its thread (the
 * channel digest: one message in the channel); `split` the same as separate messages (a
 * person's digest in their direct messages); `single` fits it all in one (an ephemeral preview).
 */
export function digestMessages(digest: Digest, mode: "thread" | "split" | "single"): SlackMessage[] {
  const sections = digest.sections.filter((section) => section.count > 0);
  const unreachable = unreachableBlocks(digest);
  if (sections.length === 0) {
    return [{ text: summaryText(digest), blocks: [...summaryBlocks(digest), { type: "section", text: { type: "mrkdwn", text: "Nothing is late, stale or unowned. :white_check_mark:" } }, ...unreachable] }];
  }
  if (mode === "single") {
    const room = LIMITS.messageBlocks - summaryBlocks(digest).length - unreachable.length;
    const perSection = Math.max(0, Math.floor(room / sections.length) - 2);
    return [{ text: summaryText(digest), blocks: [...summaryBlocks(digest), ...sections.flatMap((section) => sectionBlocks(section, perSection)), ...unreachable] }];
  }
  const inThread: KnownBlock[] = mode === "thread" ? [{ type: "context", elements: [{ type: "mrkdwn", text: `The cases of each section are in this message's thread (${sections.length} repl${sections.length === 1 ? "y" : "ies"}).` }] }] : [];
  return [
    { text: summaryText(digest), blocks: [...summaryBlocks(digest), ...unreachable, ...inThread] },
    ...sections.map((section) => ({ text: `${section.title} (${section.count})`, blocks: sectionBlocks(section, LIMITS.messageBlocks - 2) })),
  ];
}
