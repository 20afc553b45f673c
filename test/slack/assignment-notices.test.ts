import { afterAll, beforeAll, expect, it } from "vitest";
import { conversationUpdateActivity, installationUpdateActivity } from "../support/teams-activities.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";

/** Whoever is given a case by someone else is told on their platform, with its card; whoever it is taken from too. */
describeEachDatabase("telling assignees", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  const dmsTo = (user: string, reference: string) => h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === user && blockText(c.body.blocks).includes(reference));

  it("on Slack: the new assignee by direct message, the previous one when it is taken from them, nobody for their own doing", async () => {
    const logged = await h.ask('log letter 2026-11-24 "Nora Notice" Noticed --assign UCARL', "UMAYA");
    const reference = blockText(logged.blocks).match(/PFCC-2026-\d{4}/)![0];
    const toCarl = await h.slack.waitFor(() => dmsTo("UCARL", reference)[0]);
    expect(blockText(toCarl.body.blocks)).toContain(`Maya Manager assigned ${reference} to you.`);
    expect(blockText(toCarl.body.blocks)).toContain("Noticed");

    await h.ask(`assign ${reference} UCORA`, "UMAYA");
    const toCora = await h.slack.waitFor(() => dmsTo("UCORA", reference)[0]);
    expect(blockText(toCora.body.blocks)).toContain(`Maya Manager assigned ${reference} to you.`);
    const fromCarl = await h.slack.waitFor(() => dmsTo("UCARL", reference).find((c) => blockText(c.body.blocks).includes("reassigned")));
    expect(blockText(fromCarl.body.blocks)).toContain(`${reference} was reassigned from you to Cora Caseworker by Maya Manager.`);

    const own = await h.ask('log letter 2026-11-24 "Sid Self" Self --assign me', "UCARL");
    const mine = blockText(own.blocks).match(/PFCC-2026-\d{4}/)![0];
    await h.ask(`note ${mine} Settled`, "UCARL");
    expect(dmsTo("UCARL", mine)).toEqual([]);
  });
});

describeEachDatabase("telling assignees in Teams", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());

  it("sends the case card to the assignee's personal chat with Postbag", async () => {
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    const before = teams.connector.activities.length;
    const { card } = await teams.message("manager", 'log letter 2026-11-24 "Tara Teams" Told --assign "Carl Caseworker"');
    const reference = JSON.stringify(card).match(/PFCC-2026-\d{4}/)![0];
    const personal = `a:1personal-${teams.users.caseworker.aadObjectId}`;
    const deadline = Date.now() + 5_000;
    let told: any;
    while (!told && Date.now() < deadline) {
      told = teams.connector.activities.slice(before).find((a) => a.conversationId === personal && JSON.stringify(cardsOf(a.body)).includes(reference));
      if (!told) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(JSON.stringify(cardsOf(told.body))).toContain(`Maya Manager assigned ${reference} to you.`);
  });
});
