/**
 * Every Action.Execute verb the Teams cards use, defined once. A verb names what the
 * button does; the card's `data` says to which case and which version of it.
 */
export const VERBS = {
  show: "case.show",
  acknowledge: "case.acknowledge",
  assignToMe: "case.assignToMe",
  chase: "case.chase",
  /** Opens the inputs an action needs (update text, partner, outcome…) in place of the case card. */
  openForm: "case.form",
  addUpdate: "case.addUpdate",
  refer: "case.refer",
  partnerReply: "case.partnerReply",
  respond: "case.respond",
  close: "case.close",
  reopen: "case.reopen",
  log: "case.log",
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The forms a case card can open; each submits with the verb of the same name. */
export const FORMS = ["addUpdate", "refer", "partnerReply", "respond", "close", "reopen"] as const;
export type FormName = (typeof FORMS)[number];

/** The message action (messaging extension action command) in the manifest. */
export const LOG_AS_CASE_COMMAND = "logAsCase";
