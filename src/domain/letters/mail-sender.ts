/**
 * Sending email, as the domain sees it: one message to one person (never more: the case's
 * constituent, or the partner of a referral), its Message-ID chosen before it goes so that the
 * reply threads back onto the case. SMTP or Microsoft Graph stand behind it (src/mail).
 */
export interface OutgoingEmail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets: `postbag.<random>@office.example`. */
  messageId: string;
  /** Message-IDs this answers (the constituent's email, when there is one), newest last. */
  references?: string[];
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

/**
 * What the transport knows once the message has gone. `messageId`: the Message-ID it really went
 * with, when the transport could not promise the one asked for (Microsoft Graph reports its own);
 * absent, it went with the one asked for.
 */
export interface SentEmail {
  messageId?: string;
}

/** Why a message did not go, in words for the person who pressed Send. */
export class SendFailed extends Error {}

export interface MailSender {
  /** The address messages go from (the office's shared mailbox). */
  readonly from: { name: string; address: string };
  /** Sends, or throws SendFailed saying why; never reports a message sent that the relay did not accept. */
  send(email: OutgoingEmail): Promise<SentEmail | void>;
}
