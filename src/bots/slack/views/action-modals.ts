import type { FormField } from "../../../domain/cases/case-actions.ts";
import type { CaseAction } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { formFields, formOf } from "../../shared/action-controls.ts";
import { actionFieldBlock, CALLBACKS } from "../ids.ts";
import type { ActionMetadata } from "../slack.schema.ts";
import type { KnownBlock, ModalView, PlainTextOption } from "./block-kit.ts";
import { clip, LIMITS } from "./limits.ts";

/** Slack's plain text input holds at most this many characters. */
const TEXT_INPUT_MAX = 3000;

function option(value: string, label: string): PlainTextOption {
  return { text: { type: "plain_text", text: clip(label, LIMITS.optionText) }, value };
}

/** One field of the core's form as a Slack input block; null when Slack cannot hold its current value. */
function inputBlock(field: FormField, view: CaseView): KnownBlock | null {
  const id = actionFieldBlock(field.name);
  const initial = field.initial?.(view);
  const base = {
    type: "input" as const,
    block_id: id,
    optional: !field.required,
    label: { type: "plain_text" as const, text: clip(field.label, 2000) },
    ...(field.hint ? { hint: { type: "plain_text" as const, text: clip(field.hint, 2000) } } : {}),
  };
  switch (field.kind) {
    case "text":
    case "long_text": {
      // A value longer than Slack's input would be cut on saving; such a field is left out (and so unchanged).
      if (initial && initial.length > TEXT_INPUT_MAX) return null;
      return {
        ...base,
        element: {
          type: "plain_text_input",
          action_id: id,
          multiline: field.kind === "long_text",
          max_length: Math.min(field.max ?? TEXT_INPUT_MAX, TEXT_INPUT_MAX),
          ...(field.placeholder ? { placeholder: { type: "plain_text", text: field.placeholder } } : {}),
          ...(initial ? { initial_value: initial } : {}),
        },
      };
    }
    case "number":
      return {
        ...base,
        element: { type: "number_input", action_id: id, is_decimal_allowed: false, ...(field.min !== undefined ? { min_value: String(field.min) } : {}), ...(field.max !== undefined ? { max_value: String(field.max) } : {}) },
      };
    case "date":
      return { ...base, element: { type: "datepicker", action_id: id, ...(initial ? { initial_date: initial } : {}) } };
    case "choice": {
      const options = (field.choices?.(view) ?? []).slice(0, 100).map((choice) => option(choice.value.slice(0, 75), choice.label));
      const chosen = options.find((o) => o.value === initial);
      return { ...base, element: { type: "static_select", action_id: id, options, ...(chosen ? { initial_option: chosen } : {}) } };
    }
  }
}

/** The fields of an action's modal that Slack shows, by the core's field names. */
export function modalFields(action: CaseAction, view: CaseView): { field: FormField; block: KnownBlock }[] {
  return formFields(action, view).flatMap((field) => {
    const block = inputBlock(field, view);
    return block ? [{ field, block }] : [];
  });
}

/** A small modal asking only for what one action needs, from the core's table. */
export function actionModal(view: CaseView, metadata: Omit<ActionMetadata, "asked">): ModalView {
  const { title, submit } = formOf(metadata.action);
  const heading = view.redacted ? `${view.reference} (sensitive)` : `${view.reference}: ${view.subject ?? ""}`;
  const fields = modalFields(metadata.action, view);
  return {
    type: "modal",
    callback_id: CALLBACKS.caseAction,
    private_metadata: JSON.stringify({ ...metadata, asked: fields.map(({ field }) => field.name) }),
    title: { type: "plain_text", text: clip(title, LIMITS.modalTitle) },
    submit: { type: "plain_text", text: clip(submit, LIMITS.modalTitle) },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [{ type: "context", elements: [{ type: "plain_text", text: clip(heading, 2000) }] }, ...fields.map(({ block }) => block)],
  };
}
