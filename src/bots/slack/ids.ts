/** Every Slack action_id, callback_id and block_id Postbag uses, defined once. */

export const SLASH_COMMAND = "/case";

export const CALLBACKS = {
  logCase: "postbag_log_case",
  caseAction: "postbag_case_action",
  logAsCaseShortcut: "postbag_log_as_case",
} as const;

/** Buttons on case cards, one per core action (see NextAction in the domain). */
export const ACTIONS = {
  acknowledge: "postbag_acknowledge",
  assignToMe: "postbag_assign_to_me",
  addUpdate: "postbag_add_update",
  refer: "postbag_refer",
  partnerReply: "postbag_partner_reply",
  chase: "postbag_chase",
  respond: "postbag_respond",
  close: "postbag_close",
  reopen: "postbag_reopen",
  open: "postbag_open",
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];

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
  sensitive: "log_sensitive",
  assignee: "log_assignee",
} as const;

/** Input blocks of the small per-action modals. */
export const ACTION_FIELDS = {
  entryType: "action_entry_type",
  text: "action_text",
  partner: "action_partner",
  workingDays: "action_working_days",
  outcome: "action_outcome",
} as const;
