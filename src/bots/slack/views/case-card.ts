import type { Button, KnownBlock, Overflow } from "./block-kit.ts";
import type { CaseAction } from "../../../domain/cases/case-actions.ts";
import type { CaseView, DeadlineView } from "../../../domain/cases/case-view.ts";
import { cardControls, letterControls, type CardControl } from "../../shared/action-controls.ts";
import { isOpenItem } from "../../../domain/letters/outgoing.ts";
import { itemHeadline, itemState, ITEMS_ON_CARD, wordsOnCard } from "../../shared/outgoing-text.ts";
import { ACTIONS, caseActionId } from "../ids.ts";
import { clip, escapeMrkdwn, LIMITS, mrkdwn } from "./limits.ts";
import { ACK_CONTACT_NOTE, clockLines, deadlineWords, fileWords, FILES_ON_CARD, referralWords, relatedWords } from "../../shared/case-words.ts";

/** The Block Kit card of one case: a pure function of what the core says about it. */

const TIMELINE_ON_CARD = 8;

/** What a case button carries: which case, and the version of it the card showed; for one of several controls of an action, the value it carries and whether it opens a form. */
export function buttonValue(view: Pick<CaseView, "reference" | "version">, control?: Pick<CardControl, "variant" | "opens">): string {
  if (!control?.variant) return JSON.stringify({ r: view.reference, v: view.version });
  return JSON.stringify({ r: view.reference, v: view.version, p: control.variant.value, ...(control.opens === "form" ? { f: 1 } : {}) });
}

function controlButton(view: CaseView, control: CardControl): Button {
  return {
    type: "button",
    action_id: caseActionId(control.action, control.variant?.value),
    text: { type: "plain_text", text: clip(control.label, LIMITS.buttonText) },
    value: buttonValue(view, control),
    ...(control.style ? { style: control.style } : {}),
  };
}

/**
 * The case's letters and emails on a card read in full on one's own screen: each with its state,
 * one still to go with its words exactly (what Send sends) and the steps offered on it beside it;
 * then the drafts the card offers, one per template that applies.
 */
export function letterBlocks(view: CaseView): KnownBlock[] {
  const { drafts, items: controls } = letterControls(view);
  const items = view.outgoing ?? [];
  if (items.length === 0 && drafts.length === 0) return [];
  const shown = items.slice(-ITEMS_ON_CARD);
  const hidden = items.length - shown.length;
  const title = `*Letters and emails*${hidden > 0 ? ` (${hidden} earlier: \`/case outgoing ${view.reference}\`)` : ""}${items.length === 0 ? " — none yet" : ""}`;
  const blocks: KnownBlock[] = [{ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: title } }];
  for (const item of shown) {
    const line = `*${item.number}. ${mrkdwn(itemHeadline(item), 400)}* — ${mrkdwn(itemState(item), 800)}`;
    let text = line;
    if (isOpenItem(item)) {
      const { words, rest } = wordsOnCard(view.reference, item);
      // The words are the constituent's name, the case's subject, a person's edits: escaped (mrkdwn), never live.
      text = `${line}\n${mrkdwn(words, LIMITS.sectionText - line.length - 200)}${rest ? `\n_${mrkdwn(rest, 150)}_` : ""}`;
    }
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) } });
    const steps = controls.get(item.number) ?? [];
    if (steps.length) blocks.push({ type: "actions", block_id: `outgoing:${view.reference}:${item.number}`, elements: steps.map((control) => controlButton(view, control)) });
  }
  if (drafts.length) blocks.push({ type: "actions", block_id: `letters:${view.reference}`, elements: drafts.map((control) => controlButton(view, control)) });
  return blocks;
}

export function deadlineMrkdwn(deadline: DeadlineView): string {
  return emphasise(deadlineWords(deadline));
}

function emphasise({ text, urgency }: { text: string; urgency: string }): string {
  return urgency === "late" ? `:warning: *${text}*` : urgency === "today" ? `:hourglass: *${text}*` : text;
}

function constituentText(view: CaseView): string {
  if (!view.constituent) return "_withheld_";
  const contact = [view.constituent.email, view.constituent.phone, view.constituent.address].filter(Boolean).join(" · ");
  return mrkdwn(contact ? `${view.constituent.name}\n${contact}` : view.constituent.name, 1000);
}

/** What a menu option carries: the action whose form it opens, on which case and version. */
export function menuValue(action: CaseAction, view: Pick<CaseView, "reference" | "version">): string {
  return JSON.stringify({ a: action, r: view.reference, v: view.version });
}

/** The card's buttons, then its menu ("More…") of the rest: all from the core's table of actions. */
export function caseButtons(view: CaseView): (Button | Overflow)[] {
  const controls = cardControls(view);
  const buttons: (Button | Overflow)[] = controls.filter((control) => !control.secondary).map((control) => controlButton(view, control));
  const menu = controls.filter((control) => control.secondary);
  // Slack's overflow holds five options: a longer menu continues in a second one.
  for (const [index, actionId] of [ACTIONS.more, ACTIONS.moreSecond].entries()) {
    const options = menu.slice(index * 5, index * 5 + 5);
    if (options.length === 0) break;
    buttons.push({
      type: "overflow",
      action_id: actionId,
      options: options.map((control) => ({ text: { type: "plain_text", text: clip(control.label, LIMITS.optionText) }, value: menuValue(control.action, view) })),
    });
  }
  return buttons;
}

export function caseCardBlocks(view: CaseView, options: { message?: string } = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (options.message) blocks.push({ type: "section", text: { type: "mrkdwn", text: mrkdwn(options.message, LIMITS.sectionText) } });
  blocks.push({
    type: "header",
    text: { type: "plain_text", text: clip(`${view.reference} · ${view.statusLabel}${view.sensitive ? " · Sensitive" : ""}`, LIMITS.header) },
  });
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text: view.redacted
        ? `_Sensitive case: ${view.contactForAcknowledgement ? ACK_CONTACT_NOTE : "details are shown only to its assignee and managers."}_`
        : `*${mrkdwn(view.subject ?? "", 2800)}*`,
    },
    fields: [
      { type: "mrkdwn", text: `*Constituent*\n${constituentText(view)}` },
      { type: "mrkdwn", text: `*Assignee*\n${view.assignee ? mrkdwn(view.assignee.name, 200) : ":grey_question: unassigned"}` },
      { type: "mrkdwn", text: `*Received*\n${view.receivedOnText} (${view.channel})` },
      { type: "mrkdwn", text: `*Kind*\n${view.kind}${view.cycle > 1 ? ` · cycle ${view.cycle}` : ""}` },
      { type: "mrkdwn", text: `*Acknowledge by*\n${deadlineMrkdwn(view.acknowledgement)}` },
      { type: "mrkdwn", text: `*Respond by*\n${deadlineMrkdwn(view.response)}` },
    ],
  });
  if (view.summary) blocks.push({ type: "section", text: { type: "mrkdwn", text: mrkdwn(view.summary, 2900) } });
  const clock = clockLines(view);
  if (clock.length) blocks.push({ type: "context", elements: clock.map((line) => ({ type: "mrkdwn", text: `${line.urgency === "late" ? ":red_circle: " : line.urgency === "today" ? ":large_orange_circle: " : ":stopwatch: "}${mrkdwn(line.text, 1500)}` })) });

  const notes = [
    view.stale ? ":zzz: *Stale*: no action lately — send the constituent at least an update." : "",
    view.holdingReplyDue ? ":envelope: *Holding reply due*: awaiting a partner past the response deadline." : "",
    view.outcome ? `Outcome: *${mrkdwn(view.outcome, 200)}*` : "",
    view.themes.length ? `Themes: ${mrkdwn(view.themes.join(", "), 1500)}` : "",
  ].filter(Boolean);
  if (notes.length) blocks.push({ type: "context", elements: notes.map((text) => ({ type: "mrkdwn", text })) });
  const related = relatedWords(view);
  const relatedLines = [related.earlier, ...related.links].filter((line): line is string => line !== null);
  if (relatedLines.length) blocks.push({ type: "context", elements: relatedLines.slice(0, 10).map((line) => ({ type: "mrkdwn", text: mrkdwn(line, 1500) })) });

  if (view.files?.length) {
    const shown = view.files.slice(-FILES_ON_CARD);
    const hidden = view.files.length - shown.length;
    const lines = shown.map((file) => `${file.number}. ${escapeMrkdwn(clip(file.filename, 150))} — ${escapeMrkdwn(fileWords(file))}`);
    const title = `*Files*${hidden > 0 ? ` (${hidden} earlier not shown)` : ""} — \`/case file ${view.reference} &lt;number&gt;\` sends one to your direct messages`;
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`${title}\n${lines.join("\n")}`, LIMITS.sectionText) } });
  }
  if (view.referrals.length) {
    const lines = view.referrals.slice(-5).map((referral) => {
      return `• *${mrkdwn(referral.partner, 200)}*: ${emphasise(referralWords(referral))}`;
    });
    const hidden = view.referrals.length - 5;
    if (hidden > 0) lines.unshift(`_${hidden} earlier referral${hidden === 1 ? "" : "s"} not shown_`);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`*Partner referrals*\n${lines.join("\n")}`, LIMITS.sectionText) } });
  }

  blocks.push(...letterBlocks(view));

  if (view.timeline && view.timeline.entries.length) {
    const entries = view.timeline.entries.slice(-TIMELINE_ON_CARD);
    const lines = entries.map((entry) => {
      const text = entry.text && entry.text !== entry.label ? ` — ${mrkdwn(entry.text, 280)}` : "";
      const recorded = entry.recordedText ? `, recorded ${entry.recordedText}` : "";
      return `${entry.onText} · *${entry.label}*${text} _(${mrkdwn(entry.actor ?? "system", 60)}, ${entry.platform}${recorded})_`;
    });
    const hidden = view.timeline.total - entries.length;
    const title = hidden > 0 ? `*Timeline* (latest ${entries.length} of ${view.timeline.total})` : "*Timeline*";
    blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: clip(`${title}\n${lines.join("\n")}`, LIMITS.sectionText) } });
  }

  const buttons = caseButtons(view);
  if (related.earlier) buttons.splice(buttons.findIndex((b) => b.type === "overflow") === -1 ? buttons.length : buttons.findIndex((b) => b.type === "overflow"), 0, { type: "button", action_id: ACTIONS.person, text: { type: "plain_text", text: "Earlier cases" }, value: buttonValue(view) });
  if (buttons.length) blocks.push({ type: "actions", block_id: `case_actions:${view.reference}`, elements: buttons });
  return blocks;
}

/**
 * The notification text Slack shows where blocks cannot be (notifications, screen readers).
 * Slack renders and notifies from it, so it is escaped like any mrkdwn.
 */
export function caseFallbackText(view: CaseView, message?: string): string {
  const base = view.redacted ? `${view.reference} (sensitive) · ${view.statusLabel}` : `${view.reference} · ${view.statusLabel} · ${view.subject}`;
  return mrkdwn(message ? `${message} ${base}` : base, 3000);
}
