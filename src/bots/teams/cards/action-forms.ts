import { caseActionSpec, type CaseAction, type FormField, type FormPreview } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { NO_PARTNERS } from "../../../domain/partners/partner-directory.ts";
import { NO_ASSIGNABLE_STAFF } from "../../../domain/staff/staff-service.ts";
import { NO_TEAMS } from "../../../domain/teams/team-service.ts";
import { formFields, formOf, formPreview, variantInput, type FormContext, type FormOptions } from "../../shared/action-controls.ts";
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
    case "staff":
      if (options.staff.length === 0) return textBlock(NO_ASSIGNABLE_STAFF, { color: "Attention" });
      return {
        type: "Input.ChoiceSet",
        ...base,
        style: "compact",
        placeholder: "Choose someone",
        choices: options.staff.map((choice) => ({ title: choice.label, value: choice.value })),
        ...(value !== undefined && options.staff.some((choice) => choice.value === value) ? { value } : {}),
      };
    case "team":
      if (options.teams.length === 0) return textBlock(NO_TEAMS, { color: "Attention" });
      return {
        type: "Input.ChoiceSet",
        ...base,
        style: "compact",
        placeholder: "Choose a team",
        choices: options.teams.map((choice) => ({ title: choice.label, value: choice.value })),
        ...(value !== undefined && options.teams.some((choice) => choice.value === value) ? { value } : {}),
      };
  }
}

/** Inputs the card shows: an empty partner directory, or nobody to assign, leaves its field out (the form says so instead). */
function shown(field: FormField, options: FormOptions): boolean {
  if (field.kind === "partner") return options.partners.length > 0;
  if (field.kind === "staff") return options.staff.length > 0;
  if (field.kind === "team") return options.teams.length > 0;
  return true;
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
