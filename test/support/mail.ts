import { randomBytes } from "node:crypto";
import { ImapFlow } from "imapflow";
import { inject } from "vitest";
import type { DovecotServer } from "./dovecot.ts";

/** Raw emails as mail clients send them, and a way to put them into the test Dovecot's mailbox. */

export function dovecot(): DovecotServer {
  const provided = inject("dovecot");
  if ("error" in provided) throw new Error(`The mail tests need Dovecot: ${provided.error}`);
  return provided;
}

/** A folder of the test mailbox for one test file (or one test), so files running in parallel never meet. */
export function folderName(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}`;
}

/** Appends raw messages to a folder (made if missing), each with the date the mailbox received it (IMAP INTERNALDATE). */
export async function deliver(folder: string, messages: readonly { raw: string | Buffer; at: Date }[]): Promise<void> {
  const server = dovecot();
  const client = new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user: server.user, pass: server.password }, logger: false });
  await client.connect();
  try {
    const exists = (await client.list()).some((box) => box.path === folder);
    if (!exists) await client.mailboxCreate(folder);
    for (const { raw, at } of messages) await client.append(folder, raw, [], at);
  } finally {
    await client.logout();
  }
}

const CRLF = "\r\n";
const lines = (...parts: string[]) => parts.join(CRLF);

interface Headers {
  from?: string;
  to?: string;
  subject?: string;
  date?: string;
  messageId?: string | null;
  extra?: string[];
}

function head({ from = '"Jane Doe" <jane@example.com>', to = "correspondence@pfcc.example", subject = "Speeding on Main Street", date = "Tue, 01 Dec 2026 09:00:00 +0000", messageId = `<${randomBytes(6).toString("hex")}@example.com>`, extra = [] }: Headers): string[] {
  return [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Date: ${date}`, ...(messageId ? [`Message-ID: ${messageId}`] : []), "MIME-Version: 1.0", ...extra];
}

export const mail = {
  plain(headers: Headers = {}, body = "Cars race past the school every morning.\r\nPlease ask the police to do something."): string {
    return lines(...head(headers), "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", body, "");
  },
  htmlOnly(headers: Headers = {}): string {
    return lines(
      ...head({ subject: "Noise at night", ...headers }),
      "Content-Type: text/html; charset=utf-8",
      "",
      "<html><body><p>Dear Commissioner,</p><p>The bar on Mill Lane &amp; its customers are loud until 3am &ndash; &pound;50 fines don&#8217;t stop them.</p><script>alert(1)</script></body></html>",
      "",
    );
  },
  withAttachments(headers: Headers = {}, pdf: Buffer, png: Buffer): string {
    return lines(
      ...head({ subject: "Photos of the damage", ...headers }),
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Please see the attached letter and photo.",
      "--b1",
      'Content-Type: application/pdf; name="letter.pdf"',
      'Content-Disposition: attachment; filename="letter.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      pdf.toString("base64").replace(/.{76}/g, `$&${CRLF}`),
      "--b1",
      'Content-Type: image/png; name="damage.png"',
      'Content-Disposition: attachment; filename="damage.png"',
      "Content-Transfer-Encoding: base64",
      "",
      png.toString("base64").replace(/.{76}/g, `$&${CRLF}`),
      "--b1--",
      "",
    );
  },
  reply(inReplyTo: string, headers: Headers = {}, body = "Thank you. It happened again last night."): string {
    return lines(...head({ subject: "Re: Speeding on Main Street", ...headers, extra: [`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`, ...(headers.extra ?? [])] }), "Content-Type: text/plain; charset=utf-8", "", `${body}\r\n\r\nOn Tue, 1 Dec 2026 at 09:00, PFCC wrote:\r\n> Earlier message`, "");
  },
  forwarded(headers: Headers = {}): string {
    return lines(
      ...head({ from: '"Cllr Sam Smith" <sam.smith@council.example>', subject: "Fwd: Antisocial behaviour on the estate", ...headers }),
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Forwarding this from a resident, could you help?",
      "",
      "---------- Forwarded message ---------",
      "From: Pat Resident <pat@example.net>",
      "Date: Mon, 30 Nov 2026 at 18:00",
      "Subject: Antisocial behaviour on the estate",
      "",
      "Youths gather by the shops every night.",
      "",
    );
  },
  latin1(headers: Headers = {}): Buffer {
    return Buffer.from(lines(...head({ from: "=?ISO-8859-1?Q?Ren=E9e_M=FCller?= <renee@example.de>", subject: "=?ISO-8859-1?Q?Caf=E9_in_the_High_Street?=", ...headers }), "Content-Type: text/plain; charset=ISO-8859-1", "Content-Transfer-Encoding: 8bit", "", "Der Caf\xe9 in D\xfcsseldorf-Stra\xdfe is open until 2am. \xa35 for parking.", ""), "latin1");
  },
  windows1252(headers: Headers = {}): Buffer {
    return Buffer.from(lines(...head({ subject: "Street lighting", ...headers }), "Content-Type: text/plain; charset=windows-1252", "Content-Transfer-Encoding: 8bit", "", "The lights are \x93broken\x94 \x96 it\x92s been \x80100 of damage\x85", ""), "latin1");
  },
  large(headers: Headers = {}, bytes: Buffer): string {
    return lines(
      ...head({ subject: "CCTV footage", ...headers }),
      'Content-Type: multipart/mixed; boundary="big"',
      "",
      "--big",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The footage is attached.",
      "--big",
      'Content-Type: video/mp4; name="footage.mp4"',
      'Content-Disposition: attachment; filename="footage.mp4"',
      "Content-Transfer-Encoding: base64",
      "",
      bytes.toString("base64").replace(/.{76}/g, `$&${CRLF}`),
      "--big--",
      "",
    );
  },
  autoReply(headers: Headers = {}): string {
    return lines(...head({ from: '"Jane Doe" <jane@example.com>', subject: "Automatic reply: Your case", ...headers, extra: ["Auto-Submitted: auto-replied", ...(headers.extra ?? [])] }), "Content-Type: text/plain; charset=utf-8", "", "I am out of the office until Monday.", "");
  },
  /**
   * A delivery status notification (RFC 3464) as Postfix sends one: the human part, the
   * machine-readable status, then the returned message (`message`) or only its headers (`headers`).
   */
  deliveryReport(report: { to: string; messageId: string; subject?: string; action?: "failed" | "delayed"; status?: string; diagnostic?: string; returned?: "message" | "headers"; headers?: Headers }): string {
    const { to, messageId, subject = "[PFCC-2026-0001] Your correspondence", action = "failed", status = "5.1.1", diagnostic = `smtp; 550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`, returned = "headers" } = report;
    const original = [`From: Office of the Commissioner <casework@pfcc.example>`, `To: ${to}`, `Subject: ${subject}`, "Date: Tue, 01 Dec 2026 11:00:00 +0000", "Message-ID:", ` <${messageId}>`, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"];
    return lines(
      ...head({ from: "Mail Delivery System <MAILER-DAEMON@mx.pfcc.example>", to: "casework@pfcc.example", subject: action === "failed" ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)", ...report.headers, extra: ["Auto-Submitted: auto-replied", ...(report.headers?.extra ?? [])] }),
      'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
      "",
      "--dsn",
      "Content-Type: text/plain; charset=us-ascii",
      "",
      "This is the mail system at host mx.pfcc.example.",
      "",
      action === "failed" ? "I'm sorry to have to inform you that your message could not be delivered to one or more recipients." : "Your message could not be delivered yet. The mail system will keep trying.",
      "",
      "--dsn",
      "Content-Description: Delivery report",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.pfcc.example",
      "Arrival-Date: Tue,  1 Dec 2026 11:00:01 +0000 (GMT)",
      "",
      `Final-Recipient: rfc822; ${to}`,
      `Original-Recipient: rfc822;${to}`,
      `Action: ${action}`,
      `Status: ${status}`,
      // Folded at a space, as long header fields are: read back as one line.
      ...(diagnostic.lastIndexOf(" ", 60) > 0 ? [`Diagnostic-Code: ${diagnostic.slice(0, diagnostic.lastIndexOf(" ", 60))}`, ` ${diagnostic.slice(diagnostic.lastIndexOf(" ", 60) + 1)}`] : [`Diagnostic-Code: ${diagnostic}`]),
      "",
      "--dsn",
      returned === "message" ? "Content-Type: message/rfc822" : "Content-Type: text/rfc822-headers",
      "",
      ...original,
      ...(returned === "message" ? ["", "Dear constituent,", ""] : [""]),
      "--dsn--",
      "",
    );
  },
  malformed(): Buffer {
    // Binary junk with no header a mail reader can find (no NUL: IMAP carries no NUL in a message).
    return Buffer.from([0xff, 0xfe, 0x80, 0x81, 0x20, 0x9f, 0x0d, 0x0a, 0xc3, 0x28, 0xa0, 0xa1, 0x0d, 0x0a, 0x07, 0x08, 0x0d, 0x0a]);
  },
};

/** A small real PDF and PNG, as an office would receive them. */
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
