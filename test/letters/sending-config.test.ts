import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPostbag } from "../../src/app.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { TEST_SETTINGS } from "../support/databases.ts";

/**
 * How emails go (SMTP_*, or Microsoft Graph with POSTBAG_MAIL_SEND=graph) and which items need a
 * manager's sign-off (POSTBAG_SIGN_OFF): configured whole or not at all, and a wrong value stops
 * start-up with a message naming the variable.
 */

const invalid = (problem: string) => new ConfigError(`Configuration is not valid:\n  ${problem}\nSee .env.example.`);
const relay = { SMTP_HOST: "smtp.pfcc.example", SMTP_FROM: "casework@pfcc.example" };
const graph = { POSTBAG_GRAPH_TENANT_ID: "tenant", POSTBAG_GRAPH_CLIENT_ID: "client", POSTBAG_GRAPH_CLIENT_SECRET: "secret", POSTBAG_GRAPH_MAILBOX: "correspondence@pfcc.example" };

describe("the SMTP relay (SMTP_*)", () => {
  const dir = mkdtempSync(join(tmpdir(), "postbag-sending-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is off unless SMTP_HOST is set: emails are refused, letters still made", () => {
    const config = loadConfig({});
    expect(config.smtp).toBeUndefined();
    expect(config.graphSend).toBeUndefined();
  });

  it("STARTTLS on 587 by default, TLS from the start on 465 with SMTP_SECURE=true; the sender named as the office unless SMTP_FROM names it", () => {
    expect(loadConfig(relay).smtp).toEqual({
      host: "smtp.pfcc.example", port: 587, secure: false, user: undefined, password: undefined, ca: undefined, timeoutMs: 30_000,
      from: { name: "Office of the Police, Fire and Crime Commissioner", address: "casework@pfcc.example" },
    });
    expect(loadConfig({ ...relay, SMTP_SECURE: "true" }).smtp).toMatchObject({ port: 465, secure: true });
    expect(loadConfig({ ...relay, SMTP_SECURE: "true", SMTP_PORT: "2465" }).smtp).toMatchObject({ port: 2465, secure: true });
    expect(loadConfig({ ...relay, SMTP_FROM: '"Casework Team" <casework@pfcc.example>', POSTBAG_OFFICE_NAME: "Office of the PCC" }).smtp?.from).toEqual({ name: "Casework Team", address: "casework@pfcc.example" });
    expect(loadConfig({ ...relay, POSTBAG_OFFICE_NAME: "Office of the PCC" }).smtp?.from.name).toBe("Office of the PCC");
    expect(loadConfig({ ...relay, SMTP_USER: "postbag", SMTP_PASSWORD: "s3cret" }).smtp).toMatchObject({ user: "postbag", password: "s3cret" });
  });

  it("has no setting that sends in clear: SMTP_SECURE is true or false (STARTTLS, required), nothing else", () => {
    for (const value of ["yes", "off", "none", "starttls", "TRUE"]) {
      expect(() => loadConfig({ ...relay, SMTP_SECURE: value })).toThrow(invalid("SMTP_SECURE must be true (TLS from the start, port 465) or false (STARTTLS, required)"));
    }
    // Even a relay on another machine on plain port 25 is STARTTLS, required (the sender refuses a relay that offers none).
    expect(loadConfig({ ...relay, SMTP_PORT: "25", SMTP_SECURE: "false" }).smtp).toMatchObject({ host: "smtp.pfcc.example", port: 25, secure: false });
  });

  it("refuses a port that is not one", () => {
    for (const port of ["0", "65536", "smtp", "58.7"]) expect(() => loadConfig({ ...relay, SMTP_PORT: port })).toThrow(/^Configuration is not valid:\n {2}SMTP_PORT /);
  });

  it("refuses half a relay: a sign-in, sender or port without SMTP_HOST, SMTP_HOST without SMTP_FROM, a password without a user", () => {
    expect(() => loadConfig({ SMTP_USER: "postbag" })).toThrow(invalid("SMTP_HOST must be set too (SMTP_USER is set)."));
    expect(() => loadConfig({ SMTP_USER: "postbag", SMTP_PASSWORD: "s3cret", SMTP_PORT: "587" })).toThrow(invalid("SMTP_HOST must be set too (SMTP_USER, SMTP_PASSWORD, SMTP_PORT is set)."));
    expect(() => loadConfig({ SMTP_HOST: "smtp.pfcc.example" })).toThrow(invalid("SMTP_FROM must be set too (SMTP_HOST is set): the address emails go from, like casework@pfcc.example."));
    expect(() => loadConfig({ ...relay, SMTP_PASSWORD: "s3cret" })).toThrow(invalid("SMTP_USER must be set too (SMTP_PASSWORD is set)."));
    expect(() => loadConfig({ ...relay, SMTP_FROM: "the casework team" })).toThrow(/SMTP_FROM must be an email address/);
    // An empty value is no value.
    expect(loadConfig({ SMTP_HOST: "", SMTP_USER: " " }).smtp).toBeUndefined();
  });

  it("reads a private relay's certificate authority at start-up: a missing file or one that is not PEM stops it", () => {
    const pem = join(dir, "ca.pem");
    writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    expect(loadConfig({ ...relay, SMTP_CA_FILE: pem }).smtp?.ca).toContain("BEGIN CERTIFICATE");
    expect(() => loadConfig({ ...relay, SMTP_CA_FILE: join(dir, "missing.pem") })).toThrow(invalid(`SMTP_CA_FILE cannot be read (${join(dir, "missing.pem")}).`));
    writeFileSync(join(dir, "key.pem"), "-----BEGIN PRIVATE KEY-----\n");
    expect(() => loadConfig({ ...relay, SMTP_CA_FILE: join(dir, "key.pem") })).toThrow(/SMTP_CA_FILE must hold a PEM certificate/);
  });
});

describe("sending through Microsoft 365 (POSTBAG_MAIL_SEND=graph)", () => {
  it("sends from the Graph mailbox, as the office, with the app registration of intake", () => {
    const config = loadConfig({ ...graph, POSTBAG_MAIL_SEND: "graph", POSTBAG_OFFICE_NAME: "Office of the PCC" });
    expect(config.smtp).toBeUndefined();
    expect(config.graphSend).toEqual({
      tenantId: "tenant", clientId: "client", clientSecret: "secret", mailbox: "correspondence@pfcc.example",
      graphUrl: "https://graph.microsoft.com/v1.0", loginUrl: "https://login.microsoftonline.com",
      from: { name: "Office of the PCC", address: "correspondence@pfcc.example" }, timeoutMs: 30_000,
    });
  });

  it("is chosen, never assumed: a Graph mailbox alone is read, not sent from; SMTP stays the default", () => {
    expect(loadConfig(graph).graphSend).toBeUndefined();
    expect(loadConfig({ ...graph, ...relay }).smtp?.host).toBe("smtp.pfcc.example");
    expect(loadConfig({ ...relay, POSTBAG_MAIL_SEND: "smtp" }).smtp?.host).toBe("smtp.pfcc.example");
  });

  it("refuses a transport it cannot use: graph without the mailbox, graph beside a relay, smtp without one, or another word", () => {
    expect(() => loadConfig({ POSTBAG_MAIL_SEND: "graph" })).toThrow(
      invalid("POSTBAG_MAIL_SEND=graph sends from the Microsoft 365 mailbox: POSTBAG_GRAPH_TENANT_ID, POSTBAG_GRAPH_CLIENT_ID, POSTBAG_GRAPH_CLIENT_SECRET and POSTBAG_GRAPH_MAILBOX must be set too."),
    );
    expect(() => loadConfig({ ...graph, ...relay, POSTBAG_MAIL_SEND: "graph" })).toThrow(invalid("POSTBAG_MAIL_SEND=graph sends through Microsoft 365, so SMTP_HOST, SMTP_FROM would not be used: unset them, or choose POSTBAG_MAIL_SEND=smtp."));
    expect(() => loadConfig({ POSTBAG_MAIL_SEND: "smtp" })).toThrow(invalid("SMTP_HOST and SMTP_FROM must be set too (POSTBAG_MAIL_SEND=smtp): the relay emails go through."));
    expect(() => loadConfig({ ...graph, POSTBAG_MAIL_SEND: "exchange" })).toThrow(/POSTBAG_MAIL_SEND must be smtp \(the relay of SMTP_\*\) or graph/);
    expect(() => loadConfig({ ...graph, POSTBAG_MAIL_SEND: "graph", POSTBAG_GRAPH_URL: "http://graph.example.org/v1.0" })).toThrow(/POSTBAG_GRAPH_URL must be https/);
  });
});

describe("which letters and emails need a manager's sign-off (POSTBAG_SIGN_OFF)", () => {
  it("is nothing unless configured", () => {
    expect(loadConfig({}).signOff).toEqual([]);
  });

  it("reads templates, optionally per kind of case, comma-separated, in any case and spacing; * is every template", () => {
    expect(loadConfig({ POSTBAG_SIGN_OFF: "response:complaint,referral" }).signOff).toEqual([
      { template: "response", kind: "complaint" },
      { template: "referral", kind: null },
    ]);
    expect(loadConfig({ POSTBAG_SIGN_OFF: " Response:Complaint , holding,, more-information:opinion" }).signOff).toEqual([
      { template: "response", kind: "complaint" },
      { template: "holding", kind: null },
      { template: "more-information", kind: "opinion" },
    ]);
    expect(loadConfig({ POSTBAG_SIGN_OFF: "*" }).signOff).toEqual([{ template: "*", kind: null }]);
    expect(loadConfig({ POSTBAG_SIGN_OFF: "*:complaint" }).signOff).toEqual([{ template: "*", kind: "complaint" }]);
  });

  it("refuses a kind of case that does not exist, naming the variable and the kinds there are", () => {
    expect(() => loadConfig({ POSTBAG_SIGN_OFF: "response:complain" })).toThrow(invalid("POSTBAG_SIGN_OFF.0 complain is not a kind of case (casework, opinion, complaint, other)"));
    expect(() => loadConfig({ POSTBAG_SIGN_OFF: "referral,response:letters" })).toThrow(/POSTBAG_SIGN_OFF\.1 letters is not a kind of case/);
  });

  it("refuses what cannot be a template's name, naming the variable and the form a rule takes", () => {
    for (const value of ["response!", "r", "response:complaint:extra", "response complaint", "-response", "1st-reply"]) {
      expect(() => loadConfig({ POSTBAG_SIGN_OFF: value }), value).toThrow(invalid("POSTBAG_SIGN_OFF.0 each rule is <template> or <template>:<kind>, like response or response:complaint"));
    }
  });

  it("stops start-up when a rule names no template (a misspelling would turn sign-off off unnoticed)", async () => {
    const signOff = loadConfig({ POSTBAG_SIGN_OFF: "responce:complaint,holding" }).signOff;
    await expect(openPostbag({ inMemory: true }, { ...TEST_SETTINGS, signOff })).rejects.toThrow(
      /^POSTBAG_SIGN_OFF names responce, which is not a template \(the templates are: acknowledgement, holding, more-information, referral, response, satisfaction\)\. Correct the name, or save the template first \(template set\), then start Postbag again\.$/,
    );
    const known = await openPostbag({ inMemory: true }, { ...TEST_SETTINGS, signOff: loadConfig({ POSTBAG_SIGN_OFF: "response:complaint,*:opinion" }).signOff });
    await known.close();
  });
});
