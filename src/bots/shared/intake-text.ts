import { formatDateTime } from "../../domain/calendar/local-date.ts";
import { DISMISS_LABELS, type IntakeRecord, type SourceHealth } from "../../domain/intake/intake-message.ts";
import { firstLines } from "../../domain/intake/threading.ts";
import type { SenderCase } from "../../domain/intake/triage.ts";

/** Plain-text rendering of intake messages: the CLI's output, and the text Slack and Teams show (each escapes it its own way). */

const SHOWN_TEXT = 3000;

function sender(message: IntakeRecord): string {
  if (message.erasedAt) return ERASED;
  if (message.fromName && message.fromAddress) return `${message.fromName} <${message.fromAddress}>`;
  return message.fromName || message.fromAddress || "(no sender)";
}

function stateWords(message: IntakeRecord): string {
  switch (message.state) {
    case "new":
      return "awaiting triage";
    case "unreadable":
      return `unreadable: ${message.problem ?? "its content could not be read"}`;
    case "logged":
      return `logged as ${message.case?.reference ?? "a case"} by ${message.decidedBy ?? "Postbag"}`;
    case "attached":
      return `on ${message.case?.reference ?? "a case"} (added by ${message.decidedBy ?? "Postbag"})${message.reopenAsked && message.case?.status === "closed" ? " — the case is closed: reopen it or keep it closed" : ""}`;
    case "dismissed":
      return `dismissed by ${message.decidedBy ?? "someone"}: ${message.dismissReason ? DISMISS_LABELS[message.dismissReason] : "no reason"}${message.dismissNote ? ` (${message.dismissNote})` : ""}`;
  }
}

function received(message: IntakeRecord): string {
  return formatDateTime(message.deliveredAt ?? message.sentAt ?? message.recordedAt);
}

export function intakeLine(message: IntakeRecord): string {
  const files = message.attachments.length ? ` (${message.attachments.length} attachment${message.attachments.length === 1 ? "" : "s"})` : "";
  const automatic = message.automatic ? " [automatic reply]" : "";
  const what = message.state === "unreadable" ? `could not be read: ${message.problem ?? ""}` : `${sender(message)} — ${message.subject || "(no subject)"}${files}${automatic}`;
  const state = message.state === "new" || message.state === "unreadable" ? "" : ` · ${stateWords(message)}`;
  return `#${message.id}  ${received(message)}  ${what}${state}`;
}

/** A mailbox Postbag cannot read: since when, and why, first in the intake list. */
export function failingMailboxLine(source: SourceHealth): string {
  return `Mailbox ${source.source} has not been read since ${formatDateTime(source.failingSince ?? source.readAt ?? new Date(0))}: ${source.lastError ?? "unknown error"}. Email sent to it is not reaching Postbag.`;
}

export function intakeListText(messages: readonly IntakeRecord[], all: boolean, failing: readonly SourceHealth[] = []): string {
  const problems = failing.map(failingMailboxLine);
  if (messages.length === 0) return [all ? "No email has been received yet." : "No email awaits triage.", ...problems].join("\n");
  const title = all ? `Latest emails received (${messages.length}):` : `Emails awaiting triage (${messages.length}), oldest first:`;
  const hint = all ? [] : ["", "Each: intake show <n> · intake log <n> · intake attach <n> <ref> · intake dismiss <n> <spam|newsletter|auto-reply|duplicate|not-for-us|other> [note]"];
  return [title, ...problems, ...messages.map(intakeLine), ...hint].join("\n");
}

export function intakeMessageText(message: IntakeRecord): string {
  const lines = [
    `#${message.id} · ${stateWords(message)}`,
    `From: ${sender(message)}`,
    `Subject: ${message.subject || "(no subject)"}`,
    `Received: ${received(message)}${message.sentAt && message.deliveredAt ? ` (dated ${formatDateTime(message.sentAt)})` : ""}`,
  ];
  if (message.automatic) lines.push("Sent automatically (an out-of-office or other automatic reply).");
  if (message.attachments.length) {
    lines.push(`Attachments: ${message.attachments.map((file) => `${file.filename} (${file.contentType}, ${Math.max(1, Math.round(file.size / 1024))} KB${file.sha256 ? "" : ", not kept"})`).join("; ")}`);
  }
  const text = message.text.length > SHOWN_TEXT ? `${message.text.slice(0, SHOWN_TEXT)}\n…(${message.text.length - SHOWN_TEXT} more characters)` : message.text;
  if (text) lines.push("", text);
  return lines.join("\n");
}

/** A triage card's words, before each platform escapes them its own way. */
export interface TriageCardText {
  title: string;
  sender: string;
  subject: string;
  received: string;
  /** "Sent automatically…" or "Could not be read: …", when so. */
  note?: string;
  firstLines: string;
  attachments: string[];
  /** What became of it, once decided; then the card offers no buttons. */
  outcome?: string;
  undecided: boolean;
}

/** What an erased email's card says in place of its sender and subject. */
const ERASED = "(erased)";

/** `erased`: its sender, subject and words were erased; the card says so, and shows nothing of them. */
export function triageCardText(message: IntakeRecord, options: { erased?: boolean } = {}): TriageCardText {
  const undecided = message.state === "new" || message.state === "unreadable";
  if (options.erased) {
    return {
      title: `Email #${message.id}`,
      sender: ERASED,
      subject: ERASED,
      received: received(message),
      note: "Its sender, subject and words were erased.",
      firstLines: "",
      attachments: [],
      outcome: undecided ? undefined : triageOutcome(message),
      undecided,
    };
  }
  const note =
    message.state === "unreadable" || (message.problem && message.state !== "new")
      ? `Could not be read: ${message.problem ?? "its content could not be read"}. Open it in the mailbox to decide.`
      : message.automatic
        ? "An automatic reply (an out-of-office, a delivery report or another machine's message)."
        : undefined;
  return {
    title: `Email #${message.id}`,
    sender: sender(message),
    subject: message.subject || "(no subject)",
    received: received(message),
    note,
    firstLines: firstLines(message.text, 8, 800),
    attachments: message.attachments.map((file) => `${file.filename} (${file.contentType}, ${sizeText(file.size)})`),
    outcome: undecided ? undefined : triageOutcome(message),
    undecided,
  };
}

/** One of the sender's open cases, as Add to case… offers it: its reference, and its subject unless withheld. */
export function senderCaseLabel(open: SenderCase): string {
  return `${open.reference} · ${open.subject ?? "(sensitive)"}`;
}

/** What became of a message, as its triage card says once decided. */
export function triageOutcome(message: IntakeRecord): string {
  const by = message.decidedBy ?? "Postbag";
  switch (message.state) {
    case "logged":
      return `Logged as ${message.case?.reference ?? "a case"} by ${by}`;
    case "attached":
      return `Added to ${message.case?.reference ?? "a case"} by ${by}`;
    case "dismissed":
      return `Dismissed: ${message.dismissReason ? DISMISS_LABELS[message.dismissReason] : "not casework"}${message.dismissNote ? ` (${message.dismissNote})` : ""} — by ${by}`;
    default:
      return stateWords(message);
  }
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
