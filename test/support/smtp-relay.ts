import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { SmtpSender } from "../../src/mail/smtp-sender.ts";

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
  readonly received: { envelope: string[]; mail: ParsedMail }[] = [];
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
          this.received.push({ envelope: session.envelope.rcptTo.map((r) => r.address), mail });
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

  /** A sender pointed at this relay, as SMTP_* would configure it. */
  sender(): SmtpSender {
    return new SmtpSender({ host: "127.0.0.1", port: this.port, secure: false, user: "postbag", password: "s3cret", from: { name: "Office of the Commissioner", address: "casework@pfcc.example" }, ca: certificate!.cert, timeoutMs: 3_000 });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
