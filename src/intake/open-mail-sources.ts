import type { MailConfig } from "../config.ts";
import type { MailSource } from "../domain/intake/intake-message.ts";
import { GraphSource } from "./graph-source.ts";
import { ImapSource } from "./imap-source.ts";

/** The mailboxes the configuration names: an IMAP mailbox, a Microsoft 365 mailbox through Graph, both, or none. */
export function openMailSources(mail: MailConfig): MailSource[] {
  const sources: MailSource[] = [];
  if (mail.imap) sources.push(new ImapSource(mail.imap));
  if (mail.graph) sources.push(new GraphSource(mail.graph));
  return sources;
}
