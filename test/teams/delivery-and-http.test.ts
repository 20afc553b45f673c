import { networkInterfaces } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isLoopback } from "../../src/bots/teams/http.ts";
import { createLogger } from "../../src/logger.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase, TEST_DATABASES } from "../support/databases.ts";
import { messageActivity } from "../support/teams-activities.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

describeEachDatabase("Teams: replies that fail, and requests that are wrong", (database) => {
  let teams: TeamsHarness;
  const logs: string[] = [];
  beforeAll(async () => {
    const sink = { write: (line: string) => void logs.push(line) };
    teams = await TeamsHarness.start(database, { logger: createLogger("warn", sink as never) });
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  it("retries a throttled reply, and a gateway failure, and delivers it once", async () => {
    teams.connector.failNext(2, 429, { "retry-after": "0" });
    const { sent, response } = await teams.message("admin", 'log letter 2026-11-24 "Tom Throttle" Parking');
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(cardText(sent[0]!.body.attachments[0].content)).toContain("Tom Throttle");
    expect(teams.connector.requests.filter((r) => r.method === "POST").slice(-3).map((r) => r.status)).toEqual([429, 429, 200]);
    teams.connector.failNext(1, 502);
    teams.connector.failNext(1, 412);
    const again = await teams.message("admin", "help");
    expect(again.sent).toHaveLength(1);
    expect(teams.connector.requests.filter((r) => r.method === "POST").slice(-3).map((r) => r.status)).toEqual([502, 412, 200]);
  });

  it("keeps the case change when the reply cannot be delivered, and logs the failure", async () => {
    teams.connector.failNext(4, 412);
    const { response, sent } = await teams.message("admin", 'log letter 2026-11-24 "Gina Gateway" Litter');
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(0);
    expect(await teams.postbag.core.cases.searchCases(teams.office.admin, "Gina Gateway")).toHaveLength(1);
    expect(logs.join("\n")).toMatch(/could not be delivered; the case change stands/);
    expect((await teams.message("admin", "help")).sent).toHaveLength(1);
  });

  it("refuses an oversize body before reading it, a body that is not JSON, and a non-POST", async () => {
    const big = await fetch(teams.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "message", text: "x".repeat(600_000) }) });
    expect(big.status).toBe(413);
    const notJson = await fetch(teams.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(notJson.status).toBe(400);
    const form = await fetch(teams.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" });
    expect(form.status).toBe(415);
    const get = await fetch(teams.endpoint);
    expect(get.status).toBe(405);
    const shapeless = await fetch(teams.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "no type" }) });
    expect(shapeless.status).toBe(400);
  });

  it("without an app id, refuses requests that came through a proxy (they only look local)", async () => {
    const activity = messageActivity(teams.serviceUrl, teams.users.admin, "help");
    const proxied = await teams.send(activity, { "x-forwarded-for": "203.0.113.9" });
    expect(proxied.status).toBe(401);
  });
});

describe("Teams without an app id: the Bot Framework Emulator's local mode", () => {
  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["10.0.0.5", "::ffff:10.0.0.5", "192.168.1.2", "fe80::1", undefined].some(isLoopback)).toBe(false);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

  it.skipIf(!external)("refuses a request arriving on a non-loopback interface, doing no work", async () => {
    const teams = await TeamsHarness.start(TEST_DATABASES[0]!, { host: external });
    try {
      const response = await teams.send(messageActivity(teams.serviceUrl, teams.users.admin, 'log letter 2026-11-24 "Ed External" Test'));
      expect(response.status).toBe(401);
      expect(teams.connector.activities).toHaveLength(0);
      expect(await teams.postbag.core.cases.searchCases(teams.office.admin, "Ed External")).toHaveLength(0);
    } finally {
      await teams.stop();
    }
  });
});
