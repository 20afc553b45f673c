import type { CaseView } from "../../../domain/cases/case-view.ts";
import { ENTRY_LABELS, OUTCOMES, WORK_ENTRY_TYPES } from "../../../domain/cases/vocabulary.ts";
import { VERBS, type FormName } from "../verbs.ts";
import { adaptiveCard, execute, fieldError, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
import { caseData, caseSummaryElements } from "./case-card.ts";

/**
 * The inputs a case action needs (an update's text, a partner, an outcome), shown in
 * place of the case card. Required inputs are checked by Teams before sending; the
 * core's refusals come back on the same form, beside the input at fault.
 */

export interface FormState {
  /** What the person had typed, so a refusal does not lose it. */
  values?: Record<string, string | undefined>;
  /** The core's message, and the input it concerns (absent: about the whole form). */
  error?: { message: string; input?: string };
}

interface InputSpec {
  id: string;
  label: string;
  element: (value: string | undefined) => CardElement;
}

const choice = (title: string, value: string) => ({ title, value });

function textInput(id: string, label: string, options: { required?: boolean; multiline?: boolean; max?: number; placeholder?: string } = {}): InputSpec {
  return {
    id,
    label,
    element: (value) => ({
      type: "Input.Text",
      id,
      label,
      isMultiline: options.multiline ?? false,
      maxLength: options.max ?? 20_000,
      ...(options.placeholder ? { placeholder: options.placeholder } : {}),
      ...(options.required ? { isRequired: true, errorMessage: `${label} is required.` } : {}),
      ...(value !== undefined ? { value } : {}),
    }),
  };
}

function choiceInput(id: string, label: string, choices: { title: string; value: string }[], fallback?: string, required = true): InputSpec {
  return {
    id,
    label,
    element: (value) => ({
      type: "Input.ChoiceSet",
      id,
      label,
      style: "compact",
      choices,
      ...(required ? { isRequired: true, errorMessage: `Choose ${label.toLowerCase()}.` } : {}),
      ...((value ?? fallback) !== undefined ? { value: value ?? fallback } : {}),
    }),
  };
}

function outstandingPartners(view: CaseView): string[] {
  return [...new Set(view.referrals.filter((referral) => !referral.repliedOn).map((referral) => referral.partner))];
}

const FORMS: Record<FormName, { title: string; submit: string; verb: string; inputs: (view: CaseView) => InputSpec[] }> = {
  addUpdate: {
    title: "Add an update",
    submit: "Save update",
    verb: VERBS.addUpdate,
    inputs: () => [
      choiceInput("entryType", "Kind of update", WORK_ENTRY_TYPES.map((type) => choice(ENTRY_LABELS[type], type)), "note"),
      textInput("text", "What happened", { required: true, multiline: true }),
    ],
  },
  refer: {
    title: "Refer to a partner",
    submit: "Refer",
    verb: VERBS.refer,
    inputs: () => [
      textInput("partner", "Partner", { required: true, max: 120, placeholder: "e.g. Police – Neighbourhood Team" }),
      {
        id: "workingDays",
        label: "Working days to reply",
        element: (value) => ({
          type: "Input.Number",
          id: "workingDays",
          label: "Working days to reply (default 10)",
          min: 1,
          max: 60,
          errorMessage: "Between 1 and 60 working days.",
          ...(value !== undefined && /^\d+$/.test(value) ? { value: Number(value) } : {}),
        }),
      },
      textInput("note", "Note", { multiline: true }),
    ],
  },
  partnerReply: {
    title: "Record a partner's reply",
    submit: "Save reply",
    verb: VERBS.partnerReply,
    inputs: (view) => {
      const partners = outstandingPartners(view);
      return [
        ...(partners.length > 1 ? [choiceInput("partner", "Partner", partners.map((p) => choice(p, p)), partners[0])] : []),
        textInput("text", "What the partner said", { required: true, multiline: true }),
      ];
    },
  },
  respond: {
    title: "Record the full response",
    submit: "Record response",
    verb: VERBS.respond,
    inputs: () => [textInput("text", "Summary of the response sent", { required: true, multiline: true })],
  },
  close: {
    title: "Close the case",
    submit: "Close case",
    verb: VERBS.close,
    inputs: (view) => [
      choiceInput("outcome", "Outcome", OUTCOMES.map((outcome) => choice(outcome, outcome)), view.status === "responded" ? "responded" : undefined),
      textInput("text", "Note", { multiline: true }),
    ],
  },
  reopen: {
    title: "Reopen the case",
    submit: "Reopen",
    verb: VERBS.reopen,
    inputs: () => [textInput("reason", "Why it is reopened", { required: true, multiline: true })],
  },
};

export function actionFormCard(view: CaseView, form: FormName, state: FormState = {}): AdaptiveCard {
  const spec = FORMS[form];
  const body: CardElement[] = [...caseSummaryElements(view), textBlock(`**${spec.title}**`, { separator: true })];
  const inputs = spec.inputs(view);
  const errorInput = inputs.some((input) => input.id === state.error?.input) ? state.error?.input : undefined;
  if (state.error && !errorInput) body.push(...fieldError(state.error.message));
  for (const input of inputs) {
    body.push(input.element(state.values?.[input.id]));
    if (input.id === errorInput) body.push(...fieldError(state.error?.message));
  }
  return adaptiveCard(body, [
    execute(spec.submit, spec.verb, caseData(view), { style: "positive" }),
    execute("Cancel", VERBS.show, caseData(view), { associatedInputs: "none" }),
  ]);
}

/** Which input a core field error belongs to, per form (the core names fields by its own inputs). */
export const CORE_FIELD_TO_INPUT: Record<FormName, Record<string, string>> = {
  addUpdate: { type: "entryType", text: "text" },
  refer: { partner: "partner", workingDays: "workingDays", text: "note" },
  partnerReply: { partner: "partner", text: "text" },
  respond: { text: "text" },
  close: { outcome: "outcome", text: "text" },
  reopen: { reason: "reason" },
};
