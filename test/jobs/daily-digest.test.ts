import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { openPostbag } from "../../src/app.ts";
import type { DigestPublisher } from "../../src/domain/digest/digest-publisher.ts";
import type { JobRunStore } from "../../src/domain/jobs/job-runs.ts";
import { DailyDigestJob } from "../../src/jobs/daily-digest.ts";
import { createLogger } from "../../src/logger.ts";
import { blockKitBreaches } from "../support/block-kit-limits.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { letter } from "../support/office.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";

const DIGEST_CHANNEL = "C0MANAGERS";
const cli = { platform: "cli" as const };

describeEachDatabase("daily digests", (database) => {
  let h: SlackHarness;
  const refs: Record<string, string> = {};

  function job(options: { runs?: JobRunStore; publishers?: DigestPublisher[]; clock?: TestClock; core?: typeof h.postbag.core } = {}) {
    const core = options.core ?? h.postbag.core;
    return new DailyDigestJob({
      digests: core.digests,
      staff: core.staff,
      reachability: core.reachability,
      runs: options.runs ?? core.jobStores.runs,
      channels: core.jobStores.channels,
      publishers: options.publishers ?? [h.adapter.digestPublisher!],
      calendar: core.calendar,
      clock: options.clock ?? h.clock,
      logger: createLogger("silent"),
      digestTime: "08:00",
    });
  }
  const channelPosts = () => h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === DIGEST_CHANNEL);
  const dms = (user: string) => h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === user);

  beforeAll(async () => {
    h = await SlackHarness.start(database);
    const cases = h.postbag.core.cases;
    const { admin, manager } = h.office;
    // A seeded office before Christmas 2026: every state a case can be in.
    h.clock.set("2026-12-17T10:00:00Z");
    refs.ackOverdue = (await cases.logCase(admin, letter({ receivedOn: "2026-12-17", subject: "Ack overdue", assignee: "UCARL" }), cli)).reference;
    refs.sensitive = (await cases.logCase(admin, letter({ receivedOn: "2026-12-17", subject: "Mental health crisis", sensitive: true, constituent: { name: "Sally Secret" } }), cli)).reference;
    refs.referred = (await cases.logCase(admin, letter({ receivedOn: "2026-12-10", subject: "Burglary follow-up", assignee: "UCARL" }), cli)).reference;
    await cases.perform(admin, "acknowledge", { reference: refs.referred }, cli);
    await cases.perform(h.office.caseworker, "refer", { reference: refs.referred, partner: "Thames Valley Police", workingDays: 3 }, cli);
    h.clock.set("2026-12-21T10:00:00Z");
    refs.dueSoon = (await cases.logCase(admin, letter({ receivedOn: "2026-12-15", subject: "Due soon", assignee: "UCORA" }), cli)).reference;
    await cases.perform(admin, "acknowledge", { reference: refs.dueSoon }, cli);
    refs.closed = (await cases.logCase(admin, letter({ receivedOn: "2026-12-21", subject: "All done" }), cli)).reference;
    await cases.perform(manager, "close", { reference: refs.closed, outcome: "no-response-needed" }, cli);
    // Logged over Christmas, after the last digest.
    h.clock.set("2026-12-29T15:00:00Z");
    refs.loggedLate = (await cases.logCase(admin, letter({ receivedOn: "2026-12-29", subject: "Logged over Christmas" }), cli)).reference;
    // The managers' channel asks for the digest, through Slack.
    h.clock.set("2026-12-29T16:00:00Z");
    expect((await h.ask("digest here", "UMAYA", { channelId: DIGEST_CHANNEL })).text).toMatch(/will receive the manager digest/);
  }, 120_000);
  afterAll(() => h?.stop());
  beforeEach(() => {
    h.slack.calls.length = 0;
  });

  it("posts nothing on a weekend, a bank holiday or before its time", async () => {
    for (const instant of ["2026-12-26T09:00:00Z", "2026-12-28T09:00:00Z", "2026-12-25T09:00:00Z", "2026-12-29T07:59:00Z"]) {
      h.clock.set(instant);
      const outcome = await job().run();
      expect(outcome.skipped, instant).toBeDefined();
    }
    expect(h.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("the first working morning after Christmas: each section with its count and cases, sensitive details withheld", async () => {
    h.clock.set("2026-12-30T08:00:30Z");
    const outcome = await job().run();
    expect(outcome.failed).toEqual([]);
    const posts = channelPosts();
    const summary = blockText(posts[0]!.body.blocks);
    expect(summary).toMatch(/Office digest · Wed 30 Dec 2026/);
    expect(summary).not.toMatch(/· late/);
    // One message in the channel: a short summary, every section a reply in its thread.
    expect(posts.filter((p) => !p.body.thread_ts)).toEqual([posts[0]]);
    expect(posts.length).toBeGreaterThan(1);
    for (const reply of posts.slice(1)) expect(reply.body.thread_ts).toBe(posts[0]!.answer!.ts);
    expect(summary).toMatch(new RegExp(`The cases of each section are in this message's thread \\(${posts.length - 1} replies\\)\\.`));
    const sections = Object.fromEntries(posts.slice(1).map((p) => [p.body.text.replace(/ \(\d+\)$/, ""), blockText(p.body.blocks)]));
    expect(sections["Acknowledgements overdue"]).toContain(refs.ackOverdue);
    expect(sections["Acknowledgements overdue"]).toContain(refs.sensitive);
    expect(sections["Acknowledgements overdue"]).not.toContain(refs.loggedLate);
    expect(sections["Responses overdue"]).toContain(refs.referred);
    expect(sections["Responses due today and next working day"]).toContain(refs.dueSoon);
    expect(sections["Unassigned"]).toContain(refs.sensitive);
    expect(sections["Partner replies overdue — chase them"]).toContain(refs.referred);
    expect(sections["Logged since the last digest"]).toContain(refs.loggedLate);
    const everything = posts.map((p) => blockText(p.body.blocks)).join("\n");
    expect(everything).not.toContain(refs.closed);
    expect(everything).not.toMatch(/Sally Secret|Mental health/);
    for (const post of posts) expect(blockKitBreaches(post.body.blocks, "message")).toEqual([]);

    // Carl's personal digest: his overdue work and a Chase button for the overdue referral.
    const carl = dms("UCARL");
    expect(carl.length).toBeGreaterThan(0);
    const carlText = carl.map((p) => blockText(p.body.blocks)).join("\n");
    expect(carlText).toContain(refs.ackOverdue);
    expect(carlText).toContain(refs.referred);
    const chase = carl.flatMap((p) => p.body.blocks).find((b: any) => b.accessory?.action_id === "postbag_chase");
    expect(JSON.parse(chase.accessory.value).r).toBe(refs.referred);
    // Nobody with nothing due is messaged.
    expect(dms("UVICTOR")).toEqual([]);
    expect(dms("UALICE")).toEqual([]);

    // Running again the same day — another process, a restart — sends nothing twice.
    h.slack.calls.length = 0;
    h.clock.set("2026-12-30T09:30:00Z");
    await job().run();
    expect(h.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("flags a quiet case stale once, not every day, until someone acts", async () => {
    const cases = h.postbag.core.cases;
    const timeline = async () => (await cases.showCase(h.office.manager, refs.dueSoon)).timeline!.entries.filter((e) => e.type === "flagged_stale");
    // Due soon was last acted on Mon 21 Dec; its tenth working day after is Thu 7 Jan 2027
    // (Christmas, Boxing Day's substitute and New Year's Day are not working days).
    h.clock.set("2027-01-07T08:10:00Z");
    await job().run();
    expect(await timeline()).toHaveLength(0);
    h.clock.set("2027-01-08T08:10:00Z");
    await job().run();
    expect(await timeline()).toHaveLength(1);
    h.clock.set("2027-01-11T08:10:00Z");
    await job().run();
    expect(await timeline()).toHaveLength(1);
    const staleSection = channelPosts().filter((p) => /^Stale/.test(p.body.text)).at(-1);
    expect(blockText(staleSection!.body.blocks)).toContain(refs.dueSoon);
    // A holding letter counts as action: the case leaves the stale list.
    await cases.perform(h.office.otherCaseworker, "add_entry", { reference: refs.dueSoon, type: "holding_reply", text: "No news yet" }, cli);
    const next = await h.postbag.core.digests.managerDigest("2027-01-12");
    expect(next.sections.find((section) => section.key === "stale")!.cases.map((v) => v.reference)).not.toContain(refs.dueSoon);
  });

  it("catches up when no process was running at the scheduled time, marked late", async () => {
    h.clock.set("2027-01-12T11:20:00Z");
    await job().run();
    const summary = channelPosts()[0]!;
    expect(blockText(summary.body.blocks)).toMatch(/Office digest · Tue 12 Jan 2027 · late/);
    const runs = await h.postbag.core.jobs.listRuns(h.office.manager);
    expect(runs.find((r) => r.day === "2027-01-12" && r.job === "manager-digest")).toMatchObject({ status: "sent", late: true });
  });

  it("a crash between two recipients: after restart the second is sent and the first is not sent again", async () => {
    await h.postbag.core.jobs.subscribe(h.office.manager, { platform: "slack", channelId: "C0SECOND" });
    h.clock.set("2027-01-13T08:05:00Z");
    const real = h.postbag.core.jobStores.runs;
    const crashing: JobRunStore = {
      ...real,
      claim: async (run) => {
        if (run.recipient === "slack:C0SECOND") throw new Error("process killed");
        return real.claim(run);
      },
      finish: (run, outcome) => real.finish(run, outcome),
      list: (options) => real.list(options),
      lastSent: (jobName, day) => real.lastSent(jobName, day),
    };
    await expect(job({ runs: crashing }).run()).rejects.toThrow("process killed");
    expect(h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === "C0SECOND")).toEqual([]);
    const firstCount = channelPosts().length;
    expect(firstCount).toBeGreaterThan(0);
    await job().run();
    expect(channelPosts().length).toBe(firstCount);
    expect(h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === "C0SECOND").length).toBeGreaterThan(0);
    await h.postbag.core.jobs.unsubscribe(h.office.manager, { platform: "slack", channelId: "C0SECOND" });
  });

  it("a delivery whose process died mid-post is taken over once its lease has run out; a failed one is retried", async () => {
    h.clock.set("2027-01-14T08:05:00Z");
    const runs = h.postbag.core.jobStores.runs;
    // Another process claimed the channel and died before finishing.
    expect(await runs.claim({ job: "manager-digest", day: "2027-01-14", recipient: `slack:${DIGEST_CHANNEL}`, late: false, now: h.clock.now(), leaseMs: 10 * 60_000 })).toBe(true);
    await job().run();
    expect(channelPosts()).toEqual([]);
    h.clock.set("2027-01-14T08:20:00Z");
    await job().run();
    expect(channelPosts().length).toBeGreaterThan(0);

    h.slack.calls.length = 0;
    h.clock.set("2027-01-15T08:05:00Z");
    // The first post fails through all its retries (1 + 3), so the delivery fails; the next run retries it.
    h.slack.failNext("chat.postMessage", ...Array(4).fill({ status: 500 }));
    const failed = await job().run();
    expect(failed.failed).toContain(`manager-digest slack:${DIGEST_CHANNEL}`);
    h.clock.set("2027-01-15T08:20:00Z");
    const retried = await job().run();
    expect(retried.sent).toContain(`manager-digest slack:${DIGEST_CHANNEL}`);
    const jobs = await h.ask("jobs", "UMAYA");
    expect(jobs.text).toMatch(/Fri 15 Jan 2027\s+manager-digest\s+slack:C0MANAGERS\s+sent \(late\), 2 attempts/);
  });

  it("a section Slack refuses takes the half-posted digest back; the next run posts it whole, once", async () => {
    h.slack.calls.length = 0;
    h.clock.set("2027-01-18T08:05:00Z");
    h.slack.refuseWhen("chat.postMessage", (body) => body.channel === DIGEST_CHANNEL && Boolean(body.thread_ts) && /^Responses overdue/.test(body.text), "fatal_error");
    const failed = await job().run();
    expect(failed.failed).toContain(`manager-digest slack:${DIGEST_CHANNEL}`);
    const halfPosted = channelPosts().filter((p) => p.answer?.ok);
    expect(halfPosted.length).toBeGreaterThan(0);
    const deleted = h.slack.callsTo("chat.delete").map((c) => c.body.ts).sort();
    expect(deleted).toEqual(halfPosted.map((p) => p.answer!.ts).sort());

    h.slack.calls.length = 0;
    h.clock.set("2027-01-18T08:20:00Z");
    const retried = await job().run();
    expect(retried.sent).toContain(`manager-digest slack:${DIGEST_CHANNEL}`);
    const posts = channelPosts();
    expect(posts.filter((p) => !p.body.thread_ts)).toHaveLength(1);
    expect(posts.map((p) => p.body.text)).toContainEqual(expect.stringMatching(/^Responses overdue/));
    expect(h.slack.callsTo("chat.delete")).toEqual([]);
    h.slack.calls.length = 0;
    await job().run();
    expect(channelPosts()).toEqual([]);
  });

  it("a 300-case digest stays within Slack's limits, with complete counts and the way to see the rest", async () => {
    h.clock.set("2027-01-18T10:00:00Z");
    await Promise.all(Array.from({ length: 300 }, () => h.postbag.core.cases.logCase(h.office.admin, letter({ receivedOn: "2027-01-04", subject: "Backlog" }), cli)));
    h.slack.calls.length = 0;
    h.clock.set("2027-01-19T08:05:00Z");
    await job().run();
    const posts = channelPosts();
    for (const post of posts) expect(blockKitBreaches(post.body.blocks, "message")).toEqual([]);
    const ackOverdue = posts.find((p) => /^Acknowledgements overdue/.test(p.body.text))!;
    const count = Number(ackOverdue.body.text.match(/\((\d+)\)/)![1]);
    expect(count).toBeGreaterThanOrEqual(300);
    const listed = ackOverdue.body.blocks.filter((b: any) => b.accessory).length;
    expect(listed).toBeGreaterThan(0);
    expect(blockText(ackOverdue.body.blocks)).toContain(`…and ${count - listed} more. See them all with \`/case overdue\`.`);
    const preview = await h.ask("digest", "UMAYA");
    expect(blockKitBreaches(preview.blocks, "message")).toEqual([]);
    expect(blockText(preview.blocks)).toMatch(/Acknowledgements overdue\*\n\d{3}/);
    expect((await h.ask("digest", "UCARL")).text).toMatch(/Only managers can preview/);
  }, 60_000);

  if (database.engine === "postgres") {
    it("two processes on one PostgreSQL database post each digest exactly once", async () => {
      const target = (h.postbag as unknown as { target: { url: string } }).target;
      const other = await openPostbag(target, TEST_SETTINGS, { clock: h.clock });
      try {
        h.slack.calls.length = 0;
        h.clock.set("2027-01-20T08:00:05Z");
        await Promise.all([job().run(), job({ core: other.core }).run(), job().run(), job({ core: other.core }).run()]);
        const summaries = channelPosts().filter((p) => /^Office digest/.test(p.body.text));
        expect(summaries).toHaveLength(1);
        const carlSummaries = dms("UCARL").filter((p) => /^Your cases/.test(p.body.text));
        expect(carlSummaries).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  }
});
