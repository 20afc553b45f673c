import type { CaseAction, FormField, FormPreview } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { formFields, formOf, formPreview, isLoadedKind, LOADED_CHOICES, type FormContext } from "../../shared/action-controls.ts";
import { actionFieldBlock, CALLBACKS } from "../ids.ts";
import type { ActionMetadata } from "../slack.schema.ts";
import type { KnownBlock, ModalView, PlainTextOption } from "./block-kit.ts";
import { clip, LIMITS } from "./limits.ts";
import { escapeMrkdwn } from "./slack-text.ts";

/** Slack's plain text input holds at most this many characters. */
const TEXT_INPUT_MAX = 3000;

function option(value: string, label: string): PlainTextOption {
  return { text: { type: "plain_text", text: clip(label, LIMITS.optionText) }, value };
}

/** One field of the core's form as a Slack input block; null when Slack cannot hold its current value. */
function inputBlock(field: FormField, view: CaseView, options: FormContext): KnownBlock | null {
  const id = actionFieldBlock(field.name);
  const initial = field.initial?.(view, options);
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
    case "partner":
    case "staff":
    case "team": {
      // Short lists (partners, caseworkers, teams); past Slack's 100 options, the command names any of them.
      const loaded = LOADED_CHOICES[field.kind];
      const choices = loaded.of(options).slice(0, 100).map((choice) => option(choice.value.slice(0, 75), choice.label));
      if (choices.length === 0) return null;
      return { ...base, element: { type: "static_select", action_id: id, options: choices, placeholder: { type: "plain_text", text: loaded.prompt } } };
    }
  }
}

/** The fields of an action's modal that Slack shows, by the core's field names. */
export function modalFields(action: CaseAction, view: CaseView, options: FormContext): { field: FormField; block: KnownBlock }[] {
  return formFields(action, view, options).flatMap((field) => {
    const block = inputBlock(field, view, options);
    return block ? [{ field, block }] : [];
  });
}

/** What the modal says in place of a choice it has nothing to offer (an empty partner directory, nobody to assign), or of words too long for Slack's input. */
function missingFieldNotes(action: CaseAction, view: CaseView, options: FormContext, shown: readonly FormField[]): KnownBlock[] {
  const fields = formFields(action, view, options);
  const notes: string[] = [];
  for (const field of fields) {
    if (isLoadedKind(field.kind)) {
      const loaded = LOADED_CHOICES[field.kind];
      if (loaded.of(options).length === 0 && !notes.includes(loaded.none)) notes.push(loaded.none);
    } else if (!shown.includes(field)) notes.push(`${field.label}: longer than a Slack form can hold (${TEXT_INPUT_MAX} characters), so it is kept as it is. Change it at the console.`);
  }
  return notes.map((text) => ({ type: "section", text: { type: "plain_text", text: clip(text, LIMITS.sectionText) } }));
}

/** What will go out, above the inputs: each part labelled, its words (anyone's) shown as typed, split to fit Slack's sections. */
export function previewBlocks(preview: readonly FormPreview[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (const part of preview) {
    const chunks = splitForSections(part.text, LIMITS.sectionText - part.label.length - 10);
    chunks.forEach((chunk, index) => {
      const label = index === 0 ? `*${escapeMrkdwn(part.label)}*\n` : "";
      blocks.push({ type: "section", text: { type: "mrkdwn", text: `${label}${escapeMrkdwn(chunk)}` } });
    });
  }
  return blocks;
}

/** Cuts words into pieces whose escaped text fits `max`, at line ends where it can. */
function splitForSections(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const joined = current ? `${current}\n${line}` : line;
    if (escapeMrkdwn(joined).length <= max) {
      current = joined;
      continue;
    }
    if (current) pieces.push(current);
    current = line;
    while (escapeMrkdwn(current).length > max) {
      // The longest start of the line that fits, found by halving (escaping only lengthens words).
      let [fits, fails] = [1, current.length];
      while (fails - fits > 1) {
        const middle = Math.floor((fits + fails) / 2);
        if (escapeMrkdwn(current.slice(0, middle)).length <= max) fits = middle;
        else fails = middle;
      }
      pieces.push(current.slice(0, fits));
      current = current.slice(fits);
    }
  }
  if (current || pieces.length === 0) pieces.push(current || " ");
  return pieces;
}

/** A small modal asking only for what one action needs, from the core's table: what will go out first, where the action sends something. */
export function actionModal(view: CaseView, metadata: Omit<ActionMetadata, "asked">, options: FormContext): ModalView {
  const { title, submit } = formOf(metadata.action, options);
  const heading = view.redacted ? `${view.reference} (sensitive)` : `${view.reference}: ${view.subject ?? ""}`;
  const fields = modalFields(metadata.action, view, options);
  const preview = previewBlocks(formPreview(metadata.action, view, options));
  return {
    type: "modal",
    callback_id: CALLBACKS.caseAction,
    private_metadata: JSON.stringify({ ...metadata, asked: fields.map(({ field }) => field.name) }),
    title: { type: "plain_text", text: clip(title, LIMITS.modalTitle) },
    submit: { type: "plain_text", text: clip(submit, LIMITS.modalTitle) },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "context", elements: [{ type: "plain_text", text: clip(heading, 2000) }] },
      ...preview.slice(0, LIMITS.modalBlocks - 20),
      ...missingFieldNotes(metadata.action, view, options, fields.map(({ field }) => field)),
      ...fields.map(({ block }) => block),
    ],
  };
}
