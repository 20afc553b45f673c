import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockKitBreaches, modalBreaches } from "../support/block-kit-limits.ts";
import { blockText, menuIn, SlackHarness } from "../support/slack-harness.ts";
import { letter, seedPartners } from "../support/office.ts";

describeEachDatabase("Slack: Block Kit limits hold for the biggest cases", (database) => {
  let h: SlackHarness;
  let reference: string;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
    const cases = h.postbag.core.cases;
    const logged = await cases.logCase(h.office.admin, letter({ summary: "Long letter. ".repeat(1_000).slice(0, 10_000), subject: "S".repeat(200), assignee: "UCARL", themes: Array.from({ length: 20 }, (_, i) => `theme number ${i} ${"x".repeat(40)}`) }), { platform: "cli" });
    reference = logged.reference;
    for (let i = 0; i < 499; i += 1) {
      await cases.perform(h.office.caseworker, "add_entry", { reference, type: "note", text: `Note ${i}: ${"<&>".repeat(900)}` }, { platform: "cli" });
    }
    await seedPartners(h.postbag, Array.from({ length: 12 }, (_, i) => `Partner ${i} ${"p".repeat(100)}`));
    for (let i = 0; i < 12; i += 1) {
      await cases.perform(h.office.caseworker, "refer", { reference, partner: `Partner ${i} ${"p".repeat(100)}` }, { platform: "cli" });
    }
  }, 180_000);
  afterAll(() => h?.stop());

  it("a case with 500 timeline entries and a 10,000-character summary fits one message", async () => {
    const answer = await h.ask(`show ${reference}`, "UCARL");
    expect(blockKitBreaches(answer.blocks, "message")).toEqual([]);
    const text = blockText(answer.blocks);
    expect(text).toMatch(/latest 8 of 513/);
    expect(text).toMatch(/Long letter\./);
    expect(answer.text.length).toBeLessThanOrEqual(3000);
  });

  it("a list of 300 cases stays within a message and says how many more there are", async () => {
    const cases = h.postbag.core.cases;
    await Promise.all(Array.from({ length: 300 }, () => cases.logCase(h.office.admin, letter({ receivedOn: "2026-11-02", subject: "Old letter" }), { platform: "cli" })));
    const answer = await h.ask("overdue", "UMAYA");
    expect(blockKitBreaches(answer.blocks, "message")).toEqual([]);
    expect(blockText(answer.blocks)).toMatch(/…and \d+ more/);
    await h.event({ type: "app_home_opened", user: "UCARL", channel: "D0CARL", tab: "home", event_ts: "1.1" });
    const home = await h.slack.waitFor(() => h.slack.callsTo("views.publish").find((c) => c.body.user_id === "UCARL"));
    expect(modalBreaches(home.body.view)).toEqual([]);
  });

  it("every modal stays within a modal's limits", async () => {
    const answer = await h.ask(`show ${reference}`, "UCARL");
    for (const actionId of ["postbag_add_entry", "postbag_refer", "postbag_partner_reply", "postbag_respond", "postbag_close"]) {
      const button = answer.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === actionId);
      expect(button, actionId).toBeDefined();
      await h.click({ userId: "UCARL", actionId, value: button.value, responseUrl: h.slack.responseUrl(), triggerId: `limits-${actionId}` });
      const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === `limits-${actionId}`));
      expect(modalBreaches(opened.body.view), actionId).toEqual([]);
    }
    const manager = await h.ask(`show ${reference}`, "UMAYA");
    const menu = menuIn(manager.blocks);
    expect(menu.map((option) => option.label)).toEqual(expect.arrayContaining(["Edit details…", "Correct date received…", "Sensitive marker…", "Void…"]));
    for (const [index, option] of menu.entries()) {
      await h.click({ userId: "UMAYA", actionId: option.actionId, value: option.value, responseUrl: h.slack.responseUrl(), triggerId: `limits-menu-${index}` });
      const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === `limits-menu-${index}`));
      expect(modalBreaches(opened.body.view), option.label).toEqual([]);
    }
    await h.command("log", "UALICE", { triggerId: "limits-log" });
    const log = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === "limits-log"));
    expect(modalBreaches(log.body.view)).toEqual([]);
  });
});
