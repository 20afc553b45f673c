import { afterAll, beforeAll, expect, it } from "vitest";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { digestCards } from "../../src/bots/teams/cards/digest-cards.ts";
import type { Core } from "../../src/app.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { DailyDigestJob } from "../../src/jobs/daily-digest.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";
import { cliWorld } from "../support/cli-world.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/** Whoever cannot be told on their platform is named in the manager digest and in staff list, never silently skipped. */
describeEachDatabase("staff who can't be reached", (database) => {
  let h: SlackHarness;
  let teams: TeamsHarness;
  beforeAll(async () => {
    [h, teams] = await Promise.all([SlackHarness.start(database), TeamsHarness.start(database)]);
  });
  afterAll(async () => {
    await Promise.all([h?.stop(), teams?.stop()]);
  });

  const say = async (core: Core, who: StaffRecord, text: string) => resultText(await executeCommand(core, who, parseCommand(text), { audience: "private", request: { platform: "cli" } }));
  /** Assignment notices are sent after the answer: wait until the outcome is recorded. */
  async function until(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const unreachableNames = async (core: Core) => (await core.reachability.unreachable()).map((person) => `${person.name} — ${person.why}`);
  const recordFor = (staffId: number) => h.postbag.db.prisma.staffUnreachable.findUnique({ where: { staffId } });

  it("someone with no platform id who is given a case is named in the next manager digest: as text, on Slack and on Teams", async () => {
    const { core } = h.postbag;
    expect(await say(core, h.office.manager, "digest")).not.toMatch(/can't be reached/);
    const nina = (await core.staff.registerStaff(h.office.admin, { name: "Nina Nolink", roles: "caseworker", email: "nina@pfcc.example" })).staff;
    await h.ask('log letter 2026-11-24 "Pat Person" Broken street lamp --assign nina@pfcc.example', "UMAYA");
    await until(async () => Boolean(await recordFor(nina.id)));
    expect(await recordFor(nina.id)).toMatchObject({ reasons: ["no_platform_id"], failedAt: h.clock.now(), clearedAt: null });

    expect(await say(core, h.office.manager, "digest")).toContain("1 member of staff can't be reached:\n  Nina Nolink — no Slack or Teams id\n  Link them with staff link");
    const slackDigest = blockText((await h.ask("digest", "UMAYA")).blocks);
    expect(slackDigest).toContain("1 member of staff can't be reached");
    expect(slackDigest).toContain("• *Nina Nolink* — no Slack or Teams id");
    expect(await say(core, h.office.manager, "staff list")).toContain("Nina Nolink — caseworker (nina@pfcc.example) ⚠ no Slack or Teams id: gets no digest");

    // On Teams: Nina, and Cora, who has a Teams id but has not added Postbag, so her assignment could not be sent.
    await teams.postbag.core.staff.registerStaff(teams.office.admin, { name: "Nina Nolink", roles: "caseworker", email: "nina@pfcc.example" });
    await teams.message("manager", 'log letter 2026-11-24 "Tia Teams" Bus shelter --assign "Cora Caseworker"');
    await until(async () => (await unreachableNames(teams.postbag.core)).includes("Cora Caseworker — Teams: app not installed for them"));
    expect((await teams.message("manager", "digest")).text).toContain("2 staff can't be reached:\n  Cora Caseworker — Teams: app not installed for them\n  Nina Nolink — no Slack or Teams id");
    // The scheduled digest's cards, as posted to a Teams channel.
    const cards = digestCards(await teams.postbag.core.digests.managerDigest(teams.postbag.core.cases.ruleContext().today, { audience: "shared" }));
    cards.forEach((card) => teams.check(card as unknown as Record<string, unknown>));
    const summary = JSON.stringify(cards[0]);
    expect(summary).toContain("2 staff can't be reached");
    expect(summary).toContain('{"title":"Cora Caseworker","value":"Teams: app not installed for them"}');
    expect(summary).toContain('{"title":"Nina Nolink","value":"no Slack or Teams id"}');
    expect(teams.cardProblems).toEqual([]);
  });

  it("a Slack DM that fails names the person until a later delivery reaches them", async () => {
    const { core } = h.postbag;
    const cora = h.office.otherCaseworker;
    h.slack.refusedChannels.add("UCORA");
    await h.ask('log letter 2026-11-24 "Rhys Refused" Graffiti --assign UCORA', "UMAYA");
    await until(async () => (await unreachableNames(core)).includes("Cora Caseworker — Slack: DM failed"));
    expect(await say(core, h.office.manager, "digest")).toContain("2 staff can't be reached:\n  Cora Caseworker — Slack: DM failed\n  Nina Nolink — no Slack or Teams id");
    expect(blockText((await h.ask("digest", "UMAYA")).blocks)).toContain("• *Cora Caseworker* — Slack: DM failed");
    expect(await say(core, h.office.manager, "staff list")).toContain("Cora Caseworker — caseworker (cora@pfcc.example, Slack UCORA) ⚠ can't be reached: Slack: DM failed");

    h.slack.refusedChannels.delete("UCORA");
    h.clock.set("2026-11-25T11:00:00Z");
    await h.ask('log letter 2026-11-24 "Rhys Reached" Graffiti again --assign UCORA', "UMAYA");
    await until(async () => !(await unreachableNames(core)).some((line) => line.startsWith("Cora")));
    expect(await recordFor(cora.id)).toMatchObject({ reasons: ["slack_failed"], clearedAt: new Date("2026-11-25T11:00:00Z") });
    expect(await say(core, h.office.manager, "digest")).toContain("1 member of staff can't be reached:\n  Nina Nolink — no Slack or Teams id");
    expect(await say(core, h.office.manager, "staff list")).toContain("Cora Caseworker — caseworker (cora@pfcc.example, Slack UCORA)\n");
  });

  it("a personal digest that cannot be delivered names its person; the retry that reaches them clears it", async () => {
    const { core } = h.postbag;
    await core.cases.logCase(h.office.admin, { channel: "letter", receivedOn: "2026-11-10", constituent: { name: "Olive Overdue" }, subject: "Overdue for Carl", assignee: h.office.caseworker.id }, { platform: "cli" });
    const job = new DailyDigestJob({
      digests: core.digests,
      staff: core.staff,
      reachability: core.reachability,
      runs: core.jobStores.runs,
      channels: core.jobStores.channels,
      publishers: [h.adapter.digestPublisher!],
      calendar: core.calendar,
      clock: h.clock,
      logger: createLogger("silent"),
      digestTime: "08:00",
    });
    h.slack.refusedChannels.add("UCARL");
    h.clock.set("2026-11-26T08:00:30Z");
    const first = await job.run();
    expect(first.failed).toEqual([`personal-digest person:${h.office.caseworker.id}`]);
    expect(await say(core, h.office.manager, "jobs")).toContain("— could not message this person: Slack: DM failed");
    expect(await unreachableNames(core)).toContain("Carl Caseworker — Slack: DM failed");

    h.slack.refusedChannels.delete("UCARL");
    h.clock.set("2026-11-26T08:30:00Z");
    await job.run();
    expect(await unreachableNames(core)).not.toContain("Carl Caseworker — Slack: DM failed");
  });
});

describeEachDatabase("staff who can't be reached, at the command line", (database) => {
  const clock = new TestClock("2026-11-25T10:00:00Z");
  const postbag = cliWorld(database, clock).run;

  it("the digest names them as text and in --json; linking them takes them off", async () => {
    await postbag("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@pfcc.example", "--slack", "UALICE");
    await postbag("staff", "add", "Nina Nolink", "--role", "caseworker", "--email", "nina@pfcc.example", "--as", "alice@pfcc.example");
    expect((await postbag("log", "letter", "2026-11-24", "Pat Person", "Lamp", "--assign", "Nina Nolink", "--as", "alice@pfcc.example")).code).toBe(0);

    expect((await postbag("digest", "--as", "alice@pfcc.example")).out).toContain("1 member of staff can't be reached:\n  Nina Nolink — no Slack or Teams id");
    const json = JSON.parse((await postbag("digest", "--json", "--as", "alice@pfcc.example")).out);
    expect(json.unreachableStaff).toMatchObject([{ id: expect.any(Number), name: "Nina Nolink", reasons: ["no_platform_id"], why: "no Slack or Teams id" }]);

    await postbag("staff", "link", "Nina Nolink", "--slack", "UNINA", "--as", "alice@pfcc.example");
    expect((await postbag("digest", "--as", "alice@pfcc.example")).out).not.toContain("can't be reached");
    expect(JSON.parse((await postbag("digest", "--json", "--as", "alice@pfcc.example")).out).unreachableStaff).toEqual([]);
  });
});
