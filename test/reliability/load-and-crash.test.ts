import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { sendToSlackEndpoint, slashCommandBody } from "../support/slack-requests.ts";
import { generateLoad, percentile, PostbagProcess } from "./support/postbag-process.ts";
import { verifyNothingLost, World } from "./support/world.ts";

const APOLOGY = /something went wrong on Postbag's side/;

describeEachDatabase("reliability: sustained load and a crash", (database) => {
  let world: World;
  let postbag: PostbagProcess | undefined;
  beforeAll(async () => {
    world = await World.create(database);
  });
  afterAll(async () => {
    await postbag?.kill();
    await world?.dispose();
  });

  it("sustained mixed load from another process: no server errors, every acknowledged write kept", async () => {
    postbag = await PostbagProcess.start(world.env());
    const samples = await generateLoad(world.loadConfig(postbag.baseUrl, { durationMs: 6_000, maxRequests: 1_500, concurrency: 8, tag: "steady" }));
    const statuses = new Map<number, number>();
    for (const sample of samples) statuses.set(sample.status, (statuses.get(sample.status) ?? 0) + 1);
    const latencies = samples.map((s) => s.ms);
    console.log(`[${database.engine}] ${samples.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    expect(samples.length).toBeGreaterThan(100);
    expect([...statuses.keys()]).toEqual([200]);
    expect(samples.filter((s) => APOLOGY.test(s.text))).toEqual([]);
    expect(postbag.output).not.toMatch(/unexpected failure/);
    await postbag.kill("SIGTERM");
    const kept = await world.withPostbag((db) => verifyNothingLost(db, samples));
    expect(kept.logged).toBeGreaterThan(0);
  });

  it("killed with SIGKILL mid-load and restarted: nothing half-written, no reference reused, a retried request not duplicated", async () => {
    postbag = await PostbagProcess.start(world.env());
    const running = postbag;
    const load = generateLoad(world.loadConfig(running.baseUrl, { durationMs: 6_000, maxRequests: 2_000, concurrency: 8, tag: "crash" }), () => {
      setTimeout(() => void running.kill("SIGKILL"), 3_500);
    });
    const samples = await load;
    expect(samples.some((s) => s.status === 200)).toBe(true);
    expect(samples.some((s) => s.status === 0)).toBe(true);
    expect(samples.filter((s) => s.status >= 500)).toEqual([]);

    // The restart takes over the embedded database from the dead process.
    postbag = await PostbagProcess.start(world.env());
    const loggedBefore = samples.find((s) => s.op === "slack-log" && s.status === 200 && s.wrote?.reference);
    if (loggedBefore) {
      // Slack retrying the very same request (same trigger id, same command, same person) gets the same case back…
      const { triggerId, command, userId } = loggedBefore.wrote!;
      const send = (text: string) =>
        sendToSlackEndpoint(
          `${postbag!.baseUrl}/slack/events`,
          slashCommandBody({ text, user_id: userId!, response_url: `${world.slack.url}/response/retry`, trigger_id: triggerId }),
          "application/x-www-form-urlencoded",
        );
      expect(((await (await send(command!)).json()) as { text: string }).text).toContain(loggedBefore.wrote!.reference);
      // …and the same trigger id with another command is refused, not answered with that case.
      expect(((await (await send(`log letter 2026-11-19 "Retry" Retried`)).json()) as { text: string }).text).toMatch(/already used for a different request/);
    }
    const after = await generateLoad(world.loadConfig(postbag.baseUrl, { durationMs: 1_500, maxRequests: 200, concurrency: 4, tag: "after" }));
    expect(after.filter((s) => s.status !== 200)).toEqual([]);
    await postbag.kill("SIGTERM");
    await world.withPostbag((db) => verifyNothingLost(db, [...samples, ...after]));
  });
});
