import type { CaseView, DeadlineView } from "../../../domain/cases/case-view.ts";
import { cardControls, letterControls, variantInput, type CardControl } from "../../shared/action-controls.ts";
import { isOpenItem } from "../../../domain/letters/outgoing.ts";
import { WORDS_EVERY_CARD_SHOWS } from "../../../domain/letters/letter-controls.ts";
import { itemHeadline, itemState, ITEMS_ON_CARD, wordsOnCard } from "../../shared/outgoing-text.ts";
import { actionVerb, VERBS } from "../verbs.ts";
import { adaptiveCard, clip, execute, factSet, heading, MAX_ACTIONS, textBlock, type AdaptiveCard, type CardAction, type CardElement } from "./adaptive-card.ts";
import { teamsText } from "./teams-text.ts";
import { ACK_CONTACT_NOTE, clockLines, deadlineWords, fileWords, FILES_ON_CARD, referralWords, relatedWords } from "../../shared/case-words.ts";

/** The Adaptive Card of one case: what the Slack card shows, with Universal Actions for the next steps. */

export const TIMELINE_ON_CARD = 8;
const REFERRALS_ON_CARD = 5;

/** What every case button carries: which case, and the version of it the card showed. */
export function caseData(view: Pick<CaseView, "reference" | "version">): { reference: string; version: number } {
  return { reference: view.reference, version: view.version };
}

export function deadlineText(deadline: DeadlineView): string {
  return emphasise(deadlineWords(deadline));
}

function emphasise({ text, urgency }: { text: string; urgency: string }): string {
  return urgency === "late" ? `⚠ ${text}` : urgency === "today" ? `⏳ ${text}` : text;
}

function constituentText(view: CaseView): string {
  if (!view.constituent) return "withheld";
  const contact = [view.constituent.email, view.constituent.phone, view.constituent.address].filter(Boolean).join(" · ");
  return contact ? `${teamsText(view.constituent.name, 200)} (${teamsText(contact, 400)})` : teamsText(view.constituent.name, 600);
}

/** One control as a Universal Action: its action's verb when it acts at once, else the verb that opens its form; with the value it carries. */
function controlAction(view: CaseView, control: CardControl): CardAction {
  const carried = variantInput(control.action, control.variant?.value);
  const data = control.opens === "form" ? { ...caseData(view), form: control.action, ...carried } : { ...caseData(view), ...carried };
  const verb = control.opens === "form" ? VERBS.openForm : actionVerb(control.action);
  const style = control.style === "primary" ? "positive" : control.style === "danger" ? "destructive" : undefined;
  return execute(control.label, verb, data, style ? { style } : {});
}

/** The card's actions from the core's table: buttons first; past the row's room they go under "More…". */
export function caseActions(view: CaseView): CardAction[] {
  return cardControls(view).map((control) => controlAction(view, control));
}


/**
 * The case's letters and emails on a card read in full in a personal chat: each with its state,
 * one still to go with its words exactly (what Send sends) and the steps offered on it beside
 * it; then the drafts the card offers, one per template that applies.
 */
function letterElements(view: CaseView): CardElement[] {
  const { drafts, items: controls } = letterControls(view);
  const items = view.outgoing ?? [];
  if (items.length === 0 && drafts.length === 0) return [];
  const shown = items.slice(-ITEMS_ON_CARD);
  const hidden = items.length - shown.length;
  const elements: CardElement[] = [textBlock(`**Letters and emails**${hidden > 0 ? ` (${hidden} earlier: outgoing ${view.reference})` : ""}${items.length === 0 ? " — none yet" : ""}`, { separator: true })];
  for (const item of shown) {
    elements.push(textBlock(`**${item.number}.** ${teamsText(itemHeadline(item), 300)} — ${teamsText(itemState(item), 600)}`, { spacing: "Small" }));
    if (isOpenItem(item)) {
      const { words, rest } = wordsOnCard(view.reference, item, WORDS_EVERY_CARD_SHOWS);
      elements.push(textBlock(teamsText(words), { fontType: "Monospace", size: "Small", spacing: "None" }));
      if (rest) elements.push(textBlock(teamsText(rest), { isSubtle: true, size: "Small", spacing: "None" }));
    }
    const steps = controls.get(item.number) ?? [];
    if (steps.length) elements.push({ type: "ActionSet", actions: steps.map((control) => controlAction(view, control)) });
  }
  // A row per action (Send…, then Draft…), each within the actions a row shows.
  for (const action of [...new Set(drafts.map((control) => control.action))]) {
    const row = drafts.filter((control) => control.action === action);
    for (let at = 0; at < row.length; at += MAX_ACTIONS) elements.push({ type: "ActionSet", actions: row.slice(at, at + MAX_ACTIONS).map((control) => controlAction(view, control)) });
  }
  return elements;
}

function timelineElements(view: CaseView): CardElement[] {
  if (!view.timeline || view.timeline.entries.length === 0) return [];
  const entries = view.timeline.entries.slice(-TIMELINE_ON_CARD);
  const hidden = view.timeline.total - entries.length;
  return [
    textBlock(hidden > 0 ? `**Timeline** (latest ${entries.length} of ${view.timeline.total})` : "**Timeline**", { separator: true }),
    ...entries.map((entry) => {
      const text = entry.text && entry.text !== entry.label ? ` — ${teamsText(entry.text, 280)}` : "";
      const recorded = entry.recordedText ? ` · recorded ${entry.recordedText}` : "";
      return textBlock(`${entry.onText} · **${entry.label}**${text} (${teamsText(entry.actor ?? "system", 60)}, ${entry.platform}${recorded})`, {
        size: "Small",
        spacing: "Small",
      });
    }),
  ];
}

function fileElements(view: CaseView): CardElement[] {
  if (!view.files?.length) return [];
  const shown = view.files.slice(-FILES_ON_CARD);
  const hidden = view.files.length - shown.length;
  return [
    textBlock(hidden > 0 ? `**Files** (${hidden} earlier not shown)` : "**Files**", { separator: true }),
    factSet(shown.map((file) => [teamsText(`${file.number}. ${clip(file.filename, 120)}`), teamsText(fileWords(file))])),
  ];
}

function referralElements(view: CaseView): CardElement[] {
  if (view.referrals.length === 0) return [];
  const shown = view.referrals.slice(-REFERRALS_ON_CARD);
  const hidden = view.referrals.length - shown.length;
  return [
    textBlock(hidden > 0 ? `**Partner referrals** (${hidden} earlier not shown)` : "**Partner referrals**", { separator: true }),
    factSet(
      shown.map((referral) => [
        teamsText(referral.partner, 120),
        emphasise(referralWords(referral)),
      ]),
    ),
  ];
}

/** The card body of a case, without actions: also the top of every form about it. */
export function caseSummaryElements(view: CaseView, message?: string, attention = false): CardElement[] {
  const body: CardElement[] = [];
  // A message saying something did not happen (an email not sent) is not shown as good news.
  if (message) body.push(textBlock(teamsText(message, 1000), { color: attention ? "Attention" : "Good", weight: "Bolder" }));
  body.push(heading(`${view.reference} · ${view.statusLabel}${view.sensitive ? " · Sensitive" : ""}`));
  body.push(
    view.redacted
      ? textBlock(`Sensitive case: ${view.contactForAcknowledgement ? ACK_CONTACT_NOTE : "details are shown only to its assignee and managers, in a personal chat."}`, { isSubtle: true })
      : textBlock(teamsText(view.subject ?? "", 500), { weight: "Bolder" }),
  );
  return body;
}

/** Teams refreshes a card automatically for at most this many people named in it. */
export const MAX_REFRESH_USERS = 60;

/**
 * A case card's refresh: whenever it is opened, Teams asks for the case as it is now (verb
 * `case.refresh`), so nobody works from a card that is out of date. `userIds` (Teams user ids)
 * are the people it is refreshed for automatically wherever it is; in a chat of up to 60
 * people Teams refreshes it for everyone.
 */
export function caseRefresh(view: Pick<CaseView, "reference">, userIds: readonly string[] = []): NonNullable<AdaptiveCard["refresh"]> {
  const ids = [...new Set(userIds)].slice(0, MAX_REFRESH_USERS);
  return { action: execute("Refresh", VERBS.refresh, { reference: view.reference }), ...(ids.length ? { userIds: ids } : {}) };
}

/** `refreshFor`: the Teams user ids of the people concerned (the assignee, whoever asked), refreshed automatically. */
export function caseCard(view: CaseView, options: { message?: string; attention?: boolean; refreshFor?: readonly string[] } = {}): AdaptiveCard {
  const body = caseSummaryElements(view, options.message, options.attention);
  body.push(
    factSet([
      ["Constituent", constituentText(view)],
      ["Assignee", view.assignee ? teamsText(view.assignee.name, 120) : "unassigned"],
      ["Received", `${view.receivedOnText} (${view.channel})`],
      ["Kind", `${view.kind}${view.cycle > 1 ? ` · cycle ${view.cycle}` : ""}`],
      ["Acknowledge by", deadlineText(view.acknowledgement)],
      ["Respond by", deadlineText(view.response)],
      ...(view.outcome ? ([["Outcome", teamsText(view.outcome)]] as [string, string][]) : []),
    ]),
  );
  if (view.summary) body.push(textBlock(teamsText(view.summary, 2000)));
  for (const line of clockLines(view)) body.push(textBlock(teamsText(emphasise(line), 500), { size: "Small", spacing: "Small", ...(line.urgency === "late" ? { color: "Attention" } : {}) }));
  const notes = [
    view.stale ? "💤 **Stale**: no action lately — send the constituent at least an update." : "",
    view.holdingReplyDue ? "✉ **Holding reply due**: awaiting a partner past the response deadline." : "",
    view.themes.length ? `Themes: ${teamsText(view.themes.join(", "), 600)}` : "",
  ].filter(Boolean);
  for (const note of notes) body.push(textBlock(note, { size: "Small" }));
  const related = relatedWords(view);
  for (const line of [related.earlier, ...related.links]) if (line) body.push(textBlock(teamsText(line, 1000), { size: "Small" }));
  body.push(...fileElements(view), ...referralElements(view), ...letterElements(view), ...timelineElements(view));
  const actions = caseActions(view);
  // Among the card's own buttons, before those of its menu ("More…").
  if (related.earlier) actions.splice(cardControls(view).filter((control) => !control.secondary).length, 0, execute("Earlier cases", VERBS.person, caseData(view)));
  return { ...adaptiveCard(body, primaryInRow(actions)), refresh: caseRefresh(view, options.refreshFor) };
}

/**
 * Teams shows four buttons in a row and the rest under "More…": the card's primary steps
 * (Acknowledge, Respond: the deadlines) keep a place in the row however many others the case
 * offers; the rest keep the table's order. Slack's card shows every button, so only Teams needs this.
 */
function primaryInRow(actions: CardAction[]): CardAction[] {
  if (actions.length <= MAX_ACTIONS) return actions;
  const room = MAX_ACTIONS - 1;
  const row = new Set(actions.filter((action) => action.style === "positive").slice(0, room));
  for (const action of actions) if (row.size < room) row.add(action);
  return [...actions.filter((action) => row.has(action)), ...actions.filter((action) => !row.has(action))];
}

