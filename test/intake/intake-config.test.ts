import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { pollSchedule } from "../../src/jobs/mail-intake-job.ts";

/** A mailbox is configured whole or not at all, and a wrong value stops start-up naming the variable. */
describe("mail intake configuration", () => {
  it("reads no mailbox unless one is configured", () => {
    expect(loadConfig({}).mail).toEqual({ pollSeconds: 60, maxMessageBytes: 50 * 1024 * 1024 });
  });

  it("starts from the day given, reads messages up to the size given, and refuses what is not a date or a size", () => {
    expect(loadConfig({ POSTBAG_MAIL_SINCE: "2026-12-07", POSTBAG_MAIL_MAX_MB: "10" }).mail).toMatchObject({ since: "2026-12-07", maxMessageBytes: 10 * 1024 * 1024 });
    expect(() => loadConfig({ POSTBAG_MAIL_SINCE: "7 December" })).toThrow(/POSTBAG_MAIL_SINCE must be a date written YYYY-MM-DD/);
    expect(() => loadConfig({ POSTBAG_MAIL_MAX_MB: "-1" })).toThrow(/POSTBAG_MAIL_MAX_MB/);
  });

  it("an IMAP mailbox: secure by default, port from the security, plain text only on this machine", () => {
    expect(loadConfig({ POSTBAG_IMAP_HOST: "mail.example.org", POSTBAG_IMAP_USER: "intake", POSTBAG_IMAP_PASSWORD: "s3cret" }).mail.imap).toEqual({
      host: "mail.example.org", port: 993, security: "tls", user: "intake", password: "s3cret", mailbox: "INBOX", maxMessageBytes: 50 * 1024 * 1024,
    });
    expect(() => loadConfig({ POSTBAG_IMAP_HOST: "mail.example.org", POSTBAG_IMAP_USER: "intake" })).toThrow(new ConfigError("Configuration is not valid:\n  POSTBAG_IMAP_PASSWORD must be set too (POSTBAG_IMAP_HOST, POSTBAG_IMAP_USER is set).\nSee .env.example."));
    expect(() => loadConfig({ POSTBAG_IMAP_HOST: "mail.example.org", POSTBAG_IMAP_USER: "u", POSTBAG_IMAP_PASSWORD: "p", POSTBAG_IMAP_SECURITY: "off" })).toThrow(/allowed for a server on this machine only/);
    expect(loadConfig({ POSTBAG_IMAP_HOST: "127.0.0.1", POSTBAG_IMAP_USER: "u", POSTBAG_IMAP_PASSWORD: "p", POSTBAG_IMAP_SECURITY: "off" }).mail.imap?.port).toBe(143);
  });

  it("a Microsoft 365 mailbox: Graph and sign-in over https unless a stand-in on this machine", () => {
    const graph = { POSTBAG_GRAPH_TENANT_ID: "t", POSTBAG_GRAPH_CLIENT_ID: "c", POSTBAG_GRAPH_CLIENT_SECRET: "s", POSTBAG_GRAPH_MAILBOX: "correspondence@pfcc.example" };
    expect(loadConfig(graph).mail.graph).toMatchObject({ folder: "inbox", graphUrl: "https://graph.microsoft.com/v1.0", loginUrl: "https://login.microsoftonline.com" });
    expect(() => loadConfig({ ...graph, POSTBAG_GRAPH_URL: "http://graph.example.org/v1.0" })).toThrow(/POSTBAG_GRAPH_URL must be https/);
    expect(loadConfig({ ...graph, POSTBAG_GRAPH_LOGIN_URL: "http://127.0.0.1:4000" }).mail.graph?.loginUrl).toBe("http://127.0.0.1:4000");
  });

  it("polls on an interval that divides a minute or an hour", () => {
    expect(() => loadConfig({ POSTBAG_MAIL_POLL_SECONDS: "7" })).toThrow(/POSTBAG_MAIL_POLL_SECONDS must be 10, 12, 15, 20 or 30 seconds/);
    expect(() => loadConfig({ POSTBAG_MAIL_POLL_SECONDS: "90" })).toThrow(/POSTBAG_MAIL_POLL_SECONDS/);
    expect([15, 60, 300].map((seconds) => pollSchedule(loadConfig({ POSTBAG_MAIL_POLL_SECONDS: String(seconds) }).mail.pollSeconds))).toEqual(["*/15 * * * * *", "* * * * *", "*/5 * * * *"]);
  });
});
