import { caseActionSpec, type CaseAction, type Choice, type FormField } from "../../domain/cases/case-actions.ts";
import type { CaseView } from "../../domain/cases/case-view.ts";
import type { PartnerService } from "../../domain/partners/partner-service.ts";

/**
 * What the core's table of case actions (case-actions.ts) means for a card: which
 * controls it shows, which inputs a form asks for, and how the values a platform sends
 * back become the action's input. Slack and Teams render these; neither lists actions.
 */

export interface CardControl {
  action: CaseAction;
  label: string;
  style?: "primary" | "danger";
  /** A button that acts at once, or one that opens the action's form. */
  opens: "at_once" | "form";
  /** In the card's menu ("More…") rather than among its buttons. */
  secondary: boolean;
}

/** The controls of a case card, in the table's order: buttons first, then menu items. */
export function cardControls(view: Pick<CaseView, "nextActions">): CardControl[] {
  const controls: CardControl[] = [];
  for (const action of view.nextActions) {
    const { button, form } = caseActionSpec(action);
    const secondary = button.secondary ?? false;
    if (button.atOnce) {
      controls.push({ action, label: button.label, style: button.style, opens: "at_once", secondary });
      if (form?.menuLabel) controls.push({ action, label: form.menuLabel, opens: "form", secondary: true });
    } else if (form) {
      controls.push({ action, label: button.label, style: button.style, opens: "form", secondary });
    }
  }
  return [...controls.filter((c) => !c.secondary), ...controls.filter((c) => c.secondary)];
}

/** The input a button that acts at once sends, besides the case and its version. */
export function atOnceInput(action: CaseAction): Record<string, unknown> | null {
  return caseActionSpec(action).button.atOnce ?? null;
}

export function hasForm(action: CaseAction): boolean {
  return caseActionSpec(action).form !== undefined;
}

export function formOf(action: CaseAction): { title: string; submit: string } {
  const form = caseActionSpec(action).form;
  return { title: form?.title ?? action, submit: form?.submit ?? "Save" };
}

/** What a form offers besides the case itself: the partner directory's entries, for a `partner` field. */
export interface FormOptions {
  partners: readonly Choice[];
}

/** The options an action's form needs, read from the core only when it has a field that offers them. */
export async function formOptions(partners: Pick<PartnerService, "choices">, action: CaseAction): Promise<FormOptions> {
  const offersPartners = (caseActionSpec(action).form?.fields ?? []).some((field) => field.kind === "partner");
  return { partners: offersPartners ? await partners.choices() : [] };
}

/** The inputs the action's form asks for on this case. */
export function formFields(action: CaseAction, view: CaseView): FormField[] {
  return (caseActionSpec(action).form?.fields ?? []).filter((field) => field.asked?.(view) ?? true);
}

/**
 * The action's input from a submitted form. `values` holds what the platform sent for each
 * field shown (`asked`); a text input left empty is sent as "" (so a correction can clear a
 * detail), any other empty input as absent. The core parses and validates the result.
 */
export function inputFromForm(action: CaseAction, values: Record<string, string | undefined>, asked: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of caseActionSpec(action).form?.fields ?? []) {
    if (!asked.includes(field.name)) continue;
    const value = values[field.name];
    const empty = value === undefined || value.trim() === "";
    if (field.kind === "text" || field.kind === "long_text") input[field.name] = value ?? "";
    else if (field.kind === "number") input[field.name] = empty ? undefined : Number(value);
    else input[field.name] = empty ? undefined : value;
  }
  return input;
}
