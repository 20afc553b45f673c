import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, CASE_LOG_CHANNEL, SlackHarness } from "../support/slack-harness.ts";

describeEachDatabase("Slack: /case commands through the real Bolt app", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  it("answers within Slack's three seconds, privately, in the acknowledgement itself", async () => {
    const { response, responseUrl } = await h.command("help", "UCARL");
    expect(response.status).toBe(200);
    const answer = (await response.json()) as any;
    expect(answer.response_type).toBe("ephemeral");
    expect(blockText(answer.blocks)).toContain("/case log");
    expect(h.slack.responsesTo(responseUrl)).toEqual([]);
  });

  it("help lists each command once, one line each, and names both shortcuts", async () => {
    const answer = await h.ask("help", "UCARL");
    const lines = answer.blocks.filter((block: any) => block.type === "section").flatMap((block: any) => block.text.text.split("\n")).filter((line: string) => line.startsWith("`/case "));
    const words = lines.map((line: string) => line.slice("`/case ".length).split(/[\s`]/)[0]);
    expect(words.length).toBeGreaterThan(30);
    expect(words.filter((word: string, index: number) => words.indexOf(word) !== index)).toEqual([]);
    expect(blockText(answer.blocks)).toMatch(/The \*Log correspondence\* shortcut opens the log form from anywhere in Slack; \*Log as case\* on a message logs that message\./);
  });

  it("answers an empty or unknown sub-command with help", async () => {
    expect(blockText((await h.ask("", "UCARL")).blocks)).toContain("understands");
    const unknown = await h.ask("dance PFCC-2026-0001", "UCARL");
    expect(blockText(unknown.blocks)).toMatch(/I don't know `dance`/);
  });

  it("logs with the quick form, shows the card with deadlines and buttons, and announces it in the case-log channel", async () => {
    const answer = await h.ask('log letter 2026-11-19 "Jane Doe" Speeding on Main Street --theme "road safety"', "UALICE");
    const text = blockText(answer.blocks);
    expect(text).toMatch(/Logged PFCC-2026-\d{4}\. Acknowledge by Mon 23 Nov 2026; respond by Thu 3 Dec 2026\./);
    expect(text).toContain("Jane Doe");
    expect(text).toContain("Mon 23 Nov 2026 — 2 working days late");
    // The letters it can draft (under "Letters and emails"), then the case's own actions.
    expect(buttonsIn(answer.blocks).map((b) => b.action_id)).toEqual([
      "postbag_draft:acknowledgement", "postbag_draft:response", "postbag_draft:referral", "postbag_draft:more-information",
      "postbag_acknowledge", "postbag_add_entry", "postbag_refer", "postbag_respond", "postbag_close",
    ]);
    const announcement = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === CASE_LOG_CHANNEL && /Logged by Alice Admin/.test(blockText(c.body.blocks))));
    expect(blockText(announcement.body.blocks)).toContain("Speeding on Main Street");
  });

  it("runs every sub-command's happy path", async () => {
    const logged = await h.ask('log email 2026-11-24 "Peter Piper" Pothole on Hill Road', "UALICE");
    const ref = blockText(logged.blocks).match(/PFCC-2026-\d{4}/)![0];
    const steps: [string, string, RegExp][] = [
      [`show ${ref}`, "UCARL", /Pothole on Hill Road/],
      [`ack ${ref} email`, "UALICE", /Acknowledged/],
      [`assign ${ref} <@UCARL|carl>`, "UMAYA", /now with Carl Caseworker/],
      [`note ${ref} Photo received`, "UCARL", /Recorded on/],
      [`call ${ref} Spoke to Peter --in`, "UCARL", /\*Phone call received\* — Spoke to Peter/],
      [`email ${ref} Sent an update`, "UCARL", /\*Email sent\* — Sent an update/],
      [`letter ${ref} Posted a letter`, "UCARL", /\*Letter sent\* — Posted a letter/],
      [`letter in ${ref} Their reply to our letter`, "UCARL", /\*Letter received\* — Their reply to our letter/],
      [`meeting ${ref} Met at surgery`, "UCARL", /\*Meeting\* — Met at surgery/],
      [`refer ${ref} "County Council" 5`, "UCARL", /referred to County Council; reply expected by Wed 2 Dec 2026/],
      [`chase ${ref}`, "UCARL", /Chase recorded/],
      [`partner-reply ${ref} Repair booked`, "UCARL", /Partner reply recorded/],
      [`respond ${ref} Wrote with the repair date`, "UCARL", /Full response recorded/],
      [`close ${ref} responded`, "UCARL", /Closed PFCC/],
      [`reopen ${ref} Repair never happened`, "UCARL", /Reopened .*respond by/],
      ["mine", "UCARL", new RegExp(ref)],
      ["overdue", "UMAYA", /Overdue cases|Nothing is overdue/],
      ["search piper", "UCARL", new RegExp(ref)],
    ];
    for (const [text, user, expected] of steps) {
      const answer = await h.ask(text, user);
      expect(blockText(answer.blocks ?? answer.text), text).toMatch(expected);
    }
  });

  it("registers staff from a Slack mention, taking the name and email from their profile", async () => {
    h.slack.users.set("UNEWBIE", { real_name: "Nia Newbie", email: "nia@pfcc.example" });
    const answer = await h.ask("staff add <@UNEWBIE|nia> caseworker", "UALICE");
    expect(answer.text).toMatch(/Registered Nia Newbie \(caseworker\)/);
    expect((await h.ask("mine", "UNEWBIE")).blocks).toBeDefined();
  });

  it("tells an unregistered user so, and writes nothing", async () => {
    const before = await h.postbag.db.prisma.case.count();
    const answer = await h.ask('log letter 2026-11-19 "X" Y', "USTRANGER");
    expect(answer.text).toMatch(/You are not registered as Postbag staff/);
    expect(await h.postbag.db.prisma.case.count()).toBe(before);
  });

  it("explains errors with the fix, never a stack trace", async () => {
    expect((await h.ask("show PFCC-2026-0999", "UCARL")).text).toBe(":warning: No case PFCC-2026-0999. Find it with: search &lt;name or subject&gt;.");
    expect((await h.ask('log letter 2026-12-24 "X" Y', "UALICE")).text).toBe(":warning: Date received cannot be in the future.");
    expect((await h.ask("ack", "UALICE")).text).toMatch(/Say which case\. Usage: ack &lt;ref&gt;/);
    const viewer = await h.ask('log letter 2026-11-19 "X" Y', "UVICTOR");
    expect(viewer.text).toMatch(/Viewers can read cases but not change them/);
  });

  it("rejects a bad or stale signature with 401 and does no work", async () => {
    const before = h.slack.calls.length;
    const forged = await h.command("help", "UCARL", { secret: "not-the-secret" });
    expect(forged.response.status).toBe(401);
    const stale = await h.command("help", "UCARL", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.response.status).toBe(401);
    expect(await forged.response.text()).toBe("");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.slack.responsesTo(forged.responseUrl)).toEqual([]);
    expect(h.slack.responsesTo(stale.responseUrl)).toEqual([]);
    expect(h.slack.calls.length).toBe(before);
  });

  it("opens the log modal for /case log with nothing else", async () => {
    const { response } = await h.command("log", "UALICE", { triggerId: "trigger-log-form" });
    expect(response.status).toBe(200);
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === "trigger-log-form"));
    expect(opened.body.view.callback_id).toBe("postbag_log_case");
    expect(opened.body.view.blocks.find((b: any) => b.block_id === "log_received_on").element.initial_date).toBe("2026-11-25");
  });
});
