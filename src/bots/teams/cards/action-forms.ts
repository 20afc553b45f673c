import { caseActionSpec, type CaseAction, type FormField } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { NO_PARTNERS } from "../../../domain/partners/partner-directory.ts";
import { formFields, formOf, formPreview, variantInput, type FormContext, type FormOptions } from "../../shared/action-controls.ts";
import { actionVerb, VERBS } from "../verbs.ts";
import { adaptiveCard, clip, execute, fieldError, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
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
      // An empty directory has nothing to choose: the form says whom to ask instead.
      if (options.partners.length === 0) return textBlock(NO_PARTNERS, { color: "Attention" });
      return {
        type: "Input.ChoiceSet",
        ...base,
        style: "compact",
        placeholder: "Choose a partner",
        choices: options.partners.map((choice) => ({ title: choice.label, value: choice.value })),
        ...(value !== undefined && options.partners.some((choice) => choice.value === value) ? { value } : {}),
      };
  }
}

/** Inputs the card shows: an empty partner directory leaves its field out (the form says so instead). */
function shown(field: FormField, options: FormOptions): boolean {
  return field.kind !== "partner" || options.partners.length > 0;
}

/** Teams answers 413 past its card size limit: the words shown above a form are kept well within it. */
const PREVIEW_CHARACTERS = 6_000;

export function actionFormCard(view: CaseView, action: CaseAction, options: FormContext, state: FormState = {}): AdaptiveCard {
  const { title, submit } = formOf(action, options);
  const body: CardElement[] = [...caseSummaryElements(view), textBlock(`**${title}**`, { separator: true })];
  // What will go out, above the inputs: each part's words are anyone's, escaped (teamsText).
  for (const part of formPreview(action, view, options)) {
    body.push(textBlock(`**${teamsText(part.label)}**`, { spacing: "Small" }), textBlock(teamsText(clip(part.text, PREVIEW_CHARACTERS)), { spacing: "None" }));
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
