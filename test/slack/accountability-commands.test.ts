import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockKitBreaches } from "../support/block-kit-limits.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";

/** A PNG's 8-byte signature followed by its IHDR chunk: width and height, big-endian. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describeEachDatabase("Slack: reports, audit, export and erasure", (database) => {
  let h: SlackHarness;
  let ref = "";
  beforeAll(async () => {
    h = await SlackHarness.start(database);
    const logged = await h.ask('log letter 2026-11-02 "Jane Doe" Speeding on Main Street --assign me --theme "road safety"', "UMAYA");
    ref = blockText(logged.blocks).match(/PFCC-2026-\d{4}/)![0];
    await h.ask(`ack ${ref}`, "UMAYA");
    await h.ask(`respond ${ref} Reply sent`, "UMAYA");
    await h.ask(`close ${ref} responded`, "UMAYA");
  });
  afterAll(() => h?.stop());

  it("report: the figures privately as Block Kit — a section of fields per group, no code block — and the weekly chart as a PNG in the person's DM, said only once it is there", async () => {
    const answer = await h.ask("report 2026-11", "UVICTOR");
    expect(answer.text).toBe("Performance report — Nov 2026: 1 received");
    expect(answer.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Performance report — Nov 2026" } });
    const groups = answer.blocks.filter((block: any) => block.type === "section" && block.fields);
    expect(groups.map((block: any) => block.text.text)).toEqual(["*Received in the period*", "*Deadlines*", "*The office now*"]);
    expect(groups[0].fields[0].text).toBe("*Received*\n1");
    expect(groups[1].fields.map((field: any) => field.text.split("\n")[0])).toContain("*Fully responded within 10 working days*");
    const text = blockText(answer.blocks);
    expect(text).toMatch(/\*Per caseworker\*\n• \*Maya Manager\* — Handled 1 · On time 0 of 1 \(0%\) · Open 0 · Stale 0/);
    expect(text).toMatch(/\*Top themes\*\n• \*road safety\* — Cases 1/);
    expect(text).not.toContain("```");
    expect(blockKitBreaches(answer.blocks, "message")).toEqual([]);
    expect(text).toMatch(/The weekly chart is in your direct messages with Postbag\./);
    // Said after the fact: the file was shared in the DM before the answer came.
    const [chart] = h.slack.sharedFiles("DVICTOR");
    expect(chart!.filename).toBe("postbag-weekly-2026-11.png");
    expect(chart!.title).toBe("Received vs responded on time — Nov 2026");
    const size = pngSize(chart!.bytes);
    expect(size.width).toBeGreaterThan(300);
    expect(size.height).toBeGreaterThan(200);
    expect(chart!.bytes.length).toBeGreaterThan(5_000);
    // Slack's external flow: the exact length asked for first, then the bytes, then the share.
    const started = h.slack.callsTo("files.getUploadURLExternal").at(-1)!;
    expect(Number(started.body.length)).toBe(chart!.bytes.length);
    expect(started.body.alt_text).toBe("Received vs responded on time — Nov 2026");
    expect(h.slack.responses).toHaveLength(0);
  });

  it("report here: posted in the channel it was asked in, its chart in the thread; where Postbag is not a member it says so and shows it privately", async () => {
    const posted = await h.ask("report 2026-11 here", "UMAYA", { channelId: "C0TEAM" });
    expect(posted.text).toBe("Posted the report in this channel, with its chart in the thread.");
    const message = h.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === "C0TEAM").at(-1)!;
    expect(message.body.blocks[0].text.text).toBe("Performance report — Nov 2026");
    const [chart] = h.slack.sharedFiles("C0TEAM");
    expect(chart!.shared!.threadTs).toMatch(/^1700000000\.\d+$/);

    h.slack.refusedChannels.add("C0ELSEWHERE");
    try {
      const refused = await h.ask("report 2026-11 here", "UMAYA", { channelId: "C0ELSEWHERE" });
      const text = blockText(refused.blocks);
      expect(text).toMatch(/Postbag is not in this channel, so the report was not posted here: invite it with \/invite @Postbag and ask again\. Here it is for you alone\./);
      expect(text).toMatch(/\*Received\*\n1/);
      expect(text).toMatch(/The weekly chart is in your direct messages with Postbag\./);
      expect(h.slack.sharedFiles("C0ELSEWHERE")).toEqual([]);
    } finally {
      h.slack.refusedChannels.delete("C0ELSEWHERE");
    }
  });

  it("report: a chart Slack will not take is named with the step Slack refused and how to get it, and the figures still come", async () => {
    h.slack.refuseNext("files.getUploadURLExternal", "missing_scope");
    const answer = await h.ask("report 2026-11", "UVICTOR");
    const text = blockText(answer.blocks);
    expect(text).toMatch(/\*Received\*\n1/);
    expect(text).toMatch(/The weekly chart was not sent: Slack refused to start the upload \(files\.getUploadURLExternal: missing_scope\) — Postbag's Slack app lacks a permission: a Slack admin reinstalls it from manifest\/slack\.yaml\. At the command line: postbag report 2026-11-01\.\.2026-11-30 --chart weekly\.png\./);
    expect(text).not.toMatch(/in your direct messages|went wrong/);
  });
  it("audit: managers get 0 exceptions with the counts; caseworkers are refused", async () => {
    const audit = await h.ask("audit", "UMAYA");
    expect(audit.text).toMatch(/0 exceptions$/);
    expect(audit.blocks[1].fields[0].text).toBe("*Cases*\n1 logged = 1 closed + 0 voided + 0 open");
    expect((await h.ask("audit", "UCARL")).text).toMatch(/Only managers/);
  });

  it("export: the CSV goes to the manager's DM through Slack's external upload flow, never the channel, and is audited", async () => {
    h.slack.uploads.clear();
    const answer = await h.ask("export 2026-11", "UMAYA", { channelId: "C0SHARED" });
    expect(answer.text).toBe("Cases export — Nov 2026 (1 case). The file is in your direct messages with Postbag.");
    const [upload] = h.slack.sharedFiles("DMAYA");
    expect(upload!.filename).toBe("postbag-cases-2026-11.csv");
    expect(upload!.bytes.toString("utf8")).toMatch(/^reference,received_on,channel,constituent_name/);
    expect(upload!.bytes.toString("utf8")).toContain("Jane Doe");
    expect(upload!.shared!.comment).toBe("Cases export — Nov 2026 (1 case).");
    expect(h.slack.sharedFiles("C0SHARED")).toEqual([]);
    expect((await h.ask("audit-log", "UMAYA")).text).toMatch(/export\s+2026-11-01\.\.2026-11-30\s+Maya Manager \(slack\)/);
    expect((await h.ask("export 2026-11 here", "UMAYA", { channelId: "C0SHARED" })).text).toMatch(/An export holds personal data, so it never goes to a channel/);
  });

  it.each([
    ["the upload URL is refused", () => h.slack.refuseNext("files.getUploadURLExternal", "invalid_auth"), /Slack refused to start the upload \(files\.getUploadURLExternal: invalid_auth\)/],
    ["the upload address refuses the bytes", () => h.slack.failNextUpload(403), /Slack's upload address did not take the file \(HTTP 403\)/],
    ["the share is refused", () => h.slack.refuseNext("files.completeUploadExternal", "file_upload_not_allowed"), /Slack took the file but would not share it \(files\.completeUploadExternal: file_upload_not_allowed\)/],
    ["no direct message can be opened", () => h.slack.refuseNext("conversations.open", "user_disabled"), /Slack would not open a direct message with you \(user_disabled\)/],
  ])("export when %s: one answer saying which step failed and what to do — never 'in your DMs', never an apology", async (_, fail, words) => {
    const before = h.slack.sharedFiles("DMAYA").length;
    fail();
    const { response, responseUrl } = await h.command("export 2026-11", "UMAYA", { channelId: "C0SHARED" });
    const body = await response.text();
    const answer = body ? JSON.parse(body) : await h.answer(responseUrl);
    expect(answer.text).toMatch(words);
    expect(answer.text).toMatch(/so it is not in your direct messages\. Try again in a minute, or run the same command at the command line with --out &lt;path&gt;\./);
    expect(answer.text).not.toMatch(/The file is in your direct messages|went wrong/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.slack.responsesTo(responseUrl).length + (body ? 1 : 0)).toBe(1);
    expect(h.slack.sharedFiles("DMAYA")).toHaveLength(before);
  });

  it("erase: a preview first, then --confirm", async () => {
    expect((await h.ask(`erase ${ref}`, "UMAYA")).text).toMatch(/irreversibly erase[\s\S]*--confirm/);
    expect((await h.ask(`erase ${ref} --confirm`, "UMAYA")).text).toMatch(/Erased the personal data of/);
    expect((await h.ask("audit", "UMAYA")).text).toMatch(/0 exceptions/);
  });
});
