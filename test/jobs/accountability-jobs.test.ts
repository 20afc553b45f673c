import { channelReportText } from "../../src/bots/shared/report-text.ts";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import type { DigestPublisher } from "../../src/domain/digest/digest-publisher.ts";
import { createLogger } from "../../src/logger.ts";
import { RetentionReviewJob } from "../../src/jobs/retention-review.ts";
import { WeeklyAuditJob } from "../../src/jobs/weekly-audit.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

describeEachDatabase("the weekly audit and the monthly retention review", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2019-03-04T10:00:00Z");
  const posted: { channel: string; title: string; text: string }[] = [];
  const publisher: DigestPublisher = {
    platform: "slack",
    postChannelDigest: async () => {},
    canReach: () => false,
    postPersonalDigest: async () => {},
    postChannelReport: async (channel, report) => void posted.push({ channel, ...channelReportText(report) }),
  };
  const deps = () => ({
    runs: postbag.core.jobStores.runs,
    channels: postbag.core.jobStores.channels,
    publishers: [publisher],
    clock,
    logger: createLogger("silent"),
    calendar: postbag.core.calendar,
    digestTime: "08:00",
  });

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
    const old = await postbag.core.cases.logCase(office.admin, letter({ receivedOn: "2019-03-04", assignee: office.caseworker.id }), { platform: "cli" });
    await postbag.core.cases.perform(office.caseworker, "close", { reference: old.reference, outcome: "withdrawn" }, { platform: "cli" });
    await postbag.core.jobs.subscribe(office.manager, { platform: "slack", channelId: "CMANAGERS" });
  });
  afterAll(() => postbag?.close());

  it("posts the audit to the manager channels once a week, on its first working day, with 0 exceptions", async () => {
    const job = new WeeklyAuditJob({ ...deps(), audit: postbag.core.audit });
    clock.setLondonMorning("2026-05-02"); // Saturday
    expect((await job.run(clock.now())).skipped).toBe("not a working day");
    clock.setLondonMorning("2026-05-05"); // Tuesday: Monday 4 May was a bank holiday
    expect((await job.run(clock.now())).sent).toEqual([`${job.name} slack:CMANAGERS`]);
    expect(posted.at(-1)).toMatchObject({ channel: "CMANAGERS", title: "No-loss audit: 0 exceptions" });
    expect(posted.at(-1)!.text).toMatch(/1 logged = 1 closed \+ 0 voided \+ 0 open/);
    clock.setLondonMorning("2026-05-06");
    expect((await job.run(clock.now())).sent).toEqual([]);
    clock.setLondonMorning("2026-05-11");
    expect((await job.run(clock.now())).sent).toEqual([`${job.name} slack:CMANAGERS`]);
    const runs = await postbag.core.jobs.listRuns(office.manager);
    expect(runs.filter((r) => r.job === "weekly-audit").map((r) => r.day)).toEqual(["2026-05-11", "2026-05-04"]);
  });

  it("lists closed cases past six years once a month for review, erasing nothing", async () => {
    const job = new RetentionReviewJob({ ...deps(), erasure: postbag.core.erasure });
    clock.setLondonMorning("2026-06-01");
    expect((await job.run(clock.now())).sent).toEqual([`${job.name} slack:CMANAGERS`]);
    expect(posted.at(-1)!.title).toBe("Retention review: 1 closed case past the retention period");
    expect(posted.at(-1)!.text).toMatch(/PFCC-2019-0001\s+closed Mon 4 Mar 2019 \(withdrawn\)/);
    clock.setLondonMorning("2026-06-02");
    expect((await job.run(clock.now())).sent).toEqual([]);
    expect((await postbag.core.cases.showCase(office.manager, "PFCC-2019-0001")).subject).not.toBe("[erased]");
  });
});
