import type { FormField } from "../../../domain/cases/case-actions.ts";
import type { CaseAction } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { NO_PARTNERS } from "../../../domain/partners/partner-directory.ts";
import { formFields, formOf, type FormOptions } from "../../shared/action-controls.ts";
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
function inputBlock(field: FormField, view: CaseView, options: FormOptions): KnownBlock | null {
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
    case "partner": {
      // Slack's select holds at most 100 options; the directory is a short list of organisations.
      const choices = options.partners.slice(0, 100).map((choice) => option(choice.value, choice.label));
      if (choices.length === 0) return null;
      return { ...base, element: { type: "static_select", action_id: id, options: choices, placeholder: { type: "plain_text", text: "Choose a partner" } } };
    }
  }
}

/** The fields of an action's modal that Slack shows, by the core's field names. */
export function modalFields(action: CaseAction, view: CaseView, options: FormOptions): { field: FormField; block: KnownBlock }[] {
  return formFields(action, view).flatMap((field) => {
    const block = inputBlock(field, view, options);
    return block ? [{ field, block }] : [];
  });
}

/** What the modal says in place of a choice it has nothing to offer (an empty partner directory). */
function emptyChoiceNotes(action: CaseAction, view: CaseView, options: FormOptions): KnownBlock[] {
  const missing = formFields(action, view).some((field) => field.kind === "partner" && options.partners.length === 0);
  return missing ? [{ type: "section", text: { type: "plain_text", text: NO_PARTNERS } }] : [];
}

/** A small modal asking only for what one action needs, from the core's table. */
export function actionModal(view: CaseView, metadata: Omit<ActionMetadata, "asked">, options: FormOptions): ModalView {
  const { title, submit } = formOf(metadata.action);
  const heading = view.redacted ? `${view.reference} (sensitive)` : `${view.reference}: ${view.subject ?? ""}`;
  const fields = modalFields(metadata.action, view, options);
  return {
    type: "modal",
    callback_id: CALLBACKS.caseAction,
    private_metadata: JSON.stringify({ ...metadata, asked: fields.map(({ field }) => field.name) }),
    title: { type: "plain_text", text: clip(title, LIMITS.modalTitle) },
    submit: { type: "plain_text", text: clip(submit, LIMITS.modalTitle) },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [{ type: "context", elements: [{ type: "plain_text", text: clip(heading, 2000) }] }, ...emptyChoiceNotes(metadata.action, view, options), ...fields.map(({ block }) => block)],
  };
}
