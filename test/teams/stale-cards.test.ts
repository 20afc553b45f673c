import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { cardActionActivity, conversationUpdateActivity, type Where } from "../support/teams-activities.ts";
import { TeamsHarness, type Person } from "../support/teams-harness.ts";

/**
 * Issue 18: a card is never left stale. Case cards carry Universal Actions' `refresh`, so Teams
 * asks for the case as it is whenever the card is opened; and a button pressed on an older card
 * acts when it still makes sense, answering with the current card; only a true conflict is
 * refused, and then with the current card saying what changed.
 */
describeEachDatabase("Teams: an older case card", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  const cli = { platform: "cli" as const };
  const entries = async (reference: string) => (await teams.postbag.core.cases.showCase(teams.office.manager, reference)).timeline!.entries;
  async function postedCase(command = 'log letter 2026-11-24 "Olive Older" Broken bollards on Mill Lane --new-person', where: Where = "personal", who: Person = "admin") {
    const { card, sent } = await teams.message(who, command, { where });
    return { reference: cardText(card).match(/PFCC-2026-\d{4}/)![0], cardActivityId: sent[0]!.id, card };
  }
  const buttons = (card: any): any[] => [...(card.actions ?? []), ...(card.actions ?? []).flatMap((a: any) => buttons(a.card ?? {}))];
  /** Teams asking for a card again when it is opened (`trigger: automatic`), as the refresh clause says. */
  function refreshActivity(who: Person, refresh: { verb: string; data: Record<string, unknown> }, options: { where?: Where; cardActivityId?: string; trigger?: string } = {}) {
    const activity = cardActionActivity(teams.serviceUrl, teams.users[who], refresh.verb, refresh.data, options);
    return { ...activity, value: { ...activity.value, trigger: options.trigger ?? "automatic" } };
  }
  async function refresh(who: Person, refreshClause: { action: { verb: string; data: Record<string, unknown> } }, options: { where?: Where; cardActivityId?: string } = {}) {
    const before = teams.connector.activities.length;
    const response = await teams.send(refreshActivity(who, refreshClause.action, options));
    return { status: response.status, body: response.body, card: response.body?.value as Record<string, any>, sent: teams.connector.activities.slice(before) };
  }

  it("Acknowledge on a card shown before someone added a note acknowledges, and answers with the case as it is now", async () => {
    const { reference, cardActivityId, card } = await postedCase();
    await teams.postbag.core.cases.perform(teams.office.manager, "add_entry", { reference, type: "note", text: "Council says next week" }, cli);
    const ack = buttons(card).find((b) => b.verb === "case.acknowledge");
    const pressed = await teams.press("admin", "case.acknowledge", ack.data, { cardActivityId });
    expect(pressed.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const text = cardText(pressed.card);
    expect(text).toContain(`Acknowledged ${reference}.`);
    expect(text).toContain("Council says next week");
    expect(pressed.sent.some((s) => s.method === "PUT" && s.activityId === cardActivityId)).toBe(true);
    expect((await entries(reference)).map((entry) => entry.type)).toEqual(["logged", "note", "acknowledged"]);
  });

  it("a form opened on an older card is saved on the case as it is now", async () => {
    const { reference, cardActivityId, card } = await postedCase(undefined, "personal", "caseworker");
    const form = await teams.press("caseworker", "case.form", { ...buttons(card).find((b) => b.verb === "case.form" && b.data.form === "add_entry").data }, { cardActivityId });
    const save = form.card.actions[0];
    await teams.postbag.core.cases.perform(teams.office.manager, "add_entry", { reference, type: "call_out", text: "Left a voicemail" }, cli);
    const saved = await teams.press("caseworker", save.verb, { ...save.data, type: "note", text: "Olive emailed photos" }, { cardActivityId });
    expect(cardText(saved.card)).toContain(`Recorded on ${reference}.`);
    expect((await entries(reference)).map((entry) => [entry.type, entry.text]).slice(1)).toEqual([
      ["call_out", "Left a voicemail"],
      ["note", "Olive emailed photos"],
    ]);
  });

  it("Acknowledge on a card shown before someone else acknowledged is refused with the current card, saying what changed", async () => {
    const { reference, cardActivityId, card } = await postedCase();
    await teams.postbag.core.cases.perform(teams.office.otherCaseworker, "acknowledge", { reference }, cli);
    const pressed = await teams.press("admin", "case.acknowledge", buttons(card).find((b) => b.verb === "case.acknowledge").data, { cardActivityId });
    expect(pressed.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const text = cardText(pressed.card);
    expect(text).toContain(`Nothing was done: ${reference} changed after your card was shown`);
    expect(text).toContain("Acknowledged by Cora Caseworker");
    expect(text).toContain(`${reference} · Acknowledged`);
    expect(pressed.card.body[0]).toMatchObject({ color: "Attention" });
    expect(buttons(pressed.card).map((b) => b.verb)).not.toContain("case.acknowledge");
    expect((await entries(reference)).filter((entry) => entry.type === "acknowledged")).toHaveLength(1);
  });

  it("a case card carries a refresh for the people concerned: the one who asked and the assignee", async () => {
    // Carl has a personal chat with Postbag, so Teams knows him by his Teams id there.
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "added"));
    const { reference, cardActivityId, card } = await postedCase('log letter 2026-11-24 "Rita Refresh" Bins not emptied --new-person', "personal", "manager");
    expect(card.refresh).toMatchObject({ action: { type: "Action.Execute", verb: "case.refresh", data: { reference } } });
    const take = await teams.press("caseworker", "case.assign", buttons(card).find((b) => b.verb === "case.assign").data, { cardActivityId });
    expect(cardText(take.card)).toContain(`${reference} is now with Carl Caseworker.`);
    expect(take.card.refresh).toMatchObject({ action: { verb: "case.refresh", data: { reference } } });
    expect(take.card.refresh.userIds).toEqual([teams.users.caseworker.id]);
    const shown = await teams.press("manager", "case.show", { reference });
    expect([...shown.card.refresh.userIds].sort()).toEqual([teams.users.manager.id, teams.users.caseworker.id].sort());
  });

  it("an older card opened again shows the case as it is now, as that person may see it", async () => {
    const { reference, cardActivityId, card } = await postedCase();
    await teams.postbag.core.cases.perform(teams.office.manager, "add_entry", { reference, type: "note", text: "Bollards ordered" }, cli);
    await teams.postbag.core.cases.perform(teams.office.admin, "acknowledge", { reference }, cli);
    const opened = await refresh("admin", card.refresh, { cardActivityId });
    expect(opened.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(cardText(opened.card)).toContain(`${reference} · Acknowledged`);
    expect(cardText(opened.card)).toContain("Bollards ordered");
    expect(opened.card.refresh).toMatchObject({ action: { verb: "case.refresh", data: { reference } } });
    // Opening a card changes nothing, and is not posted anywhere.
    expect(opened.sent).toHaveLength(0);
    // A viewer gets what a viewer gets: the case, and no steps to take on it.
    const viewer = await refresh("viewer", card.refresh);
    expect(cardText(viewer.card)).toContain(`${reference} · Acknowledged`);
    expect(buttons(viewer.card).filter((b) => /^case\.(acknowledge|assign|add_entry|close|form)$/.test(b.verb))).toEqual([]);
    expect((await entries(reference)).map((entry) => entry.type)).toEqual(["logged", "note", "acknowledged"]);
  });

  it("a sensitive case's card in a channel refreshes with its details withheld for staff; someone who is not staff is not answered with any case", async () => {
    const { reference, card } = await postedCase('log letter 2026-11-24 "Sam Secret" "His son\'s arrest" --sensitive --new-person');
    for (const who of ["manager", "caseworker"] as const) {
      const opened = await refresh(who, card.refresh, { where: "channel" });
      const text = cardText(opened.card);
      expect(opened.body.statusCode, who).toBe(200);
      expect(text, who).toContain(`${reference} · New · Sensitive`);
      expect(text, who).not.toMatch(/Sam Secret|arrest/);
    }
    // A forged refresh names any case: someone who is not staff keeps the card as posted.
    const stranger = await refresh("stranger", card.refresh, { where: "channel" });
    expect(stranger.body.type).toBe("application/vnd.microsoft.error");
    expect(JSON.stringify(stranger.body)).not.toMatch(/Sam Secret|arrest/);
  });

  it("a refresh that cannot be read, or names no case, is answered without replacing the card or changing anything", async () => {
    const { reference, card } = await postedCase();
    const unreadable = await refresh("admin", { action: { verb: "case.refresh", data: { reference: 42 } } });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body).toMatchObject({ statusCode: 400, type: "application/vnd.microsoft.error" });
    const missing = await refresh("admin", { action: { verb: "case.refresh", data: { reference: "PFCC-2026-0999" } } });
    expect(missing.body.type).toBe("application/vnd.microsoft.error");
    expect(JSON.stringify(missing.body)).not.toMatch(/stack|Error:/);
    // An automatic trigger only ever shows the card: whatever verb it names, nothing is done.
    const closing = await refresh("admin", { action: { verb: "case.close", data: { reference, version: 1, outcome: "withdrawn" } } });
    expect(closing.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(cardText(closing.card)).toContain(`${reference} · New`);
    const stranger = await refresh("stranger", card.refresh);
    expect(stranger.body.type).toBe("application/vnd.microsoft.error");
    expect((await entries(reference)).map((entry) => entry.type)).toEqual(["logged"]);
  });
});
