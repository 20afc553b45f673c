import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateLoad, PostbagProcess } from "./support/postbag-process.ts";
import { verifyNothingLost, World } from "./support/world.ts";

/**
 * The PostgreSQL server stopped for several seconds under load and started again. Needs a
 * server of its own to stop, so it runs where CI provides PostgreSQL (TEST_DATABASE_URL).
 */
const SCRIPT = fileURLToPath(new URL("../../scripts/test-postgres.sh", import.meta.url));
const PORT = "55498";
const DIR = "/tmp/postbag-outage-pg";
const env = { ...process.env, POSTBAG_TEST_PG_PORT: PORT, POSTBAG_TEST_PG_DIR: DIR };

function pgCtl(...args: string[]): void {
  const pgCtlPath = execFileSync("bash", ["-c", "command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -n 1"], { encoding: "utf8" }).trim();
  const command = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", pgCtlPath] : [pgCtlPath];
  execFileSync(command[0]!, [...command.slice(1), "-D", DIR, ...args], { stdio: "ignore" });
}

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("reliability: the database goes away and comes back", () => {
  let world: World;
  let postbag: PostbagProcess;
  beforeAll(async () => {
    const url = execFileSync(SCRIPT, ["start"], { env, encoding: "utf8" }).trim();
    world = await World.create({ engine: "postgres", create: async () => ({ target: { url }, drop: async () => {} }) });
    postbag = await PostbagProcess.start(world.env());
  });
  afterAll(async () => {
    await postbag?.kill();
    await world?.dispose();
    execFileSync(SCRIPT, ["stop"], { env });
  });

  it("stays up, answers 'try again' within Slack's window during the outage, reconnects by itself, and loses nothing acknowledged", async () => {
    const timeline: { at: number; what: string }[] = [];
    const started = Date.now();
    const load = generateLoad(world.loadConfig(postbag.baseUrl, { durationMs: 12_000, maxRequests: 5_000, concurrency: 6, tag: "outage" }), () => {
      setTimeout(() => {
        pgCtl("stop", "-m", "fast", "-w");
        timeline.push({ at: Date.now() - started, what: "stopped" });
        setTimeout(() => {
          pgCtl("-l", `${DIR}/server.log`, "-w", "-o", `-c listen_addresses=127.0.0.1 -p ${PORT} -k ${DIR}`, "start");
          timeline.push({ at: Date.now() - started, what: "started" });
        }, 5_000);
      }, 3_000);
    });
    const samples = await load;
    expect(timeline.map((t) => t.what)).toEqual(["stopped", "started"]);
    expect(postbag.alive).toBe(true);
    expect(samples.filter((s) => s.status !== 200).map((s) => `${s.op} ${s.status}`)).toEqual([]);
    expect(Math.max(...samples.map((s) => s.ms))).toBeLessThan(3_000);
    const slackAnswers = samples.filter((s) => s.platform === "slack");
    const tryAgain = slackAnswers.filter((s) => /cannot reach its database just now/.test(s.text));
    expect(tryAgain.length).toBeGreaterThan(0);
    const unexpected = postbag.output.split("\n").filter((line) => line.includes("unexpected failure"));
    expect(unexpected.map((line) => line.slice(0, 600))).toEqual([]);
    expect(slackAnswers.filter((s) => /something went wrong on Postbag's side/.test(s.text))).toEqual([]);
    // Back to normal by itself: the last requests all succeed.
    const last = slackAnswers.slice(-20);
    expect(last.filter((s) => /cannot reach/.test(s.text))).toEqual([]);
    await world.withPostbag((db) => verifyNothingLost(db, samples));
  });
});
