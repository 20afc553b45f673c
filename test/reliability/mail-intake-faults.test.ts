import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ImapSource } from "../../src/intake/imap-source.ts";
import { describeEachDatabase, TEST_DATABASES } from "../support/databases.ts";
import { startDovecot, type DovecotServer } from "../support/dovecot.ts";
import { folderName } from "../support/mail.ts";
import { deliver, expectAuditAccountsForAll, expectEachRecordedOnce, IntakeWorld, morningPost, PollerProcess, recordedSoFar, type Delivered } from "./support/mail-intake-world.ts";
import { TcpCut } from "./support/tcp-cut.ts";

/**
 * Mail intake under faults (issue 16): the poller killed mid-batch and restarted, the mail server
 * gone and back, and two replicas reading one mailbox at once — every message that reached the
 * mailbox is in the intake record exactly once, whole, and the audit accounts for each. Real
 * Dovecot (one of this file's own, so it can be cut off), real databases, and the mail-intake job
 * in real processes (support/mail-intake-poller.ts).
 */

/** Messages per batch in src/intake/imap-source.ts: a kill past the first batch's bytes lands after its rows are written. */
const BATCH = 25;

let dovecot: { server: DovecotServer; stop: () => Promise<void> };
const worlds: IntakeWorld[] = [];
const pollers: PollerProcess[] = [];
const relays: TcpCut[] = [];

beforeAll(async () => {
  dovecot = await startDovecot();
});
afterEach(async () => {
  for (const poller of pollers.splice(0)) await poller.kill();
  for (const relay of relays.splice(0)) await relay.cut();
  for (const world of worlds.splice(0)) await world.dispose();
});
afterAll(async () => {
  await dovecot?.stop();
});

async function newWorld(database: (typeof TEST_DATABASES)[number]): Promise<IntakeWorld> {
  const world = await IntakeWorld.create(database);
  worlds.push(world);
  return world;
}

/** A relay in front of this file's Dovecot, listening. */
async function newRelay(): Promise<TcpCut> {
  const relay = new TcpCut(dovecot.server);
  relays.push(relay);
  await relay.restore();
  return relay;
}

async function startPoller(env: Record<string, string>): Promise<PollerProcess> {
  const poller = await PollerProcess.start(env);
  pollers.push(poller);
  return poller;
}

/** The mailbox's name in the record, as the poller names it. */
const sourceOf = (folder: string) => new ImapSource({ ...dovecot.server, security: "off", mailbox: folder }).name;

const bytesOf = (messages: readonly Delivered[]) => messages.reduce((sum, message) => sum + message.size, 0);
const between = (low: number, high: number) => Math.round(low + Math.random() * (high - low));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A point in reading `remaining` (bytes from its start) past the first batch and well before the end. */
function midRead(remaining: readonly Delivered[], latest: number): number {
  const total = bytesOf(remaining);
  const firstBatch = bytesOf(remaining.slice(0, BATCH));
  return remaining.length > BATCH ? between(Math.min(firstBatch * 1.1, total * latest), total * latest) : between(total * 0.2, total * latest);
}

async function eventually(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not ${what} after ${timeoutMs} ms`);
    await pause(50);
  }
}

describeEachDatabase("reliability: mail intake killed mid-batch", (database) => {
  it("the intake poller killed with SIGKILL mid-batch and restarted records every message exactly once, whole, and the audit accounts for each", async () => {
    const world = await newWorld(database);
    const folder = folderName(`killed-${database.engine}`);
    const source = sourceOf(folder);
    const delivered = await deliver(dovecot.server, folder, morningPost(`killed-${database.engine}`, 120));
    // The relay only watches here: how far into the mailbox the poller has read.
    const relay = await newRelay();
    const env = world.env({ ...dovecot.server, port: relay.port, folder });

    let recorded = new Set<string>();
    // Killed twice on PostgreSQL; once on the embedded database, whose every restart after a kill
    // first waits out the dead process's lock on its folder (src/db/data-dir-lock.ts, 10 s).
    for (const latest of world.engine === "postgres" ? [0.5, 0.8] : [0.7]) {
      const remaining = delivered.filter((message) => !recorded.has(message.sourceKey));
      const killAt = relay.served + midRead(remaining, latest);
      const poller = await startPoller(env);
      await relay.whenServed(killAt);
      await pause(between(0, 20));
      await poller.kill("SIGKILL");
      expect(poller.results, "killed within its first poll").toEqual([]);
      const now = await world.with((postbag) => recordedSoFar(postbag, source));
      console.log(`[${database.engine}] killed at byte ${killAt}: ${now.keys.size} of ${delivered.length} recorded, cursor at UID ${now.lastUid}`);
      for (const key of recorded) expect(now.keys.has(key), `${key} was recorded before the kill`).toBe(true);
      if (remaining.length > BATCH) expect(now.keys.size, "the first batch of this run was written before the kill").toBeGreaterThan(recorded.size);
      expect(now.keys.size, "the kill landed before the end").toBeLessThan(delivered.length);
      recorded = now.keys;
    }

    const last = await startPoller(env);
    await last.until(() => last.results.length >= 2, 30_000, "polled twice");
    await last.kill("SIGTERM");
    expect(last.results.slice(0, 2)).toMatchObject([
      { recorded: delivered.length - recorded.size, failed: [] },
      { recorded: 0, failed: [] },
    ]);
    await world.with(async (postbag) => {
      await expectEachRecordedOnce(postbag, source, delivered);
      await expectAuditAccountsForAll(postbag, source, delivered.length);
    });
  });
});

// What the mail server does is the same whichever database records it: one engine suffices,
// PostgreSQL where there is one (so the record can be read while the poller runs), else the embedded one.
const serverDatabase = TEST_DATABASES.at(-1)!;
describe(`reliability: the mail server goes away and comes back [${serverDatabase.engine}]`, () => {
  const database = serverDatabase;
  it("polls while the server is down fail naming the mailbox and write nothing; cut off mid-read, what was read stays; back again, every message exactly once", async () => {
    const world = await newWorld(database);
    const folder = folderName(`outage-${database.engine}`);
    const source = sourceOf(folder);
    const delivered = await deliver(dovecot.server, folder, morningPost(`outage-${database.engine}`, 60));
    const relay = await newRelay();
    await relay.cut(); // the server stops before the poller first reads
    const poller = await startPoller(world.env({ ...dovecot.server, port: relay.port, folder }, { POLLER_PAUSE_MS: "200" }));
    const after = (count: number) => () => poller.results.length >= count;

    await poller.until(after(2), 15_000, "polled twice while the server was down");
    expect(poller.results.slice(0, 2)).toMatchObject([
      { recorded: 0, failed: [source] },
      { recorded: 0, failed: [source] },
    ]);
    if (world.engine === "postgres") {
      await world.with(async (postbag) => {
        expect((await recordedSoFar(postbag, source)).keys.size).toBe(0);
        expect(await postbag.core.intake.cursor(source)).toBeNull();
      });
    }

    // Back, then gone again part-way through reading the mailbox.
    const cutAt = relay.served + midRead(delivered, 0.75);
    await relay.restore();
    void relay.whenServed(cutAt).then(() => relay.cut());
    const seen = poller.results.length;
    await poller.until(after(seen + 2), 15_000, "polled twice more");
    const [cutOff, down] = poller.results.slice(seen);
    console.log(`[${database.engine}] cut at byte ${cutAt}: that poll recorded ${cutOff!.recorded} of ${delivered.length}`);
    expect(cutOff).toMatchObject({ failed: [source] });
    expect(cutOff!.recorded).toBeGreaterThanOrEqual(BATCH);
    expect(cutOff!.recorded).toBeLessThan(delivered.length);
    expect(down).toMatchObject({ recorded: 0, failed: [source] });
    if (world.engine === "postgres") {
      await world.with(async (postbag) => expect((await recordedSoFar(postbag, source)).keys.size).toBe(cutOff!.recorded));
    }

    await relay.restore();
    const back = poller.results.length;
    await poller.until(after(back + 2), 15_000, "polled twice after the server came back");
    await poller.kill("SIGTERM");
    expect(poller.results.slice(back, back + 2)).toMatchObject([
      { recorded: delivered.length - cutOff!.recorded, failed: [] },
      { recorded: 0, failed: [] },
    ]);
    await world.with(async (postbag) => {
      await expectEachRecordedOnce(postbag, source, delivered);
      await expectAuditAccountsForAll(postbag, source, delivered.length);
    });
  });
});

// Two processes on one database need a server: PostgreSQL only.
const postgres = TEST_DATABASES.find((database) => database.engine === "postgres");
describe.runIf(postgres)("reliability: two replicas reading one mailbox", () => {
  it("two replicas polling one mailbox at once, while mail keeps arriving, record every message exactly once, each by one of them", async () => {
    const world = await newWorld(postgres!);
    await world.with(async () => {}); // the schema is brought up to date once, as a deployment does before its replicas start
    const folder = folderName("replicas");
    const source = sourceOf(folder);
    const delivered = await deliver(dovecot.server, folder, morningPost("replicas-1", 50));
    const env = world.env({ ...dovecot.server, folder }, { POLLER_PAUSE_MS: "20" });
    const replicas = await Promise.all([startPoller(env), startPoller(env)]);
    for (const wave of [2, 3]) {
      await pause(between(100, 400));
      delivered.push(...(await deliver(dovecot.server, folder, morningPost(`replicas-${wave}`, 35))));
    }
    const recordedBy = (replica: PollerProcess) => replica.results.reduce((sum, result) => sum + result.recorded, 0);
    const total = () => replicas.reduce((sum, replica) => sum + recordedBy(replica), 0);
    await eventually(() => total() >= delivered.length, 30_000, "all recorded");
    // Each polls once more and finds nothing new.
    const polled = replicas.map((replica) => replica.results.length);
    await eventually(() => replicas.every((replica, index) => replica.results.length > polled[index]!), 10_000, "polled again");
    await Promise.all(replicas.map((replica) => replica.kill("SIGTERM")));
    console.log(`[postgres] replicas recorded ${replicas.map(recordedBy).join(" + ")} of ${delivered.length} in ${replicas.map((replica) => replica.results.length).join(" and ")} polls`);
    for (const replica of replicas) expect(replica.results.filter((result) => result.failed.length || result.error)).toEqual([]);
    expect(total()).toBe(delivered.length);
    await world.with(async (postbag) => {
      await expectEachRecordedOnce(postbag, source, delivered);
      await expectAuditAccountsForAll(postbag, source, delivered.length);
    });
  });
});
