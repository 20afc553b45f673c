import { caseActionSpec, type CaseAction, type FormField, type FormPreview } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { formFields, formOf, formPreview, isLoadedKind, LOADED_CHOICES, variantInput, type FormContext, type FormOptions } from "../../shared/action-controls.ts";
import { actionVerb, VERBS } from "../verbs.ts";
import { adaptiveCard, clip, execute, fieldError, MAX_CARD_BYTES, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
import { caseData, caseSummaryElements } from "./case-card.ts";
import { teamsText } from "./teams-text.ts";

/**
 * The inputs a case action needs, from the core's table, shown in place of the case card.
 * Each input's id is the core's name for it, so the core's refusals come back beside the
 * input at fault. Required inputs are checked by Teams before sending.
 */

export interface FormState {
  /** What the person had typed, so a refusal does not lose it. */
  values?: Record<string, string | undefined>;
  /** The core's message, and the input it concerns (absent: about the whole form). */
  error?: { message: string; input?: string };
}

function inputElement(field: FormField, view: CaseView, typed: string | undefined, options: FormContext): CardElement {
  const value = typed ?? field.initial?.(view, options);
  const required = field.required ? { isRequired: true, errorMessage: `${field.label} is required.` } : {};
  const base = { id: field.name, label: field.label, ...required };
  switch (field.kind) {
    case "text":
    case "long_text":
      return {
        type: "Input.Text",
        ...base,
        isMultiline: field.kind === "long_text",
        maxLength: field.max ?? 20_000,
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(value !== undefined ? { value } : {}),
      };
    case "number":
      return {
        type: "Input.Number",
        ...base,
        ...(field.min !== undefined ? { min: field.min } : {}),
        ...(field.max !== undefined ? { max: field.max } : {}),
        ...(value !== undefined && /^\d+$/.test(value) ? { value: Number(value) } : {}),
      };
    case "date":
      return { type: "Input.Date", ...base, ...(value ? { value } : {}) };
    case "choice":
      return {
        type: "Input.ChoiceSet",
        ...base,
        style: "compact",
        choices: (field.choices?.(view) ?? []).map((choice) => ({ title: choice.label, value: choice.value })),
        ...(value !== undefined ? { value } : {}),
      };
    case "partner":
    case "staff":
    case "team": {
      // Nothing to choose (an empty directory, nobody to assign, no teams): the form says what to do instead.
      const loaded = LOADED_CHOICES[field.kind];
      const choices = loaded.of(options);
      if (choices.length === 0) return textBlock(loaded.none, { color: "Attention" });
      return {
        type: "Input.ChoiceSet",
        ...base,
        style: "compact",
        placeholder: loaded.prompt,
        choices: choices.map((choice) => ({ title: choice.label, value: choice.value })),
        ...(value !== undefined && choices.some((choice) => choice.value === value) ? { value } : {}),
      };
    }
  }
}

/** Inputs the card shows: an empty partner directory, or nobody to assign, leaves its field out (the form says so instead). */
function shown(field: FormField, options: FormOptions): boolean {
  return isLoadedKind(field.kind) ? LOADED_CHOICES[field.kind].of(options).length > 0 : true;
}

export function actionFormCard(view: CaseView, action: CaseAction, options: FormContext, state: FormState = {}): AdaptiveCard {
  const preview = formPreview(action, view, options);
  const longest = Math.max(0, ...preview.map((part) => part.text.length));
  const whole = formCard(view, action, options, state, preview, longest);
  if (cardBytes(whole) <= MAX_CARD_BYTES) return whole;
  // Teams answers 413 past its size limit: the words shown are cut to what fits, and the form says where the rest is.
  let [fits, fails] = [0, longest];
  while (fails - fits > 1) {
    const middle = Math.floor((fits + fails) / 2);
    if (cardBytes(formCard(view, action, options, state, preview, middle)) <= MAX_CARD_BYTES) fits = middle;
    else fails = middle;
  }
  return formCard(view, action, options, state, preview, fits);
}

function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card));
}

/** The form, its preview's words shown up to `room` characters each. */
function formCard(view: CaseView, action: CaseAction, options: FormContext, state: FormState, preview: readonly FormPreview[], room: number): AdaptiveCard {
  const { title, submit } = formOf(action, options);
  const body: CardElement[] = [...caseSummaryElements(view), textBlock(`**${title}**`, { separator: true })];
  // What will go out, above the inputs: each part's words are anyone's, escaped (teamsText).
  for (const part of preview) {
    body.push(textBlock(`**${teamsText(part.label)}**`, { spacing: "Small" }), textBlock(teamsText(clip(part.text, room)), { spacing: "None" }));
  }
  if (preview.some((part) => part.text.length > room)) {
    const item = caseActionSpec(action).variants?.field === "item" && options.value !== undefined ? ` ${options.value}` : "";
    body.push(textBlock(`Teams cannot show all of it on one card: send me **outgoing ${teamsText(view.reference)}${item}** to read it whole.`, { color: "Attention" }));
  }
  const fields = formFields(action, view, options);
  const errorInput = fields.some((field) => field.name === state.error?.input) ? state.error?.input : undefined;
  if (state.error && !errorInput) body.push(...fieldError(state.error.message));
  for (const field of fields) {
    body.push(inputElement(field, view, state.values?.[field.name], options));
    if (field.hint) body.push(textBlock(field.hint, { isSubtle: true, size: "Small", spacing: "None" }));
    if (field.name === errorInput) body.push(...fieldError(state.error?.message));
  }
  return adaptiveCard(body, [
    execute(
      submit,
      actionVerb(action),
      { ...caseData(view), ...variantInput(action, options.value), asked: fields.filter((field) => shown(field, options)).map((field) => field.name).join(",") },
      { style: caseActionSpec(action).button.style === "danger" ? "destructive" : "positive" },
    ),
    execute("Cancel", VERBS.show, caseData(view), { associatedInputs: "none" }),
  ]);
}
