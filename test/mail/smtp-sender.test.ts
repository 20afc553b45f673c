import { afterEach, describe, expect, it } from "vitest";
import { SendFailed, type OutgoingEmail } from "../../src/domain/letters/mail-sender.ts";
import { Relay } from "../support/smtp-relay.ts";

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
    const sender = relay.sender({ timeoutMs: 1_500 });
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
    const failure = await relay.sender({ timeoutMs: 1_500 }).send(email).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailed);
    expect(relay.received).toHaveLength(0);
  });

  it("says why when the relay refuses the sign-in, the recipient, or drops or stalls mid-message — and never reports it sent", async () => {
    relay = await new Relay().start();
    const wrongPassword = await relay.sender({ password: "nope" }).send(email).catch((error: Error) => error);
    expect(wrongPassword).toBeInstanceOf(SendFailed);
    expect((wrongPassword as Error).message).toMatch(/did not accept Postbag's sign-in/);
    await relay.stop();

    relay = await new Relay().start({ onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error("Relaying denied"), { responseCode: 550 })) });
    const refused = await relay.sender({ timeoutMs: 1_500 }).send(email).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(/refused/);
    await relay.stop();

    relay = await new Relay().start({ onData: (stream) => void stream.once("data", () => relay.dropConnections()) });
    const dropped = await relay.sender({ timeoutMs: 1_500 }).send(email).catch((error: Error) => error);
    expect(dropped).toBeInstanceOf(SendFailed);
    await relay.stop();

    relay = await new Relay().start({ onData: (stream) => stream.resume() /* never answers */ });
    const stalled = await relay.sender({ timeoutMs: 500 }).send(email).catch((error: Error) => error);
    expect(stalled).toBeInstanceOf(SendFailed);
    expect((stalled as Error).message).toMatch(/did not answer in time|connection/);
    expect(relay.received).toHaveLength(0);
  });
});
