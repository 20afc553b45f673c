/** The words of a case, as typed in commands and stored in the database. */

export const CHANNELS = ["letter", "hand-delivered", "email", "social", "phone", "in-person", "web"] as const;
export type Channel = (typeof CHANNELS)[number];

/** How each channel reads in a form or on a card: as people say it, not the command word. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  letter: "Letter",
  "hand-delivered": "Hand-delivered letter",
  email: "Email",
  social: "Social media message",
  phone: "Phone call",
  "in-person": "In person",
  web: "Web form",
};

export const KINDS = ["casework", "opinion", "complaint", "other"] as const;
export type Kind = (typeof KINDS)[number];

export const STATUSES = ["new", "acknowledged", "in_progress", "awaiting_partner", "responded", "closed", "voided"] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  new: "New",
  acknowledged: "Acknowledged",
  in_progress: "In progress",
  awaiting_partner: "Awaiting partner",
  responded: "Responded",
  closed: "Closed",
  voided: "Voided (logged in error)",
};

/** Statuses in which nothing more is done: closed (it may be reopened) or voided (never). */
export const FINISHED: readonly Status[] = ["closed", "voided"];

export const OUTCOMES = ["responded", "no-response-needed", "withdrawn", "duplicate", "transferred"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Entries a person records by hand as work on a case. */
export const WORK_ENTRY_TYPES = [
  "note",
  "call_in",
  "call_out",
  "email_in",
  "email_out",
  "letter_in",
  "letter_out",
  "meeting",
  "holding_reply",
] as const;
export type WorkEntryType = (typeof WORK_ENTRY_TYPES)[number];

export const ENTRY_TYPES = [
  "logged",
  "acknowledged",
  "assigned",
  ...WORK_ENTRY_TYPES,
  "partner_referral",
  "partner_reply",
  "partner_chase",
  "responded",
  "closed",
  "reopened",
  "imported",
  "flagged_stale",
  "details_corrected",
  "receipt_corrected",
  "marked_sensitive",
  "unmarked_sensitive",
  "voided",
  "constituent_merged",
  "linked",
  "file_attached",
  "outgoing_drafted",
  "outgoing_approved",
  "outgoing_sent_back",
  "letter_made",
  "outgoing_bounced",
  "case_type_set",
  "clock_stopped",
  "clock_restarted",
  "clock_extended",
  "late_application_decided",
  "complainant_updated",
  "team_moved",
  "review_outcome",
  "recommendation_made",
  "recommendation_answered",
  "satisfaction_recorded",
] as const;

/** Entries that put the record right rather than progress the case. */
export const CORRECTION_TYPES = ["details_corrected", "receipt_corrected", "marked_sensitive", "unmarked_sensitive", "voided"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export const ENTRY_LABELS: Record<EntryType, string> = {
  logged: "Logged",
  acknowledged: "Acknowledged",
  assigned: "Assigned",
  note: "Note",
  call_in: "Phone call received",
  call_out: "Phone call made",
  email_in: "Email received",
  email_out: "Email sent",
  letter_in: "Letter received",
  letter_out: "Letter sent",
  meeting: "Meeting",
  holding_reply: "Holding reply",
  partner_referral: "Referred to partner",
  partner_reply: "Partner replied",
  partner_chase: "Partner chased",
  responded: "Full response sent",
  closed: "Closed",
  reopened: "Reopened",
  imported: "Imported",
  flagged_stale: "Flagged stale",
  details_corrected: "Details corrected",
  receipt_corrected: "Date received corrected",
  marked_sensitive: "Marked sensitive",
  unmarked_sensitive: "Sensitive marker removed",
  voided: "Voided",
  constituent_merged: "Constituent records merged",
  linked: "Linked to another case",
  file_attached: "File attached",
  outgoing_drafted: "Letter or email drafted",
  outgoing_approved: "Letter or email approved",
  outgoing_sent_back: "Letter or email sent back",
  letter_made: "Letter made (PDF)",
  outgoing_bounced: "Email bounced",
  case_type_set: "Statutory type set",
  clock_stopped: "Clock stopped",
  clock_restarted: "Clock restarted",
  clock_extended: "Extended",
  late_application_decided: "Late application decided",
  complainant_updated: "Complainant updated",
  team_moved: "Moved to a team's queue",
  review_outcome: "Review outcome",
  recommendation_made: "Recommendation to the force",
  recommendation_answered: "Force answered a recommendation",
  satisfaction_recorded: "Satisfaction recorded",
};

/** Ways an acknowledgement can be sent. */
export const ACK_METHODS = ["letter", "email", "phone", "in-person", "social"] as const;
export type AckMethod = (typeof ACK_METHODS)[number];

/** How two cases belong together; a link is read from both ends (related-cases.ts). */
export const LINK_KINDS = ["same_matter", "previous_correspondence", "duplicate_of"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
