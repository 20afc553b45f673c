import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SendFailed, type OutgoingEmail } from "../../src/domain/letters/mail-sender.ts";
import { SmtpSender, type SmtpSettings } from "../../src/mail/smtp-sender.ts";

/** A certificate for 127.0.0.1 that the sender is told to trust, as an office trusts its private relay's CA. */
const certDir = mkdtempSync(join(tmpdir(), "postbag-smtp-"));
execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(certDir, "key.pem"), "-out", join(certDir, "cert.pem")], { stdio: "ignore" });
const key = readFileSync(join(certDir, "key.pem"), "utf8");
const cert = readFileSync(join(certDir, "cert.pem"), "utf8");
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

/** The office's relay: a real SMTP server on loopback, STARTTLS and a password required. */
class Relay {
  readonly received: { envelope: string[]; mail: ParsedMail; secure: boolean }[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(overrides: Partial<SMTPServerOptions> = {}): Promise<this> {
    this.server = new SMTPServer({
      key,
      cert,
      authMethods: ["PLAIN", "LOGIN"],
      logger: false,
      disabledCommands: [],
      onAuth: (auth, _session, callback) => (auth.username === "postbag" && auth.password === "s3cret" ? callback(null, { user: "postbag" }) : callback(new Error("Invalid username or password"))),
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

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const settings = (relay: Relay, overrides: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: "127.0.0.1",
  port: relay.port,
  secure: false,
  user: "postbag",
  password: "s3cret",
  from: { name: "Office of the Commissioner", address: "casework@pfcc.example" },
  ca: cert,
  timeoutMs: 1_500,
  ...overrides,
});

const email: OutgoingEmail = {
  to: { name: "Jo O'Brien", address: "jo@example.com" },
  subject: "[PFCC-2026-0042] We have received your correspondence: Noise at night",
  text: "Dear Jo O'Brien,\n\nThank you <for> writing.",
  html: "<p>Dear Jo O&#39;Brien,</p>\n<p>Thank you &lt;for&gt; writing.</p>",
  messageId: "postbag.abc123@pfcc.example",
  references: ["CAJo1@mail.example.com"],
};

describe("sending through the office's SMTP relay", () => {
  let relay: Relay;
  afterEach(() => relay?.stop());

  it("delivers one message to the one recipient over STARTTLS, signed in, with the words, the reference and the Message-ID Postbag chose", async () => {
    relay = await new Relay().start();
    const sender = new SmtpSender(settings(relay));
    await sender.send(email);
    sender.close();
    expect(relay.received).toHaveLength(1);
    const [{ envelope, mail, secure }] = relay.received as [(typeof relay.received)[number]];
    expect(secure).toBe(true);
    expect(envelope).toEqual(["jo@example.com"]);
    expect(mail.subject).toBe(email.subject);
    expect(mail.messageId).toBe("<postbag.abc123@pfcc.example>");
    expect(mail.inReplyTo).toBe("<CAJo1@mail.example.com>");
    expect(mail.text?.trim()).toBe(email.text);
    expect(mail.html).toContain("Thank you &lt;for&gt; writing.");
    expect(mail.from?.value[0]).toMatchObject({ address: "casework@pfcc.example", name: "Office of the Commissioner" });
  });

  it("refuses to send in clear to a relay that offers no STARTTLS", async () => {
    relay = await new Relay().start({ disabledCommands: ["STARTTLS"], authOptional: true });
    const failure = await new SmtpSender(settings(relay)).send(email).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailed);
    expect(relay.received).toHaveLength(0);
  });

  it("says why when the relay refuses the sign-in, the recipient, or drops or stalls mid-message — and never reports it sent", async () => {
    relay = await new Relay().start();
    const wrongPassword = await new SmtpSender(settings(relay, { password: "nope" })).send(email).catch((error: Error) => error);
    expect(wrongPassword).toBeInstanceOf(SendFailed);
    expect((wrongPassword as Error).message).toMatch(/did not accept Postbag's sign-in/);
    await relay.stop();

    relay = await new Relay().start({ onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error("Relaying denied"), { responseCode: 550 })) });
    const refused = await new SmtpSender(settings(relay)).send(email).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(/refused/);
    await relay.stop();

    relay = await new Relay().start({ onData: (stream) => void stream.once("data", () => destroyAll(relay)) });
    const dropped = await new SmtpSender(settings(relay)).send(email).catch((error: Error) => error);
    expect(dropped).toBeInstanceOf(SendFailed);
    await relay.stop();

    relay = await new Relay().start({ onData: (stream) => stream.resume() /* never answers */ });
    const stalled = await new SmtpSender(settings(relay, { timeoutMs: 500 })).send(email).catch((error: Error) => error);
    expect(stalled).toBeInstanceOf(SendFailed);
    expect((stalled as Error).message).toMatch(/did not answer in time|connection/);
    expect(relay.received).toHaveLength(0);
  });
});

/** Cuts every client connection of the relay, as a relay that crashes mid-message does. */
function destroyAll(relay: Relay): void {
  const server = (relay as unknown as { server: { connections: Set<{ _socket: { destroy(): void } }> } }).server;
  for (const connection of server.connections) connection._socket.destroy();
}
