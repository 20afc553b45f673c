import { DISMISS_LABELS, DISMISS_REASONS, type IntakeRecord } from "../../../domain/intake/intake-message.ts";
import { triageCardText } from "../../shared/intake-text.ts";
import { INTAKE_VERBS } from "../verbs.ts";
import { adaptiveCard, execute, factSet, textBlock, type AdaptiveCard, type CardAction, type CardElement } from "./adaptive-card.ts";
import { teamsText } from "./teams-text.ts";

export interface TriageCardOptions {
  /** What the clicker is told (a confirmation, or the core's refusal): theirs alone. */
  message?: string;
  error?: boolean;
  /** Asked when the sender may be someone on record: each known record, or a new person. */
  constituentChoices?: { title: string; value: string }[];
}

/**
 * A new email in a triage channel, as an Adaptive Card: who sent it, what it says, and the
 * three decisions — Log as new case, Add to case… (a reference), Not casework (a reason).
 * Once decided it says what became of it and offers nothing more. Every word from the email
 * is escaped (teamsText); choice titles and input values are not markdown.
 */
export function triageCard(record: IntakeRecord, options: TriageCardOptions = {}): AdaptiveCard {
  const card = triageCardText(record);
  const body: CardElement[] = [
    textBlock(`📨 **${card.title}** · received ${teamsText(card.received)}`, { weight: "Bolder" }),
    factSet([
      ["From", teamsText(card.sender, 300)],
      ["Subject", teamsText(card.subject, 300)],
    ]),
  ];
  if (card.note) body.push(textBlock(`⚠ ${teamsText(card.note, 600)}`, { color: "Warning", size: "Small" }));
  if (card.firstLines) body.push(textBlock(teamsText(card.firstLines, 800), { isSubtle: true, spacing: "Medium" }));
  if (card.attachments.length) body.push(textBlock(`📎 ${teamsText(card.attachments.join(" · "), 1000)}`, { size: "Small" }));
  if (options.message) body.push(textBlock(teamsText(options.message, 1500), { color: options.error ? "Attention" : "Good", weight: "Bolder" }));
  if (card.outcome) {
    body.push(textBlock(`✅ ${teamsText(card.outcome, 600)}`, { color: "Good" }));
    return adaptiveCard(body);
  }
  const data = { intakeId: record.id };
  const actions: CardAction[] = [];
  if (options.constituentChoices?.length) {
    body.push({
      type: "Input.ChoiceSet",
      id: "constituentChoice",
      label: "Which person sent it?",
      style: "expanded",
      choices: options.constituentChoices,
      value: options.constituentChoices[0]!.value,
    });
    actions.push(execute("Log as new case", INTAKE_VERBS.log, data, { style: "positive" }));
  } else {
    actions.push(execute("Log as new case", INTAKE_VERBS.log, data, { style: "positive", associatedInputs: "none" }));
  }
  actions.push({
    type: "Action.ShowCard",
    title: "Add to case…",
    card: {
      type: "AdaptiveCard",
      body: [{ type: "Input.Text", id: "reference", label: "Case reference", placeholder: "PFCC-2026-0042", maxLength: 40 }],
      actions: [execute("Add", INTAKE_VERBS.attach, data)],
    },
  });
  actions.push({
    type: "Action.ShowCard",
    title: "Not casework…",
    card: {
      type: "AdaptiveCard",
      body: [
        { type: "Input.ChoiceSet", id: "reason", label: "Why", style: "compact", value: DISMISS_REASONS[0], choices: DISMISS_REASONS.map((reason) => ({ title: DISMISS_LABELS[reason], value: reason })) },
        { type: "Input.Text", id: "note", label: "Note (needed for other)", maxLength: 500 },
      ],
      actions: [execute("Dismiss", INTAKE_VERBS.dismiss, data)],
    },
  });
  return adaptiveCard(body, actions);
}
