import { DISMISS_LABELS, DISMISS_REASONS, type DismissReason, type IntakeRecord } from "../../../domain/intake/intake-message.ts";
import type { SenderCase } from "../../../domain/intake/triage.ts";
import { senderCaseLabel, triageCardText } from "../../shared/intake-text.ts";
import { INTAKE_ACTIONS, INTAKE_ATTACH, INTAKE_DISMISS } from "../ids.ts";
import type { KnownBlock, ModalView, PlainTextOption } from "./block-kit.ts";
import { clip } from "./limits.ts";
import { escapeMrkdwn, mrkdwn, slackCode } from "./slack-text.ts";

/**
 * A new email in a triage channel: who sent it, what it says, and the three decisions —
 * Log as new case, Add to case…, Not casework (a reason from the list). Once decided, the
 * same card says what became of it and offers nothing more. Every word from the email is
 * escaped: the first lines sit in a code block, where nothing is live. Once the email is erased
 * (`erased`), the card shows nothing of its sender or words.
 */
export function triageCardBlocks(record: IntakeRecord, options: { erased?: boolean } = {}): KnownBlock[] {
  const card = triageCardText(record, options);
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `:incoming_envelope: *${card.title}* · received ${escapeMrkdwn(card.received)}` } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*From*\n${mrkdwn(card.sender, 1900)}` },
        { type: "mrkdwn", text: `*Subject*\n${mrkdwn(card.subject, 1900)}` },
      ],
    },
  ];
  if (card.note) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `:warning: ${mrkdwn(card.note, 1900)}` }] });
  if (card.firstLines) blocks.push({ type: "section", text: { type: "mrkdwn", text: `\`\`\`${slackCode(card.firstLines).slice(0, 2900)}\`\`\`` } });
  if (card.attachments.length) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `:paperclip: ${mrkdwn(card.attachments.join(" · "), 1900)}` }] });
  }
  if (card.outcome) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `:white_check_mark: ${mrkdwn(card.outcome, 1900)}` }] });
    return blocks;
  }
  const value = (extra: Record<string, string> = {}) => JSON.stringify({ i: record.id, ...extra });
  blocks.push({
    type: "actions",
    block_id: `intake_${record.id}`,
    elements: [
      { type: "button", action_id: INTAKE_ACTIONS.log, text: { type: "plain_text", text: "Log as new case" }, style: "primary", value: value() },
      { type: "button", action_id: INTAKE_ACTIONS.attach, text: { type: "plain_text", text: "Add to case…" }, value: value() },
      {
        type: "static_select",
        action_id: INTAKE_ACTIONS.dismiss,
        placeholder: { type: "plain_text", text: "Not casework…" },
        options: DISMISS_REASONS.map((reason): PlainTextOption => ({ text: { type: "plain_text", text: DISMISS_LABELS[reason] }, value: value({ r: reason }) })),
      },
    ],
  });
  return blocks;
}

/** The notification text of a triage card (it may notify: escaped). */
export function triageFallbackText(record: IntakeRecord, options: { erased?: boolean } = {}): string {
  const card = triageCardText(record, options);
  return escapeMrkdwn(`${card.title} from ${card.sender}: ${card.subject}${card.outcome ? ` — ${card.outcome}` : ""}`.slice(0, 300));
}

/** "Which person?" when the sender may be someone on record: each known record, or a new person; one click logs. */
export function constituentChoiceBlocks(id: number, question: string, choices: { title: string; value: string }[]): KnownBlock[] {
  return [
    { type: "section", text: { type: "mrkdwn", text: `:grey_question: ${mrkdwn(question, 2900)}` } },
    {
      type: "actions",
      block_id: `intake_choice_${id}`,
      elements: choices.slice(0, 5).map((choice, index) => ({
        type: "button" as const,
        action_id: `${INTAKE_ACTIONS.log}_${index}`,
        text: { type: "plain_text" as const, text: choice.title.slice(0, 75) },
        value: JSON.stringify({ i: id, c: choice.value }),
      })),
    },
  ];
}

/** Add to case…: a reference typed, or one of the sender's open cases chosen. */
export function attachModal(record: IntakeRecord, openCases: readonly SenderCase[]): ModalView {
  const card = triageCardText(record);
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${card.title}* from ${mrkdwn(card.sender, 600)}\n${mrkdwn(card.subject, 600)}` } },
  ];
  if (openCases.length) {
    blocks.push({
      type: "input",
      block_id: INTAKE_ATTACH.openCase,
      optional: true,
      label: { type: "plain_text", text: "The sender's open cases" },
      element: {
        type: "static_select",
        action_id: INTAKE_ATTACH.openCase,
        placeholder: { type: "plain_text", text: "Choose a case" },
        options: openCases.slice(0, 25).map((open) => ({ text: { type: "plain_text", text: clip(senderCaseLabel(open), 75) }, value: open.reference })),
      },
    });
  }
  blocks.push({
    type: "input",
    block_id: INTAKE_ATTACH.reference,
    optional: openCases.length > 0,
    label: { type: "plain_text", text: openCases.length ? "Or another case's reference" : "Case reference" },
    element: { type: "plain_text_input", action_id: INTAKE_ATTACH.reference, max_length: 40, placeholder: { type: "plain_text", text: "PFCC-2026-0042" } },
  });
  return {
    type: "modal",
    callback_id: INTAKE_ATTACH.callback,
    private_metadata: JSON.stringify({ i: record.id }),
    title: { type: "plain_text", text: "Add to case" },
    submit: { type: "plain_text", text: "Add" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}

/** Not casework, for a reason that needs a note ("other"): what it is, kept with the decision. */
export function dismissNoteModal(record: IntakeRecord, reason: DismissReason): ModalView {
  const card = triageCardText(record);
  return {
    type: "modal",
    callback_id: INTAKE_DISMISS.callback,
    private_metadata: JSON.stringify({ i: record.id, r: reason }),
    title: { type: "plain_text", text: "Not casework" },
    submit: { type: "plain_text", text: "Dismiss" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${card.title}* from ${mrkdwn(card.sender, 600)}\n${mrkdwn(card.subject, 600)}` } },
      {
        type: "input",
        block_id: INTAKE_DISMISS.note,
        label: { type: "plain_text", text: "What is it?" },
        hint: { type: "plain_text", text: `Needed when the reason is ${DISMISS_LABELS[reason]}: kept with the decision, and shown on the card.` },
        element: { type: "plain_text_input", action_id: INTAKE_DISMISS.note, multiline: true, max_length: 500, placeholder: { type: "plain_text", text: "A survey from a university" } },
      },
    ],
  };
}
