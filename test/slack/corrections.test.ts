import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { PostedCardRefreshJob } from "../../src/jobs/posted-card-refresh.ts";
import { createLogger } from "../../src/logger.ts";
import { blockText, buttonsIn, CASE_LOG_CHANNEL, menuIn, SlackHarness } from "../support/slack-harness.ts";

/** Corrections from the case card in Slack: its menu ("More…") opens each correction's modal. */
describeEachDatabase("Slack: corrections from the case card", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  async function logged(text: string): Promise<string> {
    const answer = await h.ask(text, "UALICE");
    return blockText(answer.blocks).match(/PFCC-2026-\d{4}/)![0];
  }

  /** Chooses a menu item on the person's card and returns the modal Slack was asked to open. */
  async function openFromMenu(reference: string, userId: string, label: string): Promise<{ view: any; cardUrl: string }> {
    const card = await h.ask(`show ${reference}`, userId);
    const option = menuIn(card.blocks).find((o) => o.label === label);
    expect(option, label).toBeDefined();
    const cardUrl = h.slack.responseUrl();
    const triggerId = `menu-${reference}-${label}-${Math.random()}`;
    await h.click({ userId, actionId: option!.actionId, value: option!.value, responseUrl: cardUrl, triggerId });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === triggerId));
    return { view: opened.body.view, cardUrl };
  }

  /** The first non-null answer of `read`, polled (the announcement is posted after the reply). */
  async function eventually<T>(read: () => Promise<T | null>): Promise<T> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const value = await read();
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("never happened");
  }

  const submit = (userId: string, view: any, viewId: string, values: Record<string, any>) =>
    h.submitView({ userId, callbackId: "postbag_case_action", viewId, privateMetadata: view.private_metadata, values });
  const text = (value: string | null) => ({ type: "plain_text_input", value: value as string });
  const select = (value: string) => ({ type: "static_select", selected_option: { value } });

  it("viewers see no controls; a caseworker sees no correction of another's case; a manager sees them all", async () => {
    const reference = await logged('log letter 2026-11-24 "Menu Person" Menus --assign UCORA');
    expect(buttonsIn((await h.ask(`show ${reference}`, "UVICTOR")).blocks)).toEqual([]);
    expect(menuIn((await h.ask(`show ${reference}`, "UVICTOR")).blocks)).toEqual([]);
    expect(menuIn((await h.ask(`show ${reference}`, "UCARL")).blocks).map((o) => o.label)).toEqual(["Acknowledged earlier…", "Link to a case…", "Statutory type…"]);
    expect(menuIn((await h.ask(`show ${reference}`, "UCORA")).blocks).map((o) => o.label)).toEqual(["Acknowledged earlier…", "Link to a case…", "Edit details…", "Statutory type…"]);
    expect(menuIn((await h.ask(`show ${reference}`, "UMAYA")).blocks).map((o) => o.label)).toEqual(["Acknowledged earlier…", "Assign to…", "Link to a case…", "Edit details…", "Correct date received…", "Sensitive marker…", "Void…", "Statutory type…", "Move to a team…"]);
  });

  it("edit details: the modal starts from the case as logged, an emptied field clears, and the card shows the new details", async () => {
    const reference = await logged('log email 2026-11-24 Sam "Smith Noise" --email sam@example.com');
    const { view, cardUrl } = await openFromMenu(reference, "UMAYA", "Edit details…");
    const name = view.blocks.find((b: any) => b.block_id === "action_name");
    expect(name.element.initial_value).toBe("Sam");
    const values = {
      action_name: text("Sam Smith"),
      action_email: text(null),
      action_phone: text(null),
      action_address: text(null),
      action_subject: text("Noise"),
      action_summary: text(null),
      action_kind: select("casework"),
      action_channel: select("email"),
      action_themes: text("noise, neighbours"),
    };
    const blank = await submit("UMAYA", view, "VEDIT1", { ...values, action_name: text("  ") });
    expect(await blank.json()).toEqual({ response_action: "errors", errors: { action_name: "Constituent name is required." } });
    const done = await submit("UMAYA", view, "VEDIT2", values);
    expect(done.status).toBe(200);
    const refreshed = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    const shown = blockText(refreshed.blocks);
    expect(shown).toContain(`Details of ${reference} corrected`);
    expect(shown).toContain("Sam Smith");
    expect(shown).toContain("Corrected constituent name “Sam” → “Sam Smith”; email “sam@example.com” → (none)");
    const stored = await h.postbag.core.cases.showCase(h.office.manager, reference);
    expect([stored.constituent?.name, stored.constituent?.email, stored.subject, stored.themes]).toEqual(["Sam Smith", null, "Noise", ["noise", "neighbours"]]);
  });

  it("an empty required field is refused beside it, writing nothing", async () => {
    const reference = await logged('log letter 2026-11-24 "Rae Required" Required');
    const { view } = await openFromMenu(reference, "UMAYA", "Void…");
    const before = await h.postbag.db.prisma.timelineEntry.count();
    const refused = await submit("UMAYA", view, "VVOID1", { action_reason: text("   ") });
    expect(await refused.json()).toEqual({ response_action: "errors", errors: { action_reason: "The reason for voiding is required." } });
    expect(await h.postbag.db.prisma.timelineEntry.count()).toBe(before);
    expect((await submit("UMAYA", view, "VVOID2", { action_reason: text("Logged twice") })).status).toBe(200);
    expect((await h.postbag.core.cases.showCase(h.office.manager, reference)).status).toBe("voided");
  });

  it("correct the date received: the modal's date starts at the logged one; the deadlines follow the new date", async () => {
    const reference = await logged('log letter 2025-11-24 "Yan Year" Year typo');
    const { view, cardUrl } = await openFromMenu(reference, "UMAYA", "Correct date received…");
    expect(view.blocks.find((b: any) => b.block_id === "action_receivedOn").element.initial_date).toBe("2025-11-24");
    await submit("UMAYA", view, "VDATE1", { action_receivedOn: { type: "datepicker", selected_date: "2026-11-24" }, action_reason: text("year typed wrong") });
    const refreshed = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    // Received Tue 24 Nov 2026: acknowledge by Thu 26 Nov, respond by Tue 8 Dec.
    expect(blockText(refreshed.blocks)).toContain(`${reference} is now received Tue 24 Nov 2026: acknowledge by Thu 26 Nov 2026, respond by Tue 8 Dec 2026.`);
  });

  it("marking a case sensitive updates the card already posted in the case-log channel, in place", async () => {
    const reference = await logged('log letter 2026-11-24 "Dana Private" Domestic abuse disclosure --summary "She fears her partner"');
    const announced = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === CASE_LOG_CHANNEL && blockText(c.body.blocks).includes(reference)));
    const posted = await eventually(() => h.postbag.db.prisma.postedCard.findFirst({ where: { platform: "slack", case: { reference } } }));
    expect(posted).toMatchObject({ conversation: { channel: CASE_LOG_CHANNEL }, shownSensitive: false });
    expect(blockText(announced.body.blocks)).toContain("Domestic abuse disclosure");

    const { view } = await openFromMenu(reference, "UMAYA", "Sensitive marker…");
    expect(view.blocks.find((b: any) => b.block_id === "action_sensitive").element.initial_option.value).toBe("on");
    await submit("UMAYA", view, "VSENS1", { action_sensitive: select("on"), action_reason: text(null) });
    const update = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.body.channel === CASE_LOG_CHANNEL && c.body.ts === posted.messageId));
    const nowShown = blockText(update.body.blocks);
    expect(nowShown).toContain(`${reference} · New · Sensitive`);
    expect(nowShown).not.toMatch(/Domestic abuse|She fears|Dana Private/);
    expect((await h.postbag.db.prisma.postedCard.findUniqueOrThrow({ where: { id: posted.id } })).shownSensitive).toBe(true);
  });

  it("a card Slack would not update at once is updated by the next minute's refresh", async () => {
    const reference = await logged('log letter 2026-11-24 "Rory Retry" Threats received --summary "Named a neighbour"');
    await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === CASE_LOG_CHANNEL && blockText(c.body.blocks).includes(reference)));
    const posted = await eventually(() => h.postbag.db.prisma.postedCard.findFirst({ where: { platform: "slack", case: { reference } } }));
    const updatesOf = () => h.slack.callsTo("chat.update").filter((c) => c.body.ts === posted.messageId);
    h.slack.failNext("chat.update", { status: 200, body: { ok: false, error: "internal_error" } });
    await h.ask(`sensitive ${reference} on`, "UMAYA");
    await h.slack.waitFor(() => updatesOf().length === 1);
    expect((await h.postbag.db.prisma.postedCard.findUniqueOrThrow({ where: { id: posted.id } })).shownSensitive).toBe(false);

    const job = new PostedCardRefreshJob(h.postbag.core.postedCards, createLogger("silent"));
    expect(await job.run()).toEqual({ updated: 1, failed: 0 });
    expect(blockText(updatesOf().at(-1)!.body.blocks)).not.toMatch(/Threats|Named a neighbour|Rory/);
    expect(await job.run()).toEqual({ updated: 0, failed: 0 });
  });
});
