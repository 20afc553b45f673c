import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, TEST_DATABASES } from "../support/databases.ts";
import { interactionBody, sendToSlackEndpoint, slashCommandBody, viewSubmissionPayload } from "../support/slack-requests.ts";
import { messageActivity } from "../support/teams-activities.ts";
import { generateLoad, PostbagProcess } from "./support/postbag-process.ts";
import { verifyNothingLost, World } from "./support/world.ts";

// Each modal is a different person: ten letters from one name with nothing else known would each be asked who she is.
const LOG_VALUES = (viewId: string) => ({
  log_channel: { type: "static_select", selected_option: { value: "email" } },
  log_received_on: { type: "datepicker", selected_date: "2026-11-20" },
  log_constituent_name: { type: "plain_text_input", value: `Storm Person ${viewId}` },
  log_subject: { type: "plain_text_input", value: "Storm subject" },
  log_kind: { type: "static_select", selected_option: { value: "casework" } },
});

describeEachDatabase("reliability: retry storms and duplicate deliveries", (database) => {
  let world: World;
  let postbag: PostbagProcess;
  beforeAll(async () => {
    world = await World.create(database);
    postbag = await PostbagProcess.start(world.env());
  });
  afterAll(async () => {
    await postbag?.kill();
    await world?.dispose();
  });

  it("the same Slack command, modal and Teams message delivered many times at once write once each", async () => {
    const slackLogs = Array.from({ length: 20 }, (_, i) => ({ trigger: `storm.${randomUUID()}`, text: `log letter 2026-11-19 "Storm ${i}" Retried letter ${i}` }));
    const views = Array.from({ length: 10 }, () => `VSTORM${randomUUID().slice(0, 8).toUpperCase()}`);
    const notes = Array.from({ length: 10 }, (_, i) => ({ id: `1:${randomUUID()}`, text: `note ${world.references[i % 5]} storm-${i}` }));
    const requests: Promise<Response>[] = [];
    for (let copy = 0; copy < 8; copy += 1) {
      for (const log of slackLogs) {
        requests.push(sendToSlackEndpoint(`${postbag.baseUrl}/slack/events`, slashCommandBody({ text: log.text, user_id: world.slackUsers[0]!, response_url: `${world.slack.url}/response/${randomUUID()}`, trigger_id: log.trigger }), "application/x-www-form-urlencoded", copy ? { retryNum: copy } : {}));
      }
      for (const viewId of views) {
        requests.push(sendToSlackEndpoint(`${postbag.baseUrl}/slack/events`, interactionBody(viewSubmissionPayload({ userId: world.slackUsers[1]!, callbackId: "postbag_log_case", viewId, privateMetadata: "{}", values: LOG_VALUES(viewId) })), "application/x-www-form-urlencoded"));
      }
      for (const note of notes) {
        const activity = { ...messageActivity(world.connector.url, world.teamsUsers[0]!, note.text), id: note.id };
        requests.push(fetch(`${postbag.baseUrl}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) }));
      }
    }
    const responses = await Promise.all(requests);
    expect(responses.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    await world.withPostbagWhileRunning(postbag, async (prisma) => {
      for (const log of slackLogs) expect(await prisma.timelineEntry.count({ where: { requestKey: `slack:command:${log.trigger}` } })).toBe(1);
      for (const viewId of views) expect(await prisma.timelineEntry.count({ where: { requestKey: `slack:view:${viewId}` } })).toBe(1);
      for (const [i] of notes.entries()) expect(await prisma.timelineEntry.count({ where: { text: `storm-${i}` } })).toBe(1);
    });
  });
});

// Several processes on one database need a server: PostgreSQL only.
const postgres = TEST_DATABASES.find((database) => database.engine === "postgres");
if (postgres) {
  describe("reliability: two processes on one PostgreSQL database", () => {
    const database = postgres;
    let world: World;
    let first: PostbagProcess;
    let second: PostbagProcess;
    beforeAll(async () => {
      world = await World.create(database);
      [first, second] = await Promise.all([PostbagProcess.start(world.env()), PostbagProcess.start(world.env())]);
    });
    afterAll(async () => {
      await first?.kill();
      await second?.kill();
      await world?.dispose();
    });

    it("writes to the same cases through both: no update silently lost, every conflict reported, references unique and gap-free", async () => {
      const [a, b] = await Promise.all([
        generateLoad(world.loadConfig(first.baseUrl, { durationMs: 5_000, maxRequests: 800, concurrency: 8, tag: "first" })),
        generateLoad(world.loadConfig(second.baseUrl, { durationMs: 5_000, maxRequests: 800, concurrency: 8, tag: "second" })),
      ]);
      const samples = [...a, ...b];
      expect(samples.filter((s) => s.status !== 200)).toEqual([]);
      // A note refused for a conflict says so to the person; none is silently dropped.
      const refused = samples.filter((s) => s.op === "slack-note" && !/^Recorded on/.test(s.text));
      for (const sample of refused) expect(sample.text).toMatch(/changed by someone else meanwhile|try again/);
      const { logged } = await world.withPostbag((db) => verifyNothingLost(db, samples));
      expect(logged).toBeGreaterThan(10);
    });

    it("two people acknowledging the same case through different processes: one wins, the other is told", async () => {
      const fresh = await world.withPostbag(async (db) => {
        const admin = await db.core.staff.resolveActor({ slackUserId: "UADMIN" });
        return (await db.core.cases.logCase(admin, { channel: "phone", receivedOn: "2026-11-24", constituent: { name: "Race Person" }, subject: "Race" }, { platform: "cli" })).reference;
      });
      const ack = (server: PostbagProcess, user: string) =>
        sendToSlackEndpoint(`${server.baseUrl}/slack/events`, slashCommandBody({ text: `ack ${fresh}`, user_id: user, response_url: `${world.slack.url}/response/${randomUUID()}` }), "application/x-www-form-urlencoded").then(async (r) => ((await r.json()) as { text: string }).text);
      const answers = await Promise.all([ack(first, world.slackUsers[0]!), ack(second, world.slackUsers[1]!)]);
      expect(answers.filter((text) => /^Acknowledged/.test(text))).toHaveLength(1);
      expect(answers.filter((text) => /already acknowledged|changed by someone else meanwhile/.test(text))).toHaveLength(1);
      const entries = await world.withPostbag((db) => db.db.prisma.timelineEntry.count({ where: { case: { reference: fresh }, type: "acknowledged" } }));
      expect(entries).toBe(1);
    });
  });
}
