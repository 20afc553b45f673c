import { DomainError } from "../errors.ts";
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
  const said = `${email.from}: ${email.subject}${email.text ? `\n${email.text}` : ""}`;
  // The sender and subject are personal data: they live in the entry's text, which erasure clears.
  // The detail is hashed as it stands and can never be cleared, so it holds the message's number only.
  const detail = { intakeId: email.intakeId };
  const open = record.status !== "closed";
  if (open && email.partner && outstandingReferrals(record).some((referral) => referral.partner.localeCompare(email.partner!, "en", { sensitivity: "base" }) === 0)) {
    const reply = recordPartnerReply(record, email.partner, `by email from ${said}`);
    return { change: { ...reply, entry: { ...reply.entry, detail: { ...reply.entry.detail, ...detail } } }, reopenAsked: false };
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
    },
    reopenAsked: !open,
  };
}
