import { PassThrough } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSlackAdapter } from "../../src/bots/slack/slack-adapter.ts";
import { loadConfig } from "../../src/config.ts";
import type { DigestPublisher } from "../../src/domain/digest/digest-publisher.ts";
import { DailyDigestJob } from "../../src/jobs/daily-digest.ts";
import { createLogger } from "../../src/logger.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { letter } from "../support/office.ts";
import { SIGNING_SECRET } from "../support/slack-requests.ts";
import { CHANNEL_ID, conversationUpdateActivity, installationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { cardText } from "../support/adaptive-card-check.ts";

const MANAGERS = "C0MANAGERS";

/** Assignment notices are sent after the change: waits until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const cli = { platform: "cli" as const };

/** Slack tells Postbag it was removed from the workspace: Postbag stops posting there, says so, and loses nothing. */
describeEachDatabase("Slack: Postbag uninstalled, or its token revoked", (database) => {
  let h: SlackHarness;
  let teams: TeamsHarness;
  const logs: Record<string, any>[] = [];

  beforeAll(async () => {
    const out = new PassThrough();
    out.on("data", (chunk) => String(chunk).split("\n").filter(Boolean).forEach((line) => logs.push(JSON.parse(line))));
    h = await SlackHarness.start(database, { log: { level: "info", destination: out } });
    // Both platforms on one core, as in production.
    teams = await TeamsHarness.start(database, { sharing: { postbag: h.postbag, office: h.office, clock: h.clock } });
  });
  afterAll(async () => {
    await teams?.stop();
    await h?.stop();
  });

  const job = (slack?: DigestPublisher) =>
    new DailyDigestJob({
      digests: h.postbag.core.digests,
      staff: h.postbag.core.staff,
      reachability: h.postbag.core.reachability,
      runs: h.postbag.core.jobStores.runs,
      channels: h.postbag.core.jobStores.channels,
      publishers: [slack ?? h.adapter.digestPublisher!, teams.adapter.digestPublisher!],
      calendar: h.postbag.core.calendar,
      clock: h.clock,
      logger: createLogger("silent"),
      digestTime: "08:00",
    });
  const slackCalls = () => h.slack.calls.filter((call) => call.method !== "auth.test");
  const teamsChannelText = (from: number) => teams.connector.activities.slice(from).filter((a) => a.conversationId === CHANNEL_ID).flatMap((a) => cardsOf(a.body)).map(cardText).join("\n");

  it("app_uninstalled: nothing more goes to Slack, the log says so, the manager digest on Teams says so, and the Slack digest waits — posted once the app is back", async () => {
    // Managers take the digest in a Slack channel and in a Teams channel; Carl has Postbag in his Teams chat too.
    expect((await h.ask("digest here", "UMAYA", { channelId: MANAGERS })).text).toMatch(/will receive the manager digest/);
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    expect((await teams.message("manager", "digest here", { where: "channel" })).text).toMatch(/will receive the manager digest/);
    const { reference } = await h.postbag.core.cases.logCase(h.office.admin, letter({ receivedOn: "2026-11-19", assignee: "UCARL" }), cli);

    expect((await h.event({ type: "app_uninstalled" }, { eventId: "EvGONE1" })).status).toBe(200);
    const logged = await h.slack.waitFor(() => logs.find((line) => /may no longer post to this workspace/.test(line.msg)));
    expect(logged).toMatchObject({ level: 50, team: "T0PFCC", reason: "app_uninstalled" });
    // Slack redelivers events: the first time and reason stand.
    await h.event({ type: "app_uninstalled" }, { eventId: "EvGONE1", retryNum: 1 });
    expect(await h.postbag.core.connections.list()).toEqual([{ platform: "slack", reason: "app_uninstalled", workspace: "T0PFCC", since: new Date("2026-11-25T10:00:00Z") }]);

    h.slack.calls.length = 0;
    h.clock.set("2026-11-26T08:01:00Z");
    const teamsBefore = teams.connector.activities.length;
    const outcome = await job().run();
    expect(slackCalls()).toEqual([]);
    // The Slack channel's digest is not lost: it is recorded failed, to be tried again.
    expect(outcome.failed).toEqual([`manager-digest slack:${MANAGERS}`]);
    const onTeams = teamsChannelText(teamsBefore);
    expect(onTeams).toContain("Office digest · Thu 26 Nov 2026");
    expect(onTeams).toContain(
      "⚠ Slack: the Postbag app was uninstalled from the workspace (workspace T0PFCC) on Wed 25 Nov 2026 10:00. Nothing is posted there: its digests, notices and triage cards wait. To resume, a Slack admin installs the app again from manifest/slack.yaml; put the new bot token in SLACK_BOT_TOKEN and restart Postbag.",
    );
    // Carl's own digest went to his Teams chat instead.
    const toCarl = teams.connector.activities.slice(teamsBefore).filter((a) => a.conversationId === `a:1personal-${teams.users.caseworker.aadObjectId}`);
    expect(JSON.stringify(toCarl.flatMap((a) => cardsOf(a.body)))).toContain(reference);
    // A case given to someone is never tried on Slack: Cora has not added Postbag on Teams, so she is named as unreachable instead.
    await h.postbag.core.cases.perform(h.office.manager, "assign", { reference, assignee: "cora@pfcc.example" }, cli);
    await until(async () => (await h.postbag.core.reachability.unreachable()).some((person) => person.name === "Cora Caseworker" && /Slack: app not installed for them/.test(person.why)));
    expect(slackCalls()).toEqual([]);

    // Reinstalled, and Postbag restarted with a token Slack accepts: it posts to Slack again, and the waiting digest goes out, once.
    const restarted = await createSlackAdapter({
      core: h.postbag.core,
      config: loadConfig({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: "xoxb-new-token", SLACK_API_URL: h.slack.apiUrl }),
      logger: createLogger("silent"),
    });
    expect(restarted.status).toMatch(/^Slack: connected/);
    expect(await h.postbag.core.connections.list()).toEqual([]);
    h.clock.set("2026-11-26T08:16:00Z");
    const teamsAgain = teams.connector.activities.length;
    const retried = await job(restarted.digestPublisher).run();
    expect(retried.sent).toContain(`manager-digest slack:${MANAGERS}`);
    const posted = h.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === MANAGERS && !call.body.thread_ts);
    expect(posted).toHaveLength(1);
    expect(blockText(posted[0]!.body.blocks)).not.toMatch(/uninstalled/);
    expect(teamsChannelText(teamsAgain)).toBe("");
  });

  it("tokens_revoked: people revoking their own tokens changes nothing; the bot's token revoked stops Postbag posting to Slack", async () => {
    await h.event({ type: "tokens_revoked", tokens: { oauth: ["UALICE"], bot: [] } }, { eventId: "EvUSER1" });
    await h.slack.waitFor(() => logs.find((line) => /Postbag.s bot token is not among them/.test(line.msg)));
    expect(await h.postbag.core.connections.list()).toEqual([]);

    h.clock.set("2026-11-27T09:00:00Z");
    await h.event({ type: "tokens_revoked", tokens: { bot: ["UBOT"] } }, { eventId: "EvBOT1" });
    await h.slack.waitFor(() => logs.find((line) => line.reason === "tokens_revoked"));
    expect(await h.postbag.core.connections.list()).toEqual([{ platform: "slack", reason: "tokens_revoked", workspace: "T0PFCC", since: new Date("2026-11-27T09:00:00Z") }]);
    // Every kind of Slack post refuses before calling Slack, so whoever sent it keeps it for later.
    h.slack.calls.length = 0;
    await expect(h.adapter.digestPublisher!.postChannelReport!(MANAGERS, { kind: "retention", review: { cutoff: "2020-11-27", total: 0, cases: [] } })).rejects.toThrow(/slack is disconnected: Postbag's bot token was revoked/);
    expect(await h.adapter.digestPublisher!.canReach(h.office.caseworker)).toBe(false);
    expect(slackCalls()).toEqual([]);
    const digest = await h.postbag.core.digests.managerDigest("2026-11-27");
    expect(digest.disconnected).toEqual([{ platform: "slack", words: expect.stringMatching(/^Slack: Postbag's bot token was revoked \(workspace T0PFCC\) on Fri 27 Nov 2026 09:00\./) }]);
    await h.postbag.core.connections.reconnected("slack");
  });
});
