import { DISMISS_LABELS, DISMISS_REASONS, type IntakeRecord } from "../../../domain/intake/intake-message.ts";
import { NOTE_REQUIRED_FOR } from "../../../domain/intake/intake.schema.ts";
import type { SenderCase } from "../../../domain/intake/triage.ts";
import { senderCaseLabel, triageCardText } from "../../shared/intake-text.ts";
import { INTAKE_VERBS } from "../verbs.ts";
import { adaptiveCard, clip, execute, factSet, fieldError, textBlock, type AdaptiveCard, type CardAction, type CardElement } from "./adaptive-card.ts";
import { teamsText } from "./teams-text.ts";

export interface TriageCardOptions {
  /** What the clicker is told (a confirmation, or the core's refusal): theirs alone. */
  message?: string;
  error?: boolean;
  /** Asked when the sender may be someone on record: each known record, or a new person. */
  constituentChoices?: { title: string; value: string }[];
  /** Add to case…, opened by the clicker: the sender's open cases (as they may see them), a reference box, what was entered, and the core's refusal beside its input. */
  attach?: { cases: readonly SenderCase[]; reference?: string; openCase?: string; error?: { message: string; input?: string } };
  /** Its sender, subject and words were erased: the card shows nothing of them. */
  erased?: boolean;
}

/**
 * A new email in a triage channel, as an Adaptive Card: who sent it, what it says, and the
 * three decisions — Log as new case, Add to case… (the clicker's own card offering the sender's
 * open cases and a reference box), Not casework (a reason, and a note when it needs one).
 * Once decided it says what became of it and offers nothing more. Every word from the email
 * is escaped (teamsText); choice titles and input values are not markdown.
 */
export function triageCard(record: IntakeRecord, options: TriageCardOptions = {}): AdaptiveCard {
  const card = triageCardText(record, { erased: options.erased });
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
    // With Add to case… open, adding is the one put forward.
    actions.push(execute("Log as new case", INTAKE_VERBS.log, data, { ...(options.attach ? {} : { style: "positive" }), associatedInputs: "none" }));
  }
  if (options.attach) {
    body.push(...attachInputs(options.attach));
    actions.unshift(execute("Add to this case", INTAKE_VERBS.attach, data, { style: "positive" }));
  } else {
    actions.push(execute("Add to case…", INTAKE_VERBS.attachForm, data, { associatedInputs: "none" }));
  }
  actions.push({
    type: "Action.ShowCard",
    title: "Not casework…",
    card: {
      type: "AdaptiveCard",
      body: [
        { type: "Input.ChoiceSet", id: "reason", label: "Why", style: "compact", value: DISMISS_REASONS[0], choices: DISMISS_REASONS.map((reason) => ({ title: DISMISS_LABELS[reason], value: reason })) },
        { type: "Input.Text", id: "note", label: `Note (needed for ${NOTE_REQUIRED_FOR.map((reason) => DISMISS_LABELS[reason]).join(", ")})`, maxLength: 500, isMultiline: true },
      ],
      actions: [execute("Dismiss", INTAKE_VERBS.dismiss, data)],
    },
  });
  return adaptiveCard(body, actions);
}

/** Add to case…: one of the sender's open cases, or any case's reference typed. */
function attachInputs(attach: NonNullable<TriageCardOptions["attach"]>): CardElement[] {
  const inputs: CardElement[] = [textBlock("**Add to case**", { spacing: "Medium", separator: true })];
  if (attach.cases.length) {
    inputs.push({
      type: "Input.ChoiceSet",
      id: "openCase",
      label: "The sender's open cases",
      style: "compact",
      placeholder: "Choose a case",
      choices: attach.cases.map((open) => ({ title: clip(senderCaseLabel(open), 120), value: open.reference })),
      ...(attach.openCase ? { value: attach.openCase } : {}),
    });
  } else {
    inputs.push(textBlock("The sender has no open case on record.", { isSubtle: true, size: "Small" }));
  }
  inputs.push({
    type: "Input.Text",
    id: "reference",
    label: attach.cases.length ? "Or another case's reference" : "Case reference",
    placeholder: "PFCC-2026-0042",
    maxLength: 40,
    ...(attach.reference ? { value: attach.reference } : {}),
  });
  inputs.push(...fieldError(attach.error?.message));
  return inputs;
}
