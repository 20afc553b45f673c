import { CASE_ACTION_NAMES, isCaseAction, type CaseAction } from "../../domain/cases/case-actions.ts";

/** Every Slack action_id, callback_id and block_id Postbag uses, defined once. */

export const SLASH_COMMAND = "/case";

export const CALLBACKS = {
  logCase: "postbag_log_case",
  caseAction: "postbag_case_action",
  logAsCaseShortcut: "postbag_log_as_case",
  /** The global shortcut (the ⚡ menu, the search bar): the log form from anywhere in Slack. */
  logCorrespondenceShortcut: "postbag_log_correspondence",
} as const;

/** Case card controls besides the table's actions: open a case, and the card's menu. */
export const ACTIONS = {
  open: "postbag_open",
  /** The overflow menu ("More…"); each option names an action whose form it opens. */
  more: "postbag_more",
  /** A second menu when the first is full (Slack's overflow holds five options). */
  moreSecond: "postbag_more_2",
  /** The case's constituent with all their cases ("Earlier cases"). */
  person: "postbag_person",
} as const;

/** A triage card's controls (a new email in a triage channel), and the Add to case… modal. */
export const INTAKE_ACTIONS = {
  log: "postbag_intake_log",
  attach: "postbag_intake_attach",
  dismiss: "postbag_intake_dismiss",
} as const;

export const INTAKE_ATTACH = {
  callback: "postbag_intake_attach",
  /** A case reference typed, or one of the sender's open cases chosen. */
  reference: "intake_reference",
  openCase: "intake_open_case",
} as const;

/** Not casework for a reason of its own ("other"): the modal asking what it is. */
export const INTAKE_DISMISS = {
  callback: "postbag_intake_dismiss_other",
  note: "intake_note",
} as const;

/**
 * A case card button: `postbag_<action>`, one per action of the core's table; one of several
 * controls of an action (a draft per template, a step per letter) adds the value it carries,
 * `postbag_send:2`, as Slack wants the ids within one block to differ.
 */
export function caseActionId(action: CaseAction, value?: string | number): string {
  return value === undefined ? `postbag_${action}` : `postbag_${action}:${value}`;
}

/** The action a button id names, if it is one of the table's. */
export function actionOfId(actionId: string): CaseAction | null {
  const name = actionId.startsWith("postbag_") ? actionId.slice("postbag_".length).split(":")[0]! : "";
  return isCaseAction(name) ? name : null;
}

/** Every button and menu id on case cards, for Bolt's listener. */
export const CASE_CARD_ACTION_IDS = [...CASE_ACTION_NAMES.map((action) => caseActionId(action)), ACTIONS.open, ACTIONS.person, ACTIONS.more, ACTIONS.moreSecond];

/** Bolt's pattern for every case card control: those ids, a case action's with the value its control carries. */
export const CASE_CARD_ACTION_PATTERN = new RegExp(`^(${CASE_CARD_ACTION_IDS.join("|")})(:[a-z0-9-]{1,40})?$`);

/** Input blocks of the log modal; each block's one element uses the same id as its action_id. */
export const LOG_FIELDS = {
  channel: "log_channel",
  receivedOn: "log_received_on",
  name: "log_constituent_name",
  email: "log_constituent_email",
  phone: "log_constituent_phone",
  address: "log_constituent_address",
  subject: "log_subject",
  summary: "log_summary",
  kind: "log_kind",
  themes: "log_themes",
  /** Its statutory type, if it has one, and the dates its clock needs: the force's outcome letter (a review), the IOPC's receipt (a review sent there first), the response under review (an FOI internal review). */
  type: "log_type",
  outcomeLetterOn: "log_outcome_letter",
  misdirectedOn: "log_iopc_received",
  responseSentOn: "log_response_sent",
  sensitive: "log_sensitive",
  assignee: "log_assignee",
  /** Asked only when the person is probably someone on record. */
  constituentChoice: "log_constituent_choice",
  /** A scan or photo of the item, attached once it is logged. */
  files: "log_files",
} as const;

/** The input block of an action modal's field: `action_<field>`, the field named as in the core's input. */
export function actionFieldBlock(field: string): string {
  return `action_${field}`;
}
