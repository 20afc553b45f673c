import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { SmtpSender, type SmtpSettings } from "../../src/mail/smtp-sender.ts";

/** A certificate for 127.0.0.1 that the sender is told to trust, as an office trusts its private relay's CA. Made once per test file. */
function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "postbag-smtp-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let certificate: { key: string; cert: string } | undefined;

/** The office's relay: a real SMTP server on loopback, STARTTLS and a password required; what it accepted, parsed. */
export class Relay {
  /** `secure`: whether the message came over TLS (STARTTLS). */
  readonly received: { envelope: string[]; mail: ParsedMail; secure: boolean }[] = [];
  /** Set: the relay refuses every recipient with this reply (550), as a relay that will not relay does. */
  refuseWith: string | null = null;
  private server?: SMTPServer;
  port = 0;

  async start(overrides: Partial<SMTPServerOptions> = {}): Promise<this> {
    certificate ??= makeCertificate();
    this.server = new SMTPServer({
      ...certificate,
      authMethods: ["PLAIN", "LOGIN"],
      logger: false,
      onAuth: (auth, _session, callback) => (auth.username === "postbag" && auth.password === "s3cret" ? callback(null, { user: "postbag" }) : callback(new Error("Invalid username or password"))),
      onRcptTo: (_address, _session, callback) => callback(this.refuseWith ? Object.assign(new Error(this.refuseWith), { responseCode: 550 }) : undefined),
      onData: (stream, session, callback) => {
        void simpleParser(stream).then((mail) => {
          this.received.push({ envelope: session.envelope.rcptTo.map((r) => r.address), mail, secure: session.secure });
          callback();
        }, callback);
      },
      ...overrides,
    });
    this.server.on("error", () => {});
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  /** The settings SMTP_* would give for this relay. */
  settings(overrides: Partial<SmtpSettings> = {}): SmtpSettings {
    return { host: "127.0.0.1", port: this.port, secure: false, user: "postbag", password: "s3cret", from: { name: "Office of the Commissioner", address: "casework@pfcc.example" }, ca: certificate!.cert, timeoutMs: 3_000, ...overrides };
  }

  /** A sender pointed at this relay, as SMTP_* would configure it. */
  sender(overrides: Partial<SmtpSettings> = {}): SmtpSender {
    return new SmtpSender(this.settings(overrides));
  }

  /** Cuts every client connection, as a relay that crashes mid-message does. */
  dropConnections(): void {
    const connections = (this.server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections;
    for (const connection of connections) connection._socket.destroy();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
