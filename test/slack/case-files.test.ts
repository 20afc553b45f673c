import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { letter } from "../support/office.ts";

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
const CARD_TS = "1764064800.000100";

describeEachDatabase("Slack: files shared in a case card's thread", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  /** A case whose card Postbag posted in #casework as CARD_TS (as an announcement does). */
  async function cardInChannel(overrides: Record<string, unknown> = {}, ts = CARD_TS): Promise<string> {
    const { reference } = await h.postbag.core.cases.logCase(h.office.admin, letter({ assignee: h.office.caseworker.id, ...overrides }), { platform: "cli" });
    await h.postbag.core.postedCards.remember({ reference, platform: "slack", conversation: { channel: "CCASEWORK" }, messageId: ts, shownSensitive: Boolean(overrides.sensitive) });
    return reference;
  }
  const share = (user: string, file: ReturnType<typeof h.slack.shareFile>, ts = CARD_TS) =>
    h.event({ type: "message", subtype: "file_share", channel: "CCASEWORK", user, ts: `${Date.now() / 1000}`, thread_ts: ts, text: "", files: [file] });

  it("a scan shared in the thread is downloaded with the bot token, attached, confirmed to its sharer alone, and the card lists it", async () => {
    const reference = await cardInChannel();
    const file = h.slack.shareFile("scan <of> letter.pdf", PDF);
    const response = await share("UCARL", file);
    expect(response.status).toBe(200);
    const told = await h.slack.waitFor(() => h.slack.callsTo("chat.postEphemeral").find((call) => call.body.user === "UCARL"), 15_000);
    expect(told.body).toMatchObject({ channel: "CCASEWORK", thread_ts: CARD_TS, text: `Attached scan &lt;of&gt; letter.pdf (PDF, ${PDF.length} bytes) to ${reference} as file 1.` });
    expect(h.slack.downloads.at(-1)).toMatchObject({ token: "xoxb-test-token" });
    const updated = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((call) => call.body.ts === CARD_TS), 15_000);
    // The filename is escaped where Slack reads mrkdwn.
    expect(blockText(updated.body)).toContain("1. scan &lt;of&gt; letter.pdf — PDF");
    // Slack delivers the event again: still one file.
    await share("UCARL", file);
    await h.slack.waitFor(() => h.slack.callsTo("chat.postEphemeral").filter((call) => call.body.user === "UCARL").length >= 2, 15_000);
    expect(await h.postbag.db.prisma.caseFile.count({ where: { case: { reference } } })).toBe(1);
  });

  it("on a sensitive case the file is attached but never named in the channel; someone not allowed is refused, nothing written", async () => {
    const ts = "1764064900.000200";
    const reference = await cardInChannel({ sensitive: true }, ts);
    await share("UCORA", h.slack.shareFile("cora.pdf", PDF), ts);
    const refused = await h.slack.waitFor(() => h.slack.callsTo("chat.postEphemeral").find((call) => call.body.user === "UCORA"), 15_000);
    expect(refused.body.text).toContain(`${reference} is sensitive: only its assignee or a manager can work on it.`);
    await share("UCARL", h.slack.shareFile("mental health assessment.pdf", PDF), ts);
    const told = await h.slack.waitFor(() => h.slack.callsTo("chat.postEphemeral").find((call) => call.body.user === "UCARL" && call.body.thread_ts === ts), 15_000);
    expect(told.body.text).toBe(`Attached a file to ${reference}.`);
    const updated = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((call) => call.body.ts === ts), 15_000);
    expect(JSON.stringify(updated.body)).not.toContain("mental health assessment");
    expect(await h.postbag.db.prisma.caseFile.count({ where: { case: { reference } } })).toBe(1);
  });

  it("a file shared in any other thread is none of Postbag's business", async () => {
    const before = h.slack.downloads.length;
    await share("UCARL", h.slack.shareFile("holiday.png", PDF), "1764065000.000300");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.slack.downloads.length).toBe(before);
  });

  describe("the log form's scan", () => {
    const values = (files: unknown[], name: string) => ({
      log_channel: { type: "static_select", selected_option: { value: "hand-delivered" } },
      log_received_on: { type: "datepicker", selected_date: "2026-11-24" },
      log_constituent_name: { type: "plain_text_input", value: name },
      log_subject: { type: "plain_text_input", value: "Letter handed in at reception" },
      log_kind: { type: "static_select", selected_option: { value: "casework" } },
      log_files: { type: "file_input", files },
    });

    it("a scan chosen in the log form is on the case as it is logged, once however often the form is sent", async () => {
      const scan = h.slack.shareFile("reception scan.pdf", PDF);
      const submission = { userId: "UALICE", callbackId: "postbag_log_case", viewId: "VSCAN1", privateMetadata: "{}", values: values([scan], "Rita Reception") };
      const before = await h.postbag.db.prisma.caseFile.count();
      expect((await h.submitView(submission)).status).toBe(200);
      expect((await h.submitView(submission)).status).toBe(200);
      const cases = await h.postbag.db.prisma.case.findMany({ where: { subject: "Letter handed in at reception" }, include: { files: true } });
      expect(cases).toHaveLength(1);
      expect(cases[0]!.files.map((file) => [file.filename, file.mediaType, file.size])).toEqual([["reception scan.pdf", "application/pdf", PDF.length]]);
      expect(await h.postbag.db.prisma.caseFile.count()).toBe(before + 1);
      expect(h.slack.downloads.at(-1)).toMatchObject({ token: "xoxb-test-token" });
    });

    it("a file Postbag would refuse is shown beside the file input, and nothing is logged", async () => {
      const program = h.slack.shareFile("invoice.pdf", new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), "application/pdf");
      const before = await h.postbag.db.prisma.case.count();
      const answer = await h.submitView({ userId: "UALICE", callbackId: "postbag_log_case", viewId: "VSCAN2", privateMetadata: "{}", values: values([program], "Rex Refused") });
      const body = (await answer.json()) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(body.errors.log_files).toMatch(/save or scan it as a PDF/);
      expect(await h.postbag.db.prisma.case.count()).toBe(before);
    });
  });
});
