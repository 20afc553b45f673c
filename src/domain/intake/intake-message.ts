/** The words of mail intake, as typed in commands and stored in the database. */

/** new: awaiting triage; logged: a case was made of it; attached: added to a case's timeline; dismissed: not casework, with a reason and a name; unreadable: its MIME could not be read. */
export const INTAKE_STATES = ["new", "logged", "attached", "dismissed", "unreadable"] as const;
export type IntakeState = (typeof INTAKE_STATES)[number];

/** Awaiting someone's decision: the audit counts these as unaccounted once a working day has passed. */
export const UNDECIDED: readonly IntakeState[] = ["new", "unreadable"];

export const DISMISS_REASONS = ["spam", "newsletter", "auto-reply", "duplicate", "not-for-us", "other"] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export const DISMISS_LABELS: Record<DismissReason, string> = {
  spam: "spam",
  newsletter: "newsletter or mailing",
  "auto-reply": "automatic reply",
  duplicate: "duplicate",
  "not-for-us": "not for this office",
  other: "other",
};

/** A file that came with an email: what it is, and where its bytes are kept (`sha256` in the file store), if they were stored. */
export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
  sha256: string | null;
  /**
   * What its bytes are, when it is a kind of file a case holds (a PDF, a photo, a document) and
   * within the size a case takes: it becomes one of the case's files when the email is logged or
   * added to a case. Absent or null: it stays with the email only.
   */
  caseFileType?: string | null;
}

/** One email as a source read it, already parsed: neutral data, whatever the mailbox or the parser. */
export interface IncomingMail {
  /** The Message-ID header without angle brackets. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  fromName: string;
  fromAddress: string | null;
  subject: string;
  /** The Date header. */
  sentAt: Date | null;
  /** The readable text: the plain part, or the HTML part turned into text. */
  text: string;
  attachments: IncomingAttachment[];
  /** Sent by a machine: Auto-Submitted, an out-of-office, a delivery report. */
  automatic: boolean;
}

export interface IncomingAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Uint8Array;
}

/** One message read from a mailbox: its place there, when the mailbox got it, and its content or why it could not be read. */
export interface FetchedMail {
  sourceKey: string;
  deliveredAt: Date | null;
  rawSize: number;
  mail: IncomingMail | { unreadable: string };
}

/** How a mailbox is faring: when it was last read to its end, and since when it has failed (null: it reads). */
export interface SourceHealth {
  source: string;
  readAt: Date | null;
  failingSince: Date | null;
  lastError: string | null;
}

/** Where a mailbox was read up to. */
export type SourceCursor = { kind: "imap"; uidValidity: number; lastUid: number } | { kind: "graph"; link: string };

/** Some messages of a mailbox, and where the mailbox has been read up to once they are recorded. */
export interface MailBatch {
  messages: FetchedMail[];
  cursor: SourceCursor;
}

/** A mailbox Postbag reads: IMAP or Microsoft Graph (src/intake). */
export interface MailSource {
  /** Names the mailbox in the intake record ("imap:intake@mail.example.org/INBOX"). */
  readonly name: string;
  /**
   * The messages after `cursor`, oldest first, in batches: each batch is recorded with the
   * cursor that follows it before the next is read, so a stop at any point loses nothing.
   */
  read(cursor: SourceCursor | null): AsyncIterable<MailBatch>;
}

/** A recorded message, as the rules and the screens see it. */
export interface IntakeRecord extends Omit<IncomingMail, "attachments"> {
  id: number;
  source: string;
  deliveredAt: Date | null;
  recordedAt: Date;
  /** The attachments' names and sizes, and where their bytes are kept. */
  attachments: AttachmentInfo[];
  rawSize: number;
  state: IntakeState;
  problem: string | null;
  case: { id: number; reference: string; status: string } | null;
  dismissReason: DismissReason | null;
  dismissNote: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  reopenAsked: boolean;
  /** A decision under way (someone is logging, adding or dismissing it): what, and by whom. */
  claim: { action: string; by: string; at: Date } | null;
  /** When erasure cleared its sender, subject, words and attachments (null: it holds them). */
  erasedAt: Date | null;
}

/** A message as it is written the first time: with its place in the source, and what makes two copies of it the same message. */
export type NewIntakeMessage = Omit<IntakeRecord, "id" | "case" | "dismissReason" | "dismissNote" | "decidedBy" | "decidedAt" | "reopenAsked" | "source" | "claim" | "erasedAt"> & {
  sourceKey: string;
  contentHash: string;
};

/** What someone (or Postbag, threading a reply) decided about a message. */
export type IntakeDecision =
  | { state: "logged" | "attached"; caseId: number; reopenAsked?: boolean }
  | { state: "dismissed"; reason: DismissReason; note: string | null };

/** Counts of one period for the audit and the monthly report. */
export interface IntakeCounts {
  received: number;
  logged: number;
  attached: number;
  dismissed: number;
  /** Dismissed, by reason. */
  dismissedBy: Partial<Record<DismissReason, number>>;
  undecided: number;
  unreadable: number;
}

/** The no-loss figures of a period: every message received is logged, added to a case, dismissed, or still to be decided. */
export interface IntakeFigures extends IntakeCounts {
  /** Undecided past their working day: audit exceptions. */
  unaccounted: number;
  /** Undecided and still within their working day. */
  awaiting: number;
}
