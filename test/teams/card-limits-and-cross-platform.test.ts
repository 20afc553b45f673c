import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { MAX_CARD_BYTES } from "../../src/bots/teams/cards/adaptive-card.ts";
import { CASE_ACTION_NAMES } from "../../src/domain/cases/case-actions.ts";
import { hasForm } from "../../src/bots/shared/action-controls.ts";
import { cardBytes, cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { TeamsHarness } from "../support/teams-harness.ts";
import { seedPartners } from "../support/office.ts";

describeEachDatabase("Teams: cards stay valid and small; one case across Slack and Teams", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  it("keeps a very long case's card, and every form on it, valid Adaptive Card 1.5 under 28 KB", async () => {
    const { cases } = teams.postbag.core;
    const { manager } = teams.office;
    const logged = await cases.logCase(
      manager,
      {
        channel: "letter",
        receivedOn: "2026-11-02",
        constituent: { name: "Lorna Longletter ".repeat(11).trim(), email: "lorna@example.com", address: "Flat 1, ".repeat(60).trim() },
        subject: "A very long subject ".repeat(10).trim(),
        summary: "Every word of a ten-page letter. ".repeat(304).slice(0, 10_000),
        themes: Array.from({ length: 20 }, (_, i) => `theme number ${i} with a long name`),
        assignee: "me",
      },
      { platform: "cli" },
    );
    const partnerNames = Array.from({ length: 6 }, (_, index) => `Partner organisation number ${index} `.repeat(4).trim());
    await seedPartners(teams.postbag, partnerNames);
    for (let index = 0; index < 6; index += 1) {
      await cases.perform(manager, "refer", { reference: logged.reference, partner: `Partner organisation number ${index} `.repeat(4).trim() }, { platform: "cli" });
    }
    for (let index = 0; index < 494; index += 1) {
      await cases.perform(manager, "add_entry", { reference: logged.reference, type: "note", text: `Note ${index}: ${"detail ".repeat(300)}` }, { platform: "cli" });
    }
    const shown = await teams.message("manager", `show ${logged.reference}`);
    expect(cardText(shown.card)).toContain("(latest 8 of 502)");
    expect(cardBytes(shown.card)).toBeLessThan(MAX_CARD_BYTES);
    const version = (await cases.showCase(manager, logged.reference)).version;
    for (const form of CASE_ACTION_NAMES.filter(hasForm)) {
      const opened = await teams.press("manager", "case.form", { reference: logged.reference, version, form });
      expect(cardBytes(opened.card), form).toBeLessThan(MAX_CARD_BYTES);
    }
    const refused = await teams.press("manager", "case.add_entry", { reference: logged.reference, version, text: "x".repeat(20_001) });
    expect(cardText(refused.card)).toContain("The update is too long");
    // A refused form gives back what was typed, so only here can the card grow by the text itself.
    expect(cardBytes(refused.card)).toBeLessThan(MAX_CARD_BYTES + 21_000);
  });

  it("keeps a long list's card small", async () => {
    for (let index = 0; index < 30; index += 1) {
      await teams.postbag.core.cases.logCase(
        teams.office.admin,
        { channel: "email", receivedOn: "2026-11-20", constituent: { name: `Person ${index} `.repeat(10) }, subject: `Subject ${index} `.repeat(20).slice(0, 200) },
        { platform: "cli" },
      );
    }
    const listed = await teams.message("manager", "unassigned");
    expect(cardText(listed.card)).toContain("…and");
    expect(cardBytes(listed.card)).toBeLessThan(MAX_CARD_BYTES);
  });

  it("shows one timeline for a case logged through Slack and acknowledged through Teams", async () => {
    const fromSlack = await teams.postbag.core.cases.logCase(
      teams.office.admin,
      { channel: "social", receivedOn: "2026-11-25", constituent: { name: "Cross Platform" }, subject: "Streetlights out" },
      { platform: "slack", requestKey: "slack:view:V0123:abc" },
    );
    const shown = await teams.message("caseworker", `show ${fromSlack.reference}`);
    const ack = shown.card.actions.find((action: any) => action.verb === "case.acknowledge");
    const pressed = await teams.press("admin", "case.acknowledge", ack.data, { cardActivityId: shown.sent[0]!.id });
    expect(cardText(pressed.card)).toContain("(Alice Admin, slack)");
    expect(cardText(pressed.card)).toContain("(Alice Admin, teams)");
    const timeline = (await teams.postbag.core.cases.showCase(teams.office.caseworker, fromSlack.reference)).timeline!.entries;
    expect(timeline.map((entry) => [entry.type, entry.platform])).toEqual([
      ["logged", "slack"],
      ["acknowledged", "teams"],
    ]);
  });
});
