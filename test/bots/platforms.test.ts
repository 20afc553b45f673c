import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../support/platforms-loaded.ts", import.meta.url));

/** What a fresh process loads for the configuration given (test/support/platforms-loaded.ts). */
function run(env: Record<string, string>, ...args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SLACK_|MICROSOFT_|DATABASE_URL)/.test(name)));
  const out = execFileSync(process.execPath, ["--import", "tsx", SCRIPT, ...args], { env: { ...clean, LOG_LEVEL: "silent", ...env }, encoding: "utf8", timeout: 60_000 });
  return JSON.parse(out.trim().split("\n").at(-1)!) as { atStart: { bolt: boolean; botbuilder: boolean }; after: { bolt: boolean; botbuilder: boolean }; reachable: boolean; status: number | null; statuses: string[] };
}

describe("each chat platform's SDK is loaded only when that platform is used", () => {
  it("with neither configured, neither Bolt nor botbuilder is loaded; the Teams route loads botbuilder on its first request from this machine and answers it", () => {
    const result = run({}, "--request");
    expect(result.atStart).toEqual({ bolt: false, botbuilder: false });
    // Someone with no Teams id is not reachable there: asking loads nothing.
    expect(result.reachable).toBe(false);
    expect(result.status).toBe(400);
    expect(result.after).toEqual({ bolt: false, botbuilder: true });
    expect(result.statuses[1]).toContain("Microsoft Teams: not configured");
  });

  it("with Slack configured, Bolt is loaded at start and botbuilder is not", () => {
    const result = run({ SLACK_SIGNING_SECRET: "secret", SLACK_BOT_TOKEN: "xoxb-test", SLACK_API_URL: "http://127.0.0.1:9/api/" });
    expect(result.atStart).toEqual({ bolt: true, botbuilder: false });
  });

  it("with Teams configured, botbuilder is loaded at start (a bad registration is told then, not at the first request) and Bolt is not", () => {
    const result = run({ MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001", MICROSOFT_APP_PASSWORD: "secret", MICROSOFT_APP_TENANT_ID: "00000000-0000-0000-0000-000000000002" });
    expect(result.atStart).toEqual({ bolt: false, botbuilder: true });
    expect(result.statuses[1]).toContain("Microsoft Teams: connected as bot 00000000-0000-0000-0000-000000000001");
  });
});
