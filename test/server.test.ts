import { fileURLToPath } from "node:url";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CLOCK_SETTINGS } from "../src/domain/clocks/clock.schema.ts";
import { loadConfig } from "../src/config.ts";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

describe("starting Postbag", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "postbag-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("starts with no configuration on the embedded database, answers /healthz, and shuts down cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", POSTBAG_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", () => {
        const match = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", () => reject(new Error(`exited early:\n${output}`)));
    });
    expect(output).toMatch(/Slack: not configured \(set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN/);
    expect(output).toMatch(/Microsoft Teams: not configured/);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "pglite" });
    expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
    expect(existsSync(join(dataDir, "postbag.lock"))).toBe(true);
    if (process.platform === "linux") {
      // Started without them, the server gave itself its memory settings (src/process-settings.ts), keeping its process id.
      expect(readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0")).toContain("--max-semi-space-size=8");
      expect(readFileSync(`/proc/${child.pid}/environ`, "utf8").split("\0")).toContain("MALLOC_MMAP_THRESHOLD_=131072");
    }

    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    expect(existsSync(join(dataDir, "postbag.lock"))).toBe(false);
  });

  it("refuses to start on a wrong configuration value, naming the variable", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", MAIN], {
      env: { ...process.env, PORT: "eighty", POSTBAG_DATA_DIR: dataDir },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Configuration is not valid:\n {2}PORT/);
  });
});

describe("configuration", () => {
  it("defaults suit a newcomer: embedded database in Postbag's own data folder whatever the current directory, port 3978, England and Wales", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3978, database: { dataDir: fileURLToPath(new URL("../data", import.meta.url)) }, nation: "england-and-wales", closureDays: [] });
    expect(config.standards).toEqual({ referencePrefix: "PFCC", acknowledgeWorkingDays: 2, respondWorkingDays: 10, staleAfterWorkingDays: 10, partnerReplyWorkingDays: 10, holdingReplyWorkingDays: 10, retentionYears: 6, clocks: DEFAULT_CLOCK_SETTINGS });
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with postgresql:\/\//],
    [{ POSTBAG_CLOSURE_DAYS: "2026-12-29,29/12/2026" }, /POSTBAG_CLOSURE_DAYS must be dates/],
    [{ POSTBAG_REFERENCE_PREFIX: "pf-cc" }, /POSTBAG_REFERENCE_PREFIX/],
    [{ POSTBAG_RESPOND_DAYS: "0" }, /POSTBAG_RESPOND_DAYS/],
    [{ POSTBAG_REVIEW_COMPLETE_DAYS: "four weeks" }, /POSTBAG_REVIEW_COMPLETE_DAYS/],
  ])("rejects %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("reads closure days and service standards", () => {
    const config = loadConfig({ POSTBAG_CLOSURE_DAYS: "2026-12-29, 2026-12-30", POSTBAG_STALE_DAYS: "5", POSTBAG_NATION: "scotland", DATABASE_URL: "postgresql://db/postbag" });
    expect(config.closureDays).toEqual(["2026-12-29", "2026-12-30"]);
    expect(config.standards.staleAfterWorkingDays).toBe(5);
    expect(config.database).toEqual({ url: "postgresql://db/postbag" });
  });

  it("reads the statutory clocks' published targets, keeping the defaults for the rest", () => {
    const config = loadConfig({ POSTBAG_REVIEW_COMPLETE_DAYS: "20", POSTBAG_CC_UPDATE_DAYS: "21" });
    expect(config.standards.clocks).toMatchObject({
      complaintReview: { applicationWindowDays: 28, acknowledgeWorkingDays: 5, completeWorkingDays: 20 },
      chiefConstableComplaint: { recordWorkingDays: 10, updateEveryDays: 21 },
      foi: DEFAULT_CLOCK_SETTINGS.foi,
    });
  });
});
