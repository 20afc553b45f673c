import type { KnownBlock, ModalView, PlainTextOption } from "./block-kit.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { OUTCOMES, WORK_ENTRY_TYPES, ENTRY_LABELS } from "../../../domain/cases/vocabulary.ts";
import { ACTION_FIELDS, CALLBACKS } from "../ids.ts";
import type { ActionMetadata, ActionModal } from "../slack.schema.ts";
import { clip, LIMITS } from "./limits.ts";

const TITLES: Record<ActionModal, { title: string; submit: string }> = {
  add_update: { title: "Add an update", submit: "Add" },
  refer: { title: "Refer to a partner", submit: "Refer" },
  partner_reply: { title: "Partner replied", submit: "Record" },
  respond: { title: "Record full response", submit: "Record" },
  close: { title: "Close case", submit: "Close" },
  reopen: { title: "Reopen case", submit: "Reopen" },
};

function option(value: string, label: string): PlainTextOption {
  return { text: { type: "plain_text", text: clip(label, LIMITS.optionText) }, value };
}

function text(label: string, optional = false, hint?: string): KnownBlock {
  return {
    type: "input",
    block_id: ACTION_FIELDS.text,
    optional,
    label: { type: "plain_text", text: label },
    ...(hint ? { hint: { type: "plain_text", text: hint } } : {}),
    element: { type: "plain_text_input", action_id: ACTION_FIELDS.text, multiline: true, max_length: 3000 },
  };
}

function fieldsFor(action: ActionModal, view: CaseView): KnownBlock[] {
  switch (action) {
    case "add_update":
      return [
        {
          type: "input",
          block_id: ACTION_FIELDS.entryType,
          label: { type: "plain_text", text: "What happened" },
          element: {
            type: "static_select",
            action_id: ACTION_FIELDS.entryType,
            options: WORK_ENTRY_TYPES.map((type) => option(type, ENTRY_LABELS[type])),
            initial_option: option("note", ENTRY_LABELS.note),
          },
        },
        text("Details"),
      ];
    case "refer":
      return [
        { type: "input", block_id: ACTION_FIELDS.partner, label: { type: "plain_text", text: "Partner" }, element: { type: "plain_text_input", action_id: ACTION_FIELDS.partner, max_length: 120, placeholder: { type: "plain_text", text: "e.g. Thames Valley Police" } } },
        { type: "input", block_id: ACTION_FIELDS.workingDays, optional: true, label: { type: "plain_text", text: "Reply expected within (working days)" }, element: { type: "number_input", action_id: ACTION_FIELDS.workingDays, is_decimal_allowed: false, min_value: "1", max_value: "60" } },
        text("Note", true),
      ];
    case "partner_reply": {
      const outstanding = view.referrals.filter((r) => !r.repliedOn);
      const partner: KnownBlock[] = outstanding.length > 1
        ? [{ type: "input", block_id: ACTION_FIELDS.partner, label: { type: "plain_text", text: "Which partner" }, element: { type: "static_select", action_id: ACTION_FIELDS.partner, options: outstanding.slice(0, 100).map((r) => option(r.partner.slice(0, 75), r.partner)) } }]
        : [];
      return [...partner, text("What they said")];
    }
    case "respond":
      return [text("The full response sent", false, "A summary is enough; the letter itself lives where the office keeps letters.")];
    case "close":
      return [
        {
          type: "input",
          block_id: ACTION_FIELDS.outcome,
          label: { type: "plain_text", text: "Outcome" },
          element: {
            type: "static_select",
            action_id: ACTION_FIELDS.outcome,
            options: OUTCOMES.map((outcome) => option(outcome, outcome.replace(/-/g, " "))),
            ...(view.status === "responded" ? { initial_option: option("responded", "responded") } : {}),
          },
        },
        text("Note", true),
      ];
    case "reopen":
      return [text("Why it is reopened")];
  }
}

/** A small modal asking only for what one action needs. */
export function actionModal(action: ActionModal, view: CaseView, metadata: ActionMetadata): ModalView {
  const { title, submit } = TITLES[action];
  const heading = view.redacted ? `${view.reference} (sensitive)` : `${view.reference}: ${view.subject ?? ""}`;
  return {
    type: "modal",
    callback_id: CALLBACKS.caseAction,
    private_metadata: JSON.stringify(metadata),
    title: { type: "plain_text", text: clip(title, LIMITS.modalTitle) },
    submit: { type: "plain_text", text: submit },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [{ type: "context", elements: [{ type: "plain_text", text: clip(heading, 2000) }] }, ...fieldsFor(action, view)],
  };
}

/** Core field names → the block that shows their error in these modals. */
export const ACTION_FIELD_BLOCKS: Record<string, string> = {
  text: ACTION_FIELDS.text,
  reason: ACTION_FIELDS.text,
  partner: ACTION_FIELDS.partner,
  workingDays: ACTION_FIELDS.workingDays,
  outcome: ACTION_FIELDS.outcome,
  type: ACTION_FIELDS.entryType,
};
