import type { Transporter } from "nodemailer";
import { SendFailed, type MailSender, type OutgoingEmail } from "../domain/letters/mail-sender.ts";

export interface SmtpSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS, required. */
  secure: boolean;
  user?: string;
  password?: string;
  from: { name: string; address: string };
  /** A private relay's certificate authority (PEM), when it is not publicly trusted. */
  ca?: string;
  /** How long to wait for the relay at each step. */
  timeoutMs: number;
}

/**
 * Sends through the office's SMTP relay (nodemailer). STARTTLS is required when the connection
 * does not start in TLS: a message to a constituent never crosses the network in clear.
 */
export class SmtpSender implements MailSender {
  readonly from: { name: string; address: string };
  private transport: Transporter | undefined;

  constructor(private readonly settings: SmtpSettings) {
    this.from = settings.from;
  }

  /** The relay's transport, made with the first email (nodemailer is loaded then, not at start). */
  private async transporter(): Promise<Transporter> {
    if (this.transport) return this.transport;
    const { default: nodemailer } = await import("nodemailer");
    const settings = this.settings;
    this.transport ??= nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: !settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.password ?? "" } : undefined,
      tls: settings.ca ? { ca: settings.ca } : undefined,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      // One message, one connection: nothing half-sent is retried on a pooled socket.
      pool: false,
    });
    return this.transport;
  }

  async send(email: OutgoingEmail): Promise<void> {
    try {
      const info = await (await this.transporter()).sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${email.messageId}>`,
        inReplyTo: email.references?.length ? `<${email.references.at(-1)}>` : undefined,
        references: email.references?.map((id) => `<${id}>`),
        attachments: email.attachments?.map((file) => ({ filename: file.filename, contentType: file.contentType, content: Buffer.from(file.content) })),
      });
      if (!info.accepted?.length || info.rejected?.length) throw new SendFailed(`The mail server refused ${email.to.address}.`);
    } catch (error) {
      if (error instanceof SendFailed) throw error;
      throw new SendFailed(smtpReason(error as Error & { code?: string; responseCode?: number; response?: string }));
    }
  }

  close(): void {
    this.transport?.close();
  }
}

/** What went wrong, for the person who pressed Send: the relay's own words where it gave some. */
function smtpReason(error: Error & { code?: string; responseCode?: number; response?: string }): string {
  if (error.code === "EAUTH") return "The mail server did not accept Postbag's sign-in (check SMTP_USER and SMTP_PASSWORD).";
  if (error.code === "ETIMEDOUT") return "The mail server did not answer in time.";
  if (error.code === "ECONNECTION" || error.code === "ESOCKET") return `The connection to the mail server failed (${error.message}).`;
  if (error.responseCode) return `The mail server refused the message: ${error.response ?? error.message}`;
  return `The message could not be sent: ${error.message}`;
}
