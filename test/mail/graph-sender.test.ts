import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPostbag, type Postbag } from "../../src/app.ts";
import type { CaseAction } from "../../src/domain/cases/case-actions.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { SendFailed, type OutgoingEmail } from "../../src/domain/letters/mail-sender.ts";
import type { Actor } from "../../src/domain/staff/roles.ts";
import { GraphSender, type GraphSenderSettings } from "../../src/mail/graph-sender.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { FakeGraph } from "../support/fake-graph.ts";
import { seedOffice, type Office } from "../support/office.ts";

/**
 * Issue 17: emails sent from the office's Microsoft 365 shared mailbox through Microsoft Graph,
 * against a loopback fake of Entra and Graph: a draft made with Postbag's Message-ID and sent,
 * the Message-ID Graph reports recorded on the case, throttling waited out, failures told.
 */

const MAILBOX = "correspondence@pfcc.example";

function senderFor(graph: FakeGraph, waits: number[] = [], overrides: Partial<GraphSenderSettings> = {}): GraphSender {
  return new GraphSender(
    { tenantId: graph.tenant, clientId: "app-id", clientSecret: "app-secret", mailbox: MAILBOX, graphUrl: graph.graphUrl, loginUrl: graph.loginUrl, from: { name: "Office of the PFCC", address: MAILBOX }, timeoutMs: 3_000, ...overrides },
    async (ms) => void waits.push(ms),
  );
}

function resetSending(graph: FakeGraph): void {
  graph.sent.length = 0;
  graph.sentIds.clear();
  graph.drafts.clear();
  graph.sendRequests.length = 0;
  graph.sendFailures.length = 0;
  graph.ownMessageIds = false;
  graph.refuseSecret = false;
}

const email: OutgoingEmail = {
  to: { name: "Jo O'Brien", address: "jo@example.com" },
  subject: "[PFCC-2026-0042] We have received your correspondence: Noise at night",
  text: "Dear Jo O'Brien,\n\nThank you <for> writing.",
  html: "<p>Dear Jo O&#39;Brien,</p>\n<p>Thank you &lt;for&gt; writing.</p>",
  messageId: "postbag.abc123@pfcc.example",
  references: ["CAJo0@mail.example.com", "CAJo1@mail.example.com"],
};

describe("sending through Microsoft Graph from the shared mailbox", () => {
  const graph = new FakeGraph();
  beforeAll(() => graph.start());
  afterAll(() => graph.stop());
  afterEach(() => resetSending(graph));

  it("makes a draft for the one recipient with the words, the reference, Postbag's Message-ID and the thread it answers, then sends that draft", async () => {
    const attachment = { filename: "leaflet.pdf", contentType: "application/pdf", content: new TextEncoder().encode("%PDF-1.7 leaflet") };
    const sent = await senderFor(graph).send({ ...email, attachments: [attachment] });
    expect(graph.sendRequests).toEqual([`POST /users/${encodeURIComponent(MAILBOX)}/messages`, `POST /users/${encodeURIComponent(MAILBOX)}/messages/AAMkDraft-1/send`]);
    expect(graph.tokenRequests.at(-1)).toContain("grant_type=client_credentials");
    expect(graph.sent).toHaveLength(1);
    const [{ mailbox, message, internetMessageId }] = graph.sent as [(typeof graph.sent)[number]];
    expect(mailbox).toBe(MAILBOX);
    expect(message.subject).toBe(email.subject);
    expect(message.body).toEqual({ contentType: "Text", content: email.text });
    expect(message.toRecipients).toEqual([{ emailAddress: { name: "Jo O'Brien", address: "jo@example.com" } }]);
    expect(message.ccRecipients).toBeUndefined();
    expect(message.bccRecipients).toBeUndefined();
    expect(message.internetMessageId).toBe("<postbag.abc123@pfcc.example>");
    expect(message.singleValueExtendedProperties).toEqual([
      { id: "String 0x1042", value: "<CAJo1@mail.example.com>" },
      { id: "String 0x1039", value: "<CAJo0@mail.example.com> <CAJo1@mail.example.com>" },
    ]);
    expect(message.attachments).toEqual([{ "@odata.type": "#microsoft.graph.fileAttachment", name: "leaflet.pdf", contentType: "application/pdf", contentBytes: Buffer.from("%PDF-1.7 leaflet").toString("base64") }]);
    // Graph kept the Message-ID asked for: the one Postbag chose is the one the reply will name.
    expect(internetMessageId).toBe("<postbag.abc123@pfcc.example>");
    expect(sent).toEqual({ messageId: "postbag.abc123@pfcc.example" });
    expect(graph.drafts.size).toBe(0);
  });

  it("reports the Message-ID Graph gave the draft when the tenant does not keep the one asked for", async () => {
    graph.ownMessageIds = true;
    const sent = await senderFor(graph).send(email);
    expect(graph.sent[0]!.internetMessageId).not.toContain("postbag.abc123");
    expect(`<${sent.messageId}>`).toBe(graph.sent[0]!.internetMessageId);
  });

  it("waits as Retry-After says when throttled, at making the draft and at sending it, then sends once", async () => {
    const waits: number[] = [];
    graph.sendFailures.push({ on: "draft", status: 429, retryAfter: "2" }, { on: "send", status: 429, retryAfter: "5" }, { on: "send", status: 429, retryAfter: "1" });
    await senderFor(graph, waits).send(email);
    expect(waits).toEqual([2000, 5000, 1000]);
    expect(graph.sent).toHaveLength(1);
    expect(graph.sendRequests.filter((request) => request.endsWith("/send"))).toHaveLength(3);
  });

  it("does not wait out a long or endless throttle: the person is told to try again later, and nothing is sent", async () => {
    const waits: number[] = [];
    graph.sendFailures.push({ on: "draft", status: 429, retryAfter: "300" });
    const long = await senderFor(graph, waits).send(email).catch((error: unknown) => error);
    expect(long).toBeInstanceOf(SendFailed);
    expect((long as Error).message).toBe("Microsoft 365 is limiting how fast Postbag sends (throttled); try again in 5 minutes.");
    expect(waits).toEqual([]);

    graph.sendFailures.push(...Array.from({ length: 4 }, () => ({ on: "draft" as const, status: 429, retryAfter: "1" })));
    const endless = await senderFor(graph, waits).send(email).catch((error: unknown) => error);
    expect((endless as Error).message).toMatch(/^Microsoft 365 is limiting how fast Postbag sends/);
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(graph.sent).toEqual([]);
  });

  it("a server error is a failure saying so, not tried again, and leaves no draft behind once the draft says it did not go", async () => {
    graph.sendFailures.push({ on: "send", status: 503, code: "ServiceUnavailable" });
    const failure = await senderFor(graph).send(email).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailed);
    expect((failure as Error).message).toBe("Microsoft 365 could not send the message just now (503). Microsoft 365 said: ServiceUnavailable: The fake answered 503.");
    expect(graph.sent).toEqual([]);
    expect(graph.drafts.size).toBe(0);
    expect(graph.sendRequests.map((request) => request.split(" ")[0])).toEqual(["POST", "POST", "GET", "DELETE"]);
  });

  it("a server error after Microsoft 365 sent it all the same is a send (asked of the draft), so the person never sends it twice", async () => {
    graph.sendFailures.push({ on: "send", status: 502, sentAnyway: true });
    const sent = await senderFor(graph).send(email);
    expect(graph.sent).toHaveLength(1);
    expect(sent.messageId).toBe(graph.sent[0]!.internetMessageId.replace(/^<|>$/g, ""));
    expect(graph.sendRequests.map((request) => request.split(" ")[0])).toEqual(["POST", "POST", "GET"]);
  });

  it("a server error when the draft cannot be asked either: not recorded as sent, the draft kept, and the person told to look in Sent Items first", async () => {
    graph.sendFailures.push({ on: "send", status: 504, sentAnyway: true }, { on: "check", status: 503 });
    const failure = await senderFor(graph).send(email).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailed);
    expect((failure as Error).message).toMatch(/\(504\)\..* It may have gone all the same: look in the Sent Items of correspondence@pfcc\.example before sending it again\.$/);
    expect(graph.sendRequests.map((request) => request.split(" ")[0])).toEqual(["POST", "POST", "GET"]);
  });

  it("a refused token, a refused permission and a refused secret each name what to check", async () => {
    graph.sendFailures.push({ on: "draft", status: 401 });
    expect(await senderFor(graph).send(email).catch((error: Error) => error.message)).toMatch(/^Microsoft Graph did not accept Postbag's sign-in to send \(check POSTBAG_GRAPH_TENANT_ID, POSTBAG_GRAPH_CLIENT_ID and POSTBAG_GRAPH_CLIENT_SECRET\)/);
    graph.sendFailures.push({ on: "draft", status: 403 });
    expect(await senderFor(graph).send(email).catch((error: Error) => error.message)).toMatch(
      /^Microsoft 365 does not let Postbag send from correspondence@pfcc\.example: the app registration needs the application permissions Mail\.ReadWrite and Mail\.Send with admin consent/,
    );
    graph.refuseSecret = true;
    const refused = await senderFor(graph, [], { clientSecret: "expired" }).send(email).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendFailed);
    expect((refused as Error).message).toMatch(/^Microsoft Entra did not sign Postbag in to send \(check POSTBAG_GRAPH_TENANT_ID, POSTBAG_GRAPH_CLIENT_ID and POSTBAG_GRAPH_CLIENT_SECRET\): .*invalid_client/);
    expect(graph.sent).toEqual([]);
  });
});

const cli = { platform: "cli" as const };
const sha256 = (content: string) => createHash("sha256").update(content).digest("hex");

describeEachDatabase("a case's email sent through Microsoft Graph", (database) => {
  const clock = new TestClock("2026-12-01T10:00:00Z"); // Tuesday 1 December 2026
  const graph = new FakeGraph();
  const waits: number[] = [];
  let postbag: Postbag;
  let office: Office;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    await graph.start();
    const created = await database.create();
    drop = created.drop;
    postbag = await openPostbag(created.target, { ...TEST_SETTINGS, office: { name: "Office of the PFCC", address: "The Farmhouse\nAbingdon OX14 1RZ", email: MAILBOX, signature: "Sam Signer" } }, { clock, mailSender: senderFor(graph, waits) });
    office = await seedOffice(postbag);
  });
  afterAll(async () => {
    await postbag?.close();
    await drop?.();
    await graph.stop();
  });
  beforeEach(() => {
    resetSending(graph);
    waits.length = 0;
    clock.set("2026-12-01T10:00:00Z");
  });

  const perform = (actor: Actor, action: CaseAction, input: Record<string, unknown>) => postbag.core.cases.perform(actor, action, input, cli);
  const refusal = (work: Promise<unknown>) => work.then(() => "done", (error: unknown) => (error instanceof DomainError ? error.message : `not a refusal: ${String(error)}`));
  async function draftAcknowledgement(name: string, address: string): Promise<string> {
    const view = await postbag.core.cases.logCase(
      office.admin,
      { channel: "email", receivedOn: "2026-11-30", constituent: { name, email: address }, subject: "Speeding on Main Street", constituentChoice: "new", assignee: office.caseworker.id },
      cli,
    );
    await perform(office.caseworker, "draft", { reference: view.reference, template: "acknowledgement" });
    return view.reference;
  }
  const item = async (reference: string) => (await postbag.core.outgoing.list(office.manager, reference)).items[0]!;
  const entries = async (reference: string) => {
    const found = await postbag.db.prisma.case.findFirst({ where: { reference }, select: { id: true } });
    return postbag.db.prisma.timelineEntry.findMany({ where: { caseId: found!.id }, orderBy: { seq: "asc" } });
  };

  it("what Graph receives is the draft — its subject with the reference, its words, the constituent alone — and the case records the Message-ID Graph sent it with", async () => {
    const reference = await draftAcknowledgement("Jane Doe", "jane.doe@example.com");
    const draft = await item(reference);
    clock.set("2026-12-01T11:23:00Z");
    const sent = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(sent.message).toBe(`Sent item 1 of ${reference} by email to Jane Doe <jane.doe@example.com>. ${reference} is acknowledged.`);

    expect(graph.sent).toHaveLength(1);
    const [{ mailbox, message, internetMessageId }] = graph.sent as [(typeof graph.sent)[number]];
    expect(mailbox).toBe(MAILBOX);
    expect(message.subject).toBe(draft.subject);
    expect(message.subject).toBe(`[${reference}] We have received your correspondence: Speeding on Main Street`);
    expect(message.body).toEqual({ contentType: "Text", content: draft.text });
    expect(message.toRecipients).toEqual([{ emailAddress: { name: "Jane Doe", address: "jane.doe@example.com" } }]);
    expect(message.ccRecipients).toBeUndefined();
    expect(message.bccRecipients).toBeUndefined();

    const after = await item(reference);
    expect(after).toMatchObject({ status: "sent", sentAt: new Date("2026-12-01T11:23:00Z") });
    expect(`<${after.messageId}>`).toBe(internetMessageId);
    expect(after.messageId).toMatch(/^postbag\.[0-9a-f]{32}@pfcc\.example$/);
    const words = `Subject: ${draft.subject}\n\n${draft.text}`;
    const acknowledged = (await entries(reference)).find((entry) => entry.type === "acknowledged")!;
    expect(acknowledged.at).toEqual(new Date("2026-12-01T11:23:00Z"));
    expect(acknowledged.detail).toMatchObject({ item: 1, channel: "email", messageId: after.messageId, sha256: sha256(words) });
  });

  it("when the tenant gives its own Message-ID, that is the one recorded on the case (the one a reply will name)", async () => {
    graph.ownMessageIds = true;
    const reference = await draftAcknowledgement("Olu Own", "olu@example.com");
    await perform(office.caseworker, "send", { reference, item: 1 });
    const given = graph.sent[0]!.internetMessageId;
    expect(given).not.toMatch(/postbag\./);
    expect(`<${(await item(reference)).messageId}>`).toBe(given);
    const acknowledged = (await entries(reference)).find((entry) => entry.type === "acknowledged")!;
    expect(`<${(acknowledged.detail as { messageId: string }).messageId}>`).toBe(given);
  });

  it("a throttled send waits as Retry-After says and then goes, once", async () => {
    const reference = await draftAcknowledgement("Tess Throttled", "tess@example.com");
    graph.sendFailures.push({ on: "send", status: 429, retryAfter: "4" });
    const sent = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(waits).toEqual([4000]);
    expect(sent.view.status).toBe("acknowledged");
    expect(graph.sent).toHaveLength(1);
  });

  it("a server error leaves the case as it was and still due, the item not sent with the reason, the person told; sent again later with the same Message-ID", async () => {
    const reference = await draftAcknowledgement("Sid Servererror", "sid@example.com");
    const before = (await entries(reference)).length;
    graph.sendFailures.push({ on: "send", status: 500 });
    const said = await refusal(perform(office.caseworker, "send", { reference, item: 1 }));
    expect(said).toBe(
      `Item 1 of ${reference} was not sent: Microsoft 365 could not send the message just now (500). Microsoft 365 said: ErrorInternalServerError: The fake answered 500. Nothing was recorded on the case. Send it again once that is put right: send ${reference} 1.`,
    );
    expect(await entries(reference)).toHaveLength(before);
    const shown = await postbag.core.cases.showCase(office.caseworker, reference);
    expect(shown.status).toBe("new");
    expect(shown.acknowledgement.state).not.toBe("met");
    const failed = await item(reference);
    expect(failed).toMatchObject({ status: "send_failed", failure: expect.stringContaining("Microsoft 365 could not send the message just now (500)") });
    expect(graph.sent).toEqual([]);
    expect(graph.drafts.size).toBe(0);

    const retried = await perform(office.caseworker, "send", { reference, item: 1 });
    expect(retried.view.status).toBe("acknowledged");
    expect(graph.sent.map((sent) => sent.internetMessageId)).toEqual([`<${failed.messageId}>`]);
  });
});
