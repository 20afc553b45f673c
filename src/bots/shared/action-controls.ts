import type { Core } from "../../app.ts";
import { CASE_ACTION_NAMES, caseActionSpec, formTitle, type CaseAction, type Choice, type FormField, type FormPreview, type FormStart } from "../../domain/cases/case-actions.ts";
import type { CaseView } from "../../domain/cases/case-view.ts";
import type { Actor } from "../../domain/staff/roles.ts";
import { NO_PARTNERS } from "../../domain/partners/partner-directory.ts";
import { NO_ASSIGNABLE_STAFF } from "../../domain/staff/staff-service.ts";
import { NO_TEAMS } from "../../domain/teams/team-service.ts";

/**
 * What the core's table of case actions (case-actions.ts) means for a card: which
 * controls it shows, which inputs a form asks for, and how the values a platform sends
 * back become the action's input. Slack and Teams render these; neither lists actions.
 */

/** For one of several controls of an action: the input it fills, and the value it carries. */
export interface ControlValue {
  field: "template" | "item";
  value: string | number;
}

export interface CardControl {
  action: CaseAction;
  label: string;
  style?: "primary" | "danger";
  /** A button that acts at once, or one that opens the action's form. */
  opens: "at_once" | "form";
  /** In the card's menu ("More…") rather than among its buttons. */
  secondary: boolean;
  /** One of several controls of its action (a template to draft from, a letter to send): what it carries. */
  variant?: ControlValue;
}

/** The controls of a case card, in the table's order: buttons first, then menu items. Actions offered several times over are `letterControls`. */
export function cardControls(view: Pick<CaseView, "nextActions" | "menuForms">): CardControl[] {
  const controls: CardControl[] = [];
  for (const action of CASE_ACTION_NAMES.filter((name) => view.nextActions.includes(name) || view.menuForms.includes(name))) {
    const { button, form, variants } = caseActionSpec(action);
    if (variants) continue;
    const secondary = button.secondary ?? false;
    if (button.atOnce) {
      // The button and its menu item are offered each on its own (Assign to me, Assign to…).
      if (view.nextActions.includes(action)) controls.push({ action, label: button.label, style: button.style, opens: "at_once", secondary });
      if (form?.menuLabel && view.menuForms.includes(action)) controls.push({ action, label: form.menuLabel, opens: "form", secondary: true });
    } else if (form) {
      controls.push({ action, label: button.label, style: button.style, opens: "form", secondary });
    }
  }
  return [...controls.filter((c) => !c.secondary), ...controls.filter((c) => c.secondary)];
}

/**
 * The controls of a card's letters and emails, from the table's variants: the drafts it offers
 * (one per template that applies), and each item's steps by its number (shown beside it).
 */
export function letterControls(view: Pick<CaseView, "variants">): { drafts: CardControl[]; items: Map<number, CardControl[]> } {
  const drafts: CardControl[] = [];
  const items = new Map<number, CardControl[]>();
  for (const offered of view.variants) {
    const control: CardControl = {
      action: offered.action,
      label: offered.label,
      style: offered.style,
      opens: offered.atOnce ? "at_once" : "form",
      secondary: false,
      variant: { field: offered.field, value: offered.value },
    };
    if (offered.field === "item") items.set(Number(offered.value), [...(items.get(Number(offered.value)) ?? []), control]);
    else drafts.push(control);
  }
  return { drafts, items };
}

/**
 * The value a control of an action with variants carried, as the platform sent it back: a
 * letter's number or a template's key, checked for its shape only (the core decides the rest).
 * Undefined for an action without variants, or a value of the wrong shape.
 */
export function variantValue(action: CaseAction, raw: unknown): string | number | undefined {
  const variants = caseActionSpec(action).variants;
  if (!variants) return undefined;
  if (variants.field === "item") {
    const number = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
    return Number.isInteger(number) && number > 0 ? number : undefined;
  }
  return typeof raw === "string" && /^[a-z][a-z0-9-]{1,39}$/.test(raw) ? raw : undefined;
}

/** The value a control carried under its action's `variants.field` in data a platform sent back (`data.item`, `data.template`). */
export function variantFrom(action: CaseAction, data: Record<string, unknown>): string | number | undefined {
  const variants = caseActionSpec(action).variants;
  return variants ? variantValue(action, data[variants.field]) : undefined;
}

/** The input one of several controls of an action carries (`{ item: 2 }`, `{ template: "acknowledgement" }`): what its form is submitted with. */
export function variantInput(action: CaseAction, value: string | number | undefined): Record<string, unknown> {
  const variants = caseActionSpec(action).variants;
  return variants && value !== undefined ? { [variants.field]: value } : {};
}

/** The input a control that acts at once carries besides the case and its version: the button's own (`atOnce`), and its variant's value. */
export function controlInput(action: CaseAction, value: string | number | undefined): Record<string, unknown> {
  return { ...(caseActionSpec(action).button.atOnce ?? {}), ...variantInput(action, value) };
}

/** The input a button that acts at once sends, besides the case and its version. */
export function atOnceInput(action: CaseAction): Record<string, unknown> | null {
  return caseActionSpec(action).button.atOnce ?? null;
}

export function hasForm(action: CaseAction): boolean {
  return caseActionSpec(action).form !== undefined;
}

export function formOf(action: CaseAction, start: FormStart = {}): { title: string; submit: string } {
  const form = caseActionSpec(action).form;
  return { title: form ? formTitle(form, start) : action, submit: form?.submit ?? "Save" };
}

/** What will go out, as the form shows it above its inputs (from the core's table). */
export function formPreview(action: CaseAction, view: CaseView, start: FormStart): FormPreview[] {
  return caseActionSpec(action).form?.preview?.(view, start) ?? [];
}

/** What a form offers besides the case itself: the partner directory's entries, for a `partner` field; the staff who may hold cases, for a `staff` field. */
export interface FormOptions {
  partners: readonly Choice[];
  staff: readonly Choice[];
  /** The office's teams, for a `team` field. */
  teams: readonly Choice[];
}

/** The kinds of field whose choices the core loads before the form opens. */
export type LoadedKind = "partner" | "staff" | "team";

/** Each loaded kind: its choices, the prompt its picker shows, and what a form says in its place when there is nothing to choose. */
export const LOADED_CHOICES: Record<LoadedKind, { of: (options: FormOptions) => readonly Choice[]; prompt: string; none: string }> = {
  partner: { of: (options) => options.partners, prompt: "Choose a partner", none: NO_PARTNERS },
  staff: { of: (options) => options.staff, prompt: "Choose someone", none: NO_ASSIGNABLE_STAFF },
  team: { of: (options) => options.teams, prompt: "Choose a team", none: NO_TEAMS },
};

export function isLoadedKind(kind: FormField["kind"]): kind is LoadedKind {
  return Object.hasOwn(LOADED_CHOICES, kind);
}

/** Everything a form is built from besides the case: what its control carried, the core's proposal, and the choices it offers. */
export interface FormContext extends FormStart, FormOptions {}

/**
 * What an action's form needs from the core before it opens, read only when the table says so:
 * the partner directory for a `partner` field, the staff who may hold cases for a `staff` field,
 * and for a form that `proposes` (a draft) the template its control names, merged with the case
 * as the person may see it.
 */
export async function formContext(core: Pick<Core, "partners" | "outgoing" | "staff" | "teams">, actor: Actor, action: CaseAction, view: Pick<CaseView, "reference">, value?: string | number): Promise<FormContext> {
  const form = caseActionSpec(action).form;
  const asks = (kind: FormField["kind"]) => (form?.fields ?? []).some((field) => field.kind === kind);
  const proposal = form?.proposes && value !== undefined ? await core.outgoing.propose(actor, { reference: view.reference, template: value }) : undefined;
  return {
    value,
    ...(proposal !== undefined ? { proposal } : {}),
    partners: asks("partner") ? await core.partners.choices() : [],
    staff: asks("staff") ? await core.staff.assignable() : [],
    teams: asks("team") ? (await core.teams.list()).map((team) => ({ value: team.name, label: team.name })) : [],
  };
}

/** The inputs the action's form asks for on this case. */
export function formFields(action: CaseAction, view: CaseView, start: FormStart = {}): FormField[] {
  return (caseActionSpec(action).form?.fields ?? []).filter((field) => field.asked?.(view, start) ?? true);
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
    // A person chosen is sent as their id, which the core looks up (and refuses if they may not hold the case).
    else if (field.kind === "staff") input[field.name] = empty ? undefined : /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
    else input[field.name] = empty ? undefined : value;
  }
  return input;
}
