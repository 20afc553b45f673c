import { afterAll, beforeAll, expect, it } from "vitest";
import type { Core } from "../../src/app.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { SlackHarness } from "../support/slack-harness.ts";
import { installationUpdateActivity } from "../support/teams-activities.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/**
 * Proactive messages (assignment notices, personal digests) need the app installed for the person:
 * `staff list` and setting up the digest say who Postbag can't reach, why, and how to fix it.
 */

const TEAMS_FIX =
  "Postbag must be installed for them in Teams: they add it once (Apps → Postbag → Add), or a Teams admin pre-installs it for everyone in the Teams admin centre (Teams apps → Setup policies → Installed apps).";

/** A Slack answer as a person reads it: Slack's entities turned back into the characters they stand for. */
const slackReads = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const failureRecorded = (core: Core, name: string, why: RegExp) => until(async () => (await core.reachability.unreachable()).some((person) => person.name === name && why.test(person.why)));

describeEachDatabase("install guidance on Teams", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());

  const line = (text: string, name: string) => text.split("\n").find((shown) => shown.startsWith(`${name} — `)) ?? "";

  it("staff list marks each caseworker and manager the app is not installed for, with the fix; installing it takes the mark off", async () => {
    const listed = (await teams.message("manager", "staff list")).text;
    const carl = teams.users.caseworker.aadObjectId;
    expect(listed).toContain(`Carl Caseworker — caseworker (carl@pfcc.example, Slack UCARL, Teams ${carl}) ⚠ can't be reached: Teams: app not installed for them\n  To fix: ${TEAMS_FIX}`);
    expect(line(listed, "Maya Manager")).toContain("⚠ can't be reached: Teams: app not installed for them");
    // Nobody sends the admin or the viewer anything of their own: they are not marked.
    expect(line(listed, "Alice Admin")).not.toContain("⚠");
    expect(line(listed, "Victor Viewer")).not.toContain("⚠");

    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    const after = (await teams.message("manager", "staff list")).text;
    expect(line(after, "Carl Caseworker")).toBe(`Carl Caseworker — caseworker (carl@pfcc.example, Slack UCARL, Teams ${carl})`);
    expect(after).not.toContain(`Carl Caseworker — caseworker (carl@pfcc.example, Slack UCARL, Teams ${carl})\n  To fix`);
  });

  it("digest here names the managers who will not get their own digest, and how to fix it; once installed, it says all are reached", async () => {
    const here = (await teams.message("manager", "digest here", { where: "channel" })).text;
    expect(here).toContain("This channel will receive the manager digest every working morning.");
    expect(here).toContain(`⚠ 1 manager will not receive their own digest, because Postbag can't reach them:\n  Maya Manager — Teams: app not installed for them. To fix: ${TEAMS_FIX}`);

    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.manager, "personal", "add"));
    const again = (await teams.message("manager", "digest here", { where: "channel" })).text;
    expect(again).toBe("This channel already receives the manager digest.\nEvery manager can be reached for their own digest too.");
  });
});

describeEachDatabase("install guidance on Slack, with Teams on the same Postbag", (database) => {
  let h: SlackHarness;
  let teams: TeamsHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
    teams = await TeamsHarness.start(database, { sharing: { postbag: h.postbag, office: h.office, clock: h.clock } });
  });
  afterAll(async () => {
    await teams?.stop();
    await h?.stop();
  });

  const staffList = async () => slackReads((await h.ask("staff list", "UMAYA")).text);

  it("staff list names someone with no platform id, and someone whose Slack DM failed, each with the fix; one Slack reaches is not marked for Teams", async () => {
    const { core } = h.postbag;
    await core.staff.registerStaff(h.office.admin, { name: "Nina Nolink", roles: "caseworker", email: "nina@pfcc.example" });
    h.slack.refusedChannels.add("UCORA");
    await h.ask('log letter 2026-11-24 "Dee Direct" Direct messages --assign UCORA', "UMAYA");
    await failureRecorded(core, "Cora Caseworker", /Slack: DM failed/);
    h.slack.refusedChannels.delete("UCORA");

    const listed = await staffList();
    expect(listed).toContain(
      'Nina Nolink — caseworker (nina@pfcc.example) ⚠ no Slack or Teams id: gets no digest\n  To fix: Link their Slack or Teams account: staff link "Nina Nolink" --slack U… or --teams <Entra object id>.',
    );
    expect(listed).toContain(
      `Cora Caseworker — caseworker (cora@pfcc.example, Slack UCORA, Teams ${teams.users.otherCaseworker.aadObjectId}) ⚠ can't be reached: Slack: DM failed\n` +
        '  To fix: Check their Slack id is theirs and in this workspace (staff link "Cora Caseworker" --slack U…), and ask them to open Postbag in Slack once (Apps → Postbag) so Slack lets it message them.',
    );
    // Carl has no Postbag in Teams, but Slack reaches him: nothing to fix.
    expect(listed).toContain(`Carl Caseworker — caseworker (carl@pfcc.example, Slack UCARL, Teams ${teams.users.caseworker.aadObjectId})\n`);
  });

  it("digest here on Slack says every manager is reached; after a direct message to Maya fails, it names her with the fix", async () => {
    expect((await h.ask("digest here", "UMAYA", { channelId: "C0MANAGERS" })).text).toBe("This channel will receive the manager digest every working morning.\nEvery manager can be reached for their own digest too.");

    h.slack.refusedChannels.add("UMAYA");
    await h.ask('log letter 2026-11-24 "Mo Manager" For Maya --assign UMAYA', "UALICE");
    await failureRecorded(h.postbag.core, "Maya Manager", /Slack: DM failed/);
    h.slack.refusedChannels.delete("UMAYA");
    const here = slackReads((await h.ask("digest here", "UMAYA", { channelId: "C0MANAGERS" })).text);
    expect(here).toBe(
      "This channel already receives the manager digest.\n" +
        "⚠ 1 manager will not receive their own digest, because Postbag can't reach them:\n" +
        '  Maya Manager — Slack: DM failed. To fix: Check their Slack id is theirs and in this workspace (staff link "Maya Manager" --slack U…), and ask them to open Postbag in Slack once (Apps → Postbag) so Slack lets it message them.',
    );
  });

  it("once Postbag is removed from the Slack workspace, staff list on Teams names whoever Teams can't reach either, with both fixes", async () => {
    expect((await h.event({ type: "app_uninstalled" }, { eventId: "EvGONE-GUIDE" })).status).toBe(200);
    await until(async () => (await h.postbag.core.connections.list()).length > 0);
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    const listed = (await teams.message("manager", "staff list")).text;
    // Cora's failed direct message is explained by the app having gone from the workspace: one fix for each platform.
    expect(listed).toContain(
      `Cora Caseworker — caseworker (cora@pfcc.example, Slack UCORA, Teams ${teams.users.otherCaseworker.aadObjectId}) ⚠ can't be reached: Slack: app not installed for them; Teams: app not installed for them\n` +
        `  To fix: Postbag is not in the Slack workspace any more (removed, or its token revoked): a Slack admin installs it for the workspace again. ${TEAMS_FIX}\n`,
    );
    // Carl has Postbag in Teams: reached there.
    expect(listed).toContain(`Carl Caseworker — caseworker (carl@pfcc.example, Slack UCARL, Teams ${teams.users.caseworker.aadObjectId})\n`);
  });
});
