import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, CASE_LOG_CHANNEL, SlackHarness } from "../support/slack-harness.ts";

/**
 * Issue 18: a card is never left stale. A button on a card shown before someone else changed
 * the case acts when what it asks still makes sense on the case as it is now; only a true
 * conflict is refused, and then the card is replaced by the current one saying what changed.
 */
describeEachDatabase("Slack: buttons and forms on an older card", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  const cli = { platform: "cli" as const };
  const timeline = async (reference: string) => (await h.postbag.core.cases.showCase(h.office.manager, reference)).timeline!.entries;

  async function cardFor(user: string, command: string): Promise<{ reference: string; blocks: any[] }> {
    const answer = await h.ask(command, user);
    return { reference: blockText(answer.blocks).match(/PFCC-2026-\d{4}/)![0], blocks: answer.blocks };
  }

  it("Acknowledge on a card shown before someone added a note acknowledges, and the card becomes the case as it is now", async () => {
    const { reference, blocks } = await cardFor("UALICE", 'log letter 2026-11-23 "Nora Note" Potholes on the ring road');
    await h.postbag.core.cases.perform(h.office.manager, "add_entry", { reference, type: "note", text: "Rang the council" }, cli);
    const ack = buttonsIn(blocks).find((b) => b.action_id === "postbag_acknowledge")!;
    const responseUrl = h.slack.responseUrl();
    await h.click({ userId: "UALICE", actionId: ack.action_id, value: ack.value, responseUrl });
    const replaced = await h.answer(responseUrl);
    expect(replaced.replace_original).toBe(true);
    const text = blockText(replaced.blocks);
    expect(text).toContain(`Acknowledged ${reference}.`);
    expect(text).toContain("Rang the council");
    expect(text).not.toMatch(/changed by someone else|changed after/);
    expect((await timeline(reference)).map((entry) => entry.type)).toEqual(["logged", "note", "acknowledged"]);
  });

  it("a form opened on an older card is saved on the case as it is now", async () => {
    const { reference } = await cardFor("UMAYA", 'log letter 2026-11-23 "Fred Form" Noise at night --assign UCARL');
    const carl = await h.ask(`show ${reference}`, "UCARL");
    const button = buttonsIn(carl.blocks).find((b) => b.action_id === "postbag_add_entry")!;
    const cardUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: button.action_id, value: button.value, responseUrl: cardUrl, triggerId: "trigger-stale-form" });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === "trigger-stale-form"));
    // While Carl types, Maya records a call.
    await h.postbag.core.cases.perform(h.office.manager, "add_entry", { reference, type: "call_out", text: "Left a message" }, cli);
    const done = await h.submitView({
      userId: "UCARL",
      callbackId: "postbag_case_action",
      viewId: "VSTALE1",
      privateMetadata: opened.body.view.private_metadata,
      values: { action_type: { type: "static_select", selected_option: { value: "note" } }, action_text: { type: "plain_text_input", value: "Fred rang back" } },
    });
    expect(await done.text()).toBe("");
    const refreshed = await h.answer(cardUrl);
    expect(blockText(refreshed.blocks)).toContain(`Recorded on ${reference}.`);
    expect((await timeline(reference)).map((entry) => [entry.type, entry.text]).slice(1)).toEqual([
      ["assigned", "Assigned to Carl Caseworker"],
      ["call_out", "Left a message"],
      ["note", "Fred rang back"],
    ]);
  });

  it("a form saved on a card shown before someone else closed the case closes, and the card shows the case as it is now and why nothing was done", async () => {
    const { reference } = await cardFor("UMAYA", 'log letter 2026-11-23 "Cleo Closed" Parking on verges --assign UCARL');
    const carl = await h.ask(`show ${reference}`, "UCARL");
    const button = buttonsIn(carl.blocks).find((b) => b.action_id === "postbag_close")!;
    const cardUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: button.action_id, value: button.value, responseUrl: cardUrl, triggerId: "trigger-stale-close" });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === "trigger-stale-close"));
    await h.postbag.core.cases.perform(h.office.manager, "close", { reference, outcome: "withdrawn" }, cli);
    const refused = await h.submitView({
      userId: "UCARL",
      callbackId: "postbag_case_action",
      viewId: "VSTALE2",
      privateMetadata: opened.body.view.private_metadata,
      values: { action_outcome: { type: "static_select", selected_option: { value: "responded" } } },
    });
    expect(await refused.json()).toEqual({ response_action: "clear" });
    const replaced = await h.answer(cardUrl);
    expect(replaced.replace_original).toBe(true);
    const text = blockText(replaced.blocks);
    expect(text).toContain(`Nothing was done: ${reference} changed after your card was shown (Closed by Maya Manager)`);
    expect(text).toMatch(/Closed/);
    expect((await timeline(reference)).filter((entry) => entry.type === "closed")).toHaveLength(1);
  });

  it("Assign to me on a card shown before someone else took the case is refused, and the card shows who has it now and why nothing was done", async () => {
    const { reference } = await cardFor("UALICE", 'log letter 2026-11-23 "Tom Taken" Fly-tipping');
    const carl = await h.ask(`show ${reference}`, "UCARL");
    await h.postbag.core.cases.perform(h.office.otherCaseworker, "assign", { reference, assignee: "me" }, cli);
    const take = buttonsIn(carl.blocks).find((b) => b.action_id === "postbag_assign")!;
    const responseUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: take.action_id, value: take.value, responseUrl });
    const replaced = await h.answer(responseUrl);
    expect(replaced.replace_original).toBe(true);
    const text = blockText(replaced.blocks);
    expect(text).toContain(`Nothing was done: ${reference} changed after your card was shown`);
    expect(text).toContain("Assigned by Cora Caseworker");
    expect(text).toContain("Cora Caseworker");
    expect(buttonsIn(replaced.blocks).map((b) => b.action_id)).not.toContain("postbag_assign");
    expect((await timeline(reference)).filter((entry) => entry.type === "assigned")).toHaveLength(1);
  });

  it("a card in a channel is brought up to date for everyone, and only the person who pressed is told why nothing was done", async () => {
    await cardFor("UALICE", 'log letter 2026-11-23 "Chan Nell" Broken swings');
    const post = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === CASE_LOG_CHANNEL && /Chan Nell/.test(blockText(c.body.blocks))));
    const reference = blockText(post.body.blocks).match(/PFCC-2026-\d{4}/)![0];
    await h.postbag.core.cases.perform(h.office.otherCaseworker, "assign", { reference, assignee: "me" }, cli);
    const take = buttonsIn(post.body.blocks).find((b) => b.action_id === "postbag_assign")!;
    const responseUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: take.action_id, value: take.value, responseUrl, ephemeral: false, channelId: CASE_LOG_CHANNEL, messageTs: "1700000000.333333" });
    const update = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.body.ts === "1700000000.333333"));
    expect(blockText(update.body.blocks)).toContain("Cora Caseworker");
    expect(blockText(update.body.blocks)).not.toContain("Nothing was done");
    const told = await h.answer(responseUrl);
    expect(told).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(told.text).toContain(`Nothing was done: ${reference} changed after your card was shown (Assigned by Cora Caseworker)`);
    expect((await timeline(reference)).filter((entry) => entry.type === "assigned")).toHaveLength(1);
  });
});
