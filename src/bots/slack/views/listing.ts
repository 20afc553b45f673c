import type { ListingLayout } from "../../shared/report-text.ts";
import type { KnownBlock } from "./block-kit.ts";
import { clip, LIMITS } from "./limits.ts";
import { escapeMrkdwn, mrkdwn } from "./slack-text.ts";

/**
 * The no-loss audit, themes and the retention review as Block Kit, in the layout's words: a
 * header, the figures as fields (ten to a section; one too long for a column gets a section of
 * its own), footnotes (the audit's seal) and what is left out as context lines, and each group
 * of lines (the audit's exceptions by kind) as sections of bullets. Themes, references and exception details hold
 * words people typed: escaped. Built to stay within a message's 50 blocks and each section's
 * 3,000 characters however long the lists are.
 */

/** A figure longer than this reads badly in a half-width column. */
const COLUMN_TEXT = 300;
const LINE_TEXT = 500;
/** Room kept in a section for its heading and a "…and N more." */
const SECTION_ROOM = LIMITS.sectionText - 200;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: mrkdwn(text, LIMITS.contextElementText) }] };
}

function figure(label: string, value: string, max: number): string {
  return `*${mrkdwn(label, 200)}*\n${mrkdwn(value, max)}`;
}

/** The figures, in their order, as few sections as hold them: runs of short ones as fields, long ones alone. */
function factBlocks(facts: ListingLayout["facts"]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let fields: string[] = [];
  const flush = () => {
    if (fields.length) blocks.push({ type: "section", fields: fields.map((text) => ({ type: "mrkdwn" as const, text })) });
    fields = [];
  };
  for (const [label, value] of facts) {
    if (value.length > COLUMN_TEXT) {
      flush();
      blocks.push(section(figure(label, value, SECTION_ROOM)));
      continue;
    }
    fields.push(figure(label, value, COLUMN_TEXT));
    if (fields.length === LIMITS.fields) flush();
  }
  flush();
  return blocks;
}

/** A group's heading and its lines as bullets, in at most `room` sections; lines that do not fit are counted. */
function groupBlocks(group: ListingLayout["groups"][number], room: number): KnownBlock[] {
  const texts = [`*${mrkdwn(group.title, 300)}: ${group.total}*`];
  let shown = 0;
  for (const line of group.lines) {
    const bullet = `• ${mrkdwn(line, LINE_TEXT)}`;
    const last = texts[texts.length - 1]!;
    if (last.length + 1 + bullet.length <= SECTION_ROOM) texts[texts.length - 1] = `${last}\n${bullet}`;
    else if (texts.length < room) texts.push(bullet);
    else break;
    shown += 1;
  }
  const hidden = group.total - shown;
  if (hidden > 0) texts[texts.length - 1] += `\n…and ${hidden} more.`;
  return texts.map(section);
}

export function listingBlocks(layout: ListingLayout): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: clip(layout.title, LIMITS.header) } }];
  if (layout.empty) return [...blocks, section(escapeMrkdwn(layout.empty))];
  if (layout.lead) blocks.push(section(mrkdwn(layout.lead, LIMITS.sectionText)));
  const footnotes = (layout.footnotes ?? []).map(([label, value]) => context(`${label}: ${value}`));
  // Kept for the divider, the footnotes and the closing context line.
  let room = LIMITS.messageBlocks - blocks.length - footnotes.length - 2;
  const facts = factBlocks(layout.facts);
  const shownFacts = facts.slice(0, Math.max(0, room - layout.groups.length));
  blocks.push(...shownFacts, ...footnotes);
  room -= shownFacts.length;
  const hiddenFacts = facts.slice(shownFacts.length).reduce((sum, block) => sum + ("fields" in block && block.fields ? block.fields.length : 1), 0);
  if (layout.groups.length) {
    blocks.push({ type: "divider" });
    layout.groups.forEach((group, index) => {
      const share = Math.max(1, Math.floor(room / (layout.groups.length - index)));
      const shown = groupBlocks(group, share);
      blocks.push(...shown);
      room -= shown.length;
    });
  }
  const more = (layout.more ?? 0) + hiddenFacts;
  if (more > 0) blocks.push(context(`…and ${more} more.`));
  return blocks;
}

/** The words a notification shows (Slack's top-level `text`). */
export function listingFallbackText(layout: ListingLayout): string {
  return escapeMrkdwn(layout.title);
}
