import { CASE_ACTION_NAMES, isCaseAction, type CaseAction } from "../../domain/cases/case-actions.ts";

/**
 * Every Action.Execute verb the Teams cards use. A verb names what the button does; the
 * card's `data` says to which case and which version of it. Each action of the core's
 * table has its own verb, `case.<action>`: pressed on a case card it acts at once or
 * submits the action's form.
 */
export const VERBS = {
  show: "case.show",
  /** Opens an action's form (`data.form` names the action) in place of the case card. */
  openForm: "case.form",
  log: "case.log",
  /** The case's constituent with all their cases (the card's "Earlier cases"). */
  person: "case.person",
  /** A case card's `refresh`: Teams asks for the card again when it is opened; answered with the case as it is, as the person may see it there. */
  refresh: "case.refresh",
} as const;

export function actionVerb(action: CaseAction): string {
  return `case.${action}`;
}

/** The action a verb names, if it is one of the table's. */
export function actionOfVerb(verb: string): CaseAction | null {
  const name = verb.startsWith("case.") ? verb.slice("case.".length) : "";
  return isCaseAction(name) ? name : null;
}

/** A triage card's decisions on a new email (`data.intakeId` names it). */
export const INTAKE_VERBS = {
  log: "intake.log",
  /** Add to case…: the clicker's own card with the sender's open cases and a reference box. */
  attachForm: "intake.attach.form",
  attach: "intake.attach",
  dismiss: "intake.dismiss",
} as const;

/** Every verb the bot answers. */
export const ALL_VERBS: readonly string[] = [...Object.values(VERBS), ...CASE_ACTION_NAMES.map(actionVerb), ...Object.values(INTAKE_VERBS)];

/** The message action (messaging extension action command) in the manifest. */
export const LOG_AS_CASE_COMMAND = "logAsCase";

/** The search command (messaging extension query command) in the manifest, and its one parameter. */
export const FIND_CASE_COMMAND = "findCase";
export const FIND_CASE_PARAMETER = "q";
