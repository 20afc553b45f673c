import { afterAll, beforeAll, expect, it } from "vitest";
import { DailyDigestJob } from "../../src/jobs/daily-digest.ts";
import { createLogger } from "../../src/logger.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { letter } from "../support/office.ts";
import { CHANNEL_ID, conversationUpdateActivity, installationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";
import { createTeamsAdapter } from "../../src/bots/teams/teams-adapter.ts";
import { loadConfig } from "../../src/config.ts";

describeEachDatabase("daily digests in Microsoft Teams", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());

  it("posts the manager digest to a channel told `digest here`, and personal digests to caseworkers' chats with Postbag — once", async () => {
    const cli = { platform: "cli" as const };
    teams.clock.set("2026-11-25T10:00:00Z");
    const { reference } = await teams.postbag.core.cases.logCase(teams.office.admin, letter({ receivedOn: "2026-11-19", assignee: teams.office.caseworker.id }), cli);
    const secret = await teams.postbag.core.cases.logCase(teams.office.admin, letter({ receivedOn: "2026-11-19", sensitive: true, subject: "Mental health crisis", constituent: { name: "Sally Secret" } }), cli);
    // Postbag is installed in a team channel and in Carl's personal chat.
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    const here = await teams.message("manager", "digest here", { where: "channel" });
    expect(here.text).toMatch(/will receive the manager digest/);

    const adapter = await createTeamsAdapter({ core: teams.postbag.core, config: loadConfig({}), logger: createLogger("silent") }, { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    const job = new DailyDigestJob({
      digests: teams.postbag.core.digests,
      staff: teams.postbag.core.staff,
      reachability: teams.postbag.core.reachability,
      runs: teams.postbag.core.jobStores.runs,
      channels: teams.postbag.core.jobStores.channels,
      publishers: [adapter.digestPublisher!],
      calendar: teams.postbag.core.calendar,
      clock: teams.clock,
      logger: createLogger("silent"),
      digestTime: "08:00",
    });
    teams.clock.set("2026-11-26T08:01:00Z");
    const before = teams.connector.activities.length;
    const outcome = await job.run();
    expect(outcome.failed).toEqual([]);
    const sent = teams.connector.activities.slice(before);
    const inChannel = sent.filter((a) => a.conversationId === CHANNEL_ID);
    const channelCards = inChannel.flatMap((a) => cardsOf(a.body));
    const channelText = JSON.stringify(channelCards);
    expect(channelText).toContain("Office digest · Thu 26 Nov 2026");
    expect(channelText).toContain(reference);
    expect(channelText).toContain(secret.reference);
    expect(channelText).not.toMatch(/Sally Secret|Mental health/);
    // Each line offers its next step: an overdue acknowledgement offers Acknowledge on that case.
    expect(channelText).toMatch(new RegExp(`"verb":"case.acknowledge","data":\\{"reference":"${reference}"`));
    for (const card of channelCards) teams.check(card);
    expect(teams.cardProblems).toEqual([]);
    const toCarl = sent.filter((a) => a.conversationId === `a:1personal-${teams.users.caseworker.aadObjectId}`);
    expect(JSON.stringify(toCarl.flatMap((a) => cardsOf(a.body)))).toContain(reference);

    const again = teams.connector.activities.length;
    await job.run();
    expect(teams.connector.activities.length).toBe(again);

    // The weekly audit and monthly retention review reach the same channel as a card.
    await adapter.digestPublisher!.postChannelReport!(CHANNEL_ID, { kind: "retention", review: { cutoff: "2020-12-02", total: 0, cases: [] } });
    const review = teams.connector.activities.slice(again).filter((a) => a.conversationId === CHANNEL_ID);
    expect(JSON.stringify(review.flatMap((a) => cardsOf(a.body)))).toContain("Retention review: 0 closed cases past the retention period");
  });
});
