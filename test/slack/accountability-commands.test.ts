import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
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

  it("report: the figures privately, and the weekly chart as a PNG in the person's DM", async () => {
    const answer = await h.ask("report 2026-11", "UVICTOR");
    expect(answer.text).toMatch(/Performance report — Nov 2026/);
    expect(answer.text).toMatch(/Received: 1/);
    const complete = await h.slack.waitFor(() => h.slack.callsTo("files.completeUploadExternal")[0]);
    expect(complete.body.channel_id).toBe("DVICTOR");
    const [upload] = [...h.slack.uploads.values()];
    expect(upload!.filename).toBe("postbag-weekly-2026-11.png");
    const size = pngSize(upload!.bytes);
    expect(size.width).toBeGreaterThan(300);
    expect(size.height).toBeGreaterThan(200);
    expect(upload!.bytes.length).toBeGreaterThan(5_000);
  });

  it("audit: managers get 0 exceptions with the counts; caseworkers are refused", async () => {
    expect((await h.ask("audit", "UMAYA")).text).toMatch(/0 exceptions[\s\S]*1 logged = 1 closed \+ 0 voided \+ 0 open/);
    expect((await h.ask("audit", "UCARL")).text).toMatch(/Only managers/);
  });

  it("export: the CSV goes to the manager's DM, never the channel, and is audited", async () => {
    h.slack.uploads.clear();
    const answer = await h.ask("export 2026-11", "UMAYA", { channelId: "C0SHARED" });
    expect(answer.text).toMatch(/in your direct messages/);
    await h.slack.waitFor(() => h.slack.uploads.size === 1);
    const [upload] = [...h.slack.uploads.values()];
    expect(upload!.filename).toBe("postbag-cases-2026-11.csv");
    expect(upload!.bytes.toString("utf8")).toMatch(/^reference,received_on,channel,constituent_name/);
    expect(upload!.bytes.toString("utf8")).toContain("Jane Doe");
    for (const call of h.slack.callsTo("files.completeUploadExternal")) expect(call.body.channel_id).not.toBe("C0SHARED");
    expect((await h.ask("audit-log", "UMAYA")).text).toMatch(/export\s+2026-11-01\.\.2026-11-30\s+Maya Manager \(slack\)/);
  });

  it("erase: a preview first, then --confirm", async () => {
    expect((await h.ask(`erase ${ref}`, "UMAYA")).text).toMatch(/irreversibly erase[\s\S]*--confirm/);
    expect((await h.ask(`erase ${ref} --confirm`, "UMAYA")).text).toMatch(/Erased the personal data of/);
    expect((await h.ask("audit", "UMAYA")).text).toMatch(/0 exceptions/);
  });
});
