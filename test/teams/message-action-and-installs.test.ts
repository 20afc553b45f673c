import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { CHANNEL_ID, conversationUpdateActivity, installationUpdateActivity, messageActionFetchTask, messageActionSubmit, TEAM_ID } from "../support/teams-activities.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

describeEachDatabase("Teams: the Log as case message action, and where the bot is installed", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  it("opens the log form filled in from the message, then logs the case and posts its card in the conversation", async () => {
    const html = "<p>Letter from Mrs Jones about <b>speeding</b> on Hill Road</p><p>She says cars do 50 &amp; more.</p>";
    const fetched = await teams.send(messageActionFetchTask(teams.serviceUrl, teams.users.admin, { html, createdDateTime: "2026-11-24T16:30:00.000Z" }));
    expect(fetched.status).toBe(200);
    expect(fetched.body.task).toMatchObject({ type: "continue", value: { title: "Log as case" } });
    const form = fetched.body.task.value.card.content;
    const value = (id: string) => form.body.find((e: any) => e.id === id)?.value;
    expect(value("subject")).toBe("Letter from Mrs Jones about speeding on Hill Road");
    expect(value("summary")).toBe("Letter from Mrs Jones about speeding on Hill Road\nShe says cars do 50 & more.");
    expect(value("receivedOn")).toBe("2026-11-24");
    expect(form.actions[0]).toMatchObject({ type: "Action.Submit" });
    const formId = form.actions[0].data.formId;

    const refused = await teams.send(messageActionSubmit(teams.serviceUrl, teams.users.admin, { formId, channel: "letter", receivedOn: "2026-11-24", subject: "Speeding", sensitive: "false" }));
    expect(refused.body.task.type).toBe("continue");
    expect(cardText(refused.body.task.value.card.content)).toContain("Constituent name is required.");

    const before = teams.connector.activities.length;
    const data = { formId, channel: "letter", receivedOn: "2026-11-24", "constituent.name": "Mrs Jones", subject: "Speeding on Hill Road", summary: "Cars do 50", sensitive: "false" };
    const submitted = await teams.send(messageActionSubmit(teams.serviceUrl, teams.users.admin, data));
    expect(submitted.status).toBe(200);
    expect(submitted.body ?? {}).toEqual({});
    const posted = teams.connector.activities.slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.activityId).toBeUndefined();
    expect(cardText(posted[0]!.body.attachments[0].content)).toMatch(/Logged PFCC-2026-\d{4}/);
    await teams.send(messageActionSubmit(teams.serviceUrl, teams.users.admin, data));
    expect(await teams.postbag.core.cases.searchCases(teams.office.admin, "Mrs Jones")).toHaveLength(1);
  });

  it("keeps a sensitive case logged from a channel message redacted in the channel", async () => {
    const data = { formId: "f0f0f0f0-sensitive", channel: "email", receivedOn: "2026-11-25", "constituent.name": "Rob Private", subject: "Stalking", summary: "Detail", sensitive: "true" };
    const before = teams.connector.activities.length;
    await teams.send(messageActionSubmit(teams.serviceUrl, teams.users.manager, data, "channel"));
    const text = cardText(teams.connector.activities[before]!.body.attachments[0].content);
    expect(text).toContain("Sensitive");
    for (const secret of ["Rob Private", "Stalking", "Detail"]) expect(text).not.toContain(secret);
  });

  it("tells an unregistered person, instead of opening the form", async () => {
    const fetched = await teams.send(messageActionFetchTask(teams.serviceUrl, teams.users.stranger, { html: "hi", createdDateTime: "2026-11-24T10:00:00Z" }));
    expect(fetched.body.task).toEqual({ type: "message", value: "You are not registered as Postbag staff. Ask a Postbag admin to register you (staff add)." });
  });

  it("stores a conversation reference for every personal chat and team it is installed in, and forgets them on removal", async () => {
    const { conversations } = teams.postbag.core;
    expect((await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"))).status).toBe(200);
    expect((await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"))).status).toBe(200);
    let stored = await conversations.list();
    expect(stored.map((c) => c.conversationType).sort()).toEqual(["channel", "personal"]);
    const channel = stored.find((c) => c.conversationType === "channel")!;
    expect(channel).toMatchObject({ conversationId: CHANNEL_ID, teamId: TEAM_ID, tenantId: expect.any(String) });
    expect(channel.reference).toMatchObject({ serviceUrl: teams.serviceUrl, channelId: "msteams", conversation: { id: CHANNEL_ID }, bot: { id: expect.stringMatching(/^28:/) } });
    // Installing again refreshes, never duplicates.
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    expect(await conversations.list()).toHaveLength(2);
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "remove"));
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "removed"));
    stored = await conversations.list();
    expect(stored).toEqual([]);
  });
});
