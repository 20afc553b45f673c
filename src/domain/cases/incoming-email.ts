import { DomainError } from "../errors.ts";
import type { NewCaseFile } from "../files/case-files.ts";
import type { CaseChange, CaseRecord } from "./case-record.ts";
import { outstandingReferrals, recordPartnerReply } from "./lifecycle.ts";

/** An email that arrived for a case, as the intake hands it over. */
export interface ArrivedEmail {
  /** The intake message's number, kept on the entry. */
  intakeId: number;
  /** Who wrote it, as the timeline shows it ("Jane Doe <jane@example.com>"). */
  from: string;
  subject: string;
  /** Its first lines. */
  text: string;
  /** The partner of the directory it came from, when the sender is one. */
  partner?: string;
  /** Its attachments that the case keeps as files (their bytes are in the file store already). */
  files?: readonly NewCaseFile[];
}

/** The files of an email, as a timeline entry holds them: their hashes in the sealed detail, their names in the text erasure clears. */
export function emailFilesEntry(email: Pick<ArrivedEmail, "intakeId" | "files">): { text: string; detail: Record<string, unknown> } {
  const files = email.files ?? [];
  return {
    text: files.length ? `Attachments kept as case files: ${files.map((file) => file.filename).join(", ")}` : "",
    detail: files.length ? { files: files.map((file) => ({ sha256: file.sha256, mediaType: file.mediaType, size: file.size, source: file.source })) } : {},
  };
}

/**
 * A logged email's attachments, kept as the new case's files: a timeline entry of their own
 * (the case was written first, by the logging), with their hashes on the hash chain.
 */
export function keepEmailFiles(record: CaseRecord, email: Pick<ArrivedEmail, "intakeId" | "files">): CaseChange {
  if (!email.files?.length) throw new DomainError("invalid_input", `Email #${email.intakeId} has no attachments a case keeps.`);
  const kept = emailFilesEntry(email);
  return { patch: {}, entry: { type: "file_attached", text: kept.text, detail: { intakeId: email.intakeId, ...kept.detail } }, countsAsAction: false, files: email.files };
}

/**
 * An email that arrived for a case: a reply threaded by its headers or its reference, or one a
 * person added from the intake. Receiving mail is not the office acting, so it moves neither
 * the status nor the staleness clock. On a closed case it is recorded and asks whether to
 * reopen; it never reopens by itself. A partner's reply to a referral awaiting it is recorded
 * as that partner's reply.
 */
export function receiveEmail(record: CaseRecord, email: ArrivedEmail): { change: CaseChange; reopenAsked: boolean } {
  if (record.status === "voided") {
    throw new DomainError("invalid_transition", `${record.reference} was voided (logged in error), so nothing more is added to it. Log the email as a new case, or add it to another.`);
  }
  const kept = emailFilesEntry(email);
  const said = `${email.from}: ${email.subject}${email.text ? `\n${email.text}` : ""}${kept.text ? `\n${kept.text}` : ""}`;
  // The sender, subject and file names are personal data: they live in the entry's text, which erasure clears.
  // The detail is hashed as it stands and can never be cleared, so it holds the message's number and the files' hashes only.
  const detail = { intakeId: email.intakeId, ...kept.detail };
  const files = email.files?.length ? { files: email.files } : {};
  const open = record.status !== "closed";
  if (open && email.partner && outstandingReferrals(record).some((referral) => referral.partner.localeCompare(email.partner!, "en", { sensitivity: "base" }) === 0)) {
    const reply = recordPartnerReply(record, email.partner, `by email from ${said}`);
    return { change: { ...reply, ...files, entry: { ...reply.entry, detail: { ...reply.entry.detail, ...detail } } }, reopenAsked: false };
  }
  return {
    change: {
      patch: {},
      entry: {
        type: "email_in",
        text: open ? said : `${said}\n(Arrived after the case was closed: decide whether to reopen it.)`,
        detail: open ? detail : { ...detail, reopenAsked: true },
      },
      countsAsAction: false,
      ...files,
    },
    reopenAsked: !open,
  };
}
