import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { GraphSource, graphScope } from "../../src/intake/graph-source.ts";
import { MailIntakeJob } from "../../src/jobs/mail-intake-job.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { FakeGraph } from "../support/fake-graph.ts";
import { mail } from "../support/mail.ts";

/**
 * A Microsoft 365 shared mailbox through Microsoft Graph (issue 16), against a loopback fake of
 * Entra's token endpoint and Graph's delta query: paging, throttling, and an expired delta token,
 * each message recorded once.
 */
describeEachDatabase("mail intake from a Microsoft 365 mailbox (Graph)", (database) => {
  let postbag: Postbag;
  const graph = new FakeGraph();
  const clock = new TestClock("2026-12-02T10:00:00Z");
  const waits: number[] = [];
  const settings = () => ({ tenantId: graph.tenant, clientId: "app-id", clientSecret: "app-secret", mailbox: "correspondence@pfcc.example", folder: "inbox", graphUrl: graph.graphUrl, loginUrl: graph.loginUrl });
  // A fresh source each run, as after a restart: only the database remembers where it was.
  const poll = () => new MailIntakeJob([new GraphSource(settings(), async (ms) => void waits.push(ms))], postbag.core.intake, createLogger("silent"), 60).run();
  const subjects = async () => (await postbag.db.prisma.intakeMessage.findMany({ orderBy: { id: "asc" } })).map((message) => message.subject);

  beforeAll(async () => {
    await graph.start();
    postbag = await openTestPostbag(database, clock);
  });
  afterAll(async () => {
    await postbag?.close();
    await graph.stop();
  });

  it("reads the folder page by page with an app-only token, and then only what is new", async () => {
    for (const n of [1, 2, 3]) graph.add(`AAMk-${n}`, mail.plain({ subject: `Graph message ${n}` }), "2026-12-01T09:0" + n + ":00Z");
    expect(await poll()).toMatchObject({ recorded: 3, failed: [] });
    expect(await subjects()).toEqual(["Graph message 1", "Graph message 2", "Graph message 3"]);
    expect(graph.deltaRequests).toEqual(["?$select=id,receivedDateTime,internetMessageId", "?$skiptoken=2"]);
    expect(graph.tokenRequests[0]).toContain("grant_type=client_credentials");
    expect(graph.tokenRequests[0]).toContain("client_id=app-id");
    expect(graph.tokenRequests[0]).toContain(encodeURIComponent("https://graph.microsoft.com/.default"));
    const recorded = await postbag.db.prisma.intakeMessage.findFirst({ where: { subject: "Graph message 1" } });
    expect(recorded).toMatchObject({ source: "graph:correspondence@pfcc.example/inbox", sourceKey: "AAMk-1", deliveredAt: new Date("2026-12-01T09:01:00Z") });

    graph.add("AAMk-4", mail.plain({ subject: "Graph message 4" }), "2026-12-01T10:00:00Z");
    expect(await poll()).toMatchObject({ recorded: 1 });
    expect(graph.deltaRequests.at(-1)).toBe("?$deltatoken=t1");
  });

  it("waits as long as Retry-After says when Graph throttles, then carries on", async () => {
    graph.throttle = { count: 2, retryAfter: "3" };
    graph.add("AAMk-5", mail.plain({ subject: "Graph message 5" }), "2026-12-01T11:00:00Z");
    expect(await poll()).toMatchObject({ recorded: 1, failed: [] });
    expect(waits).toEqual([3000, 3000]);
  });

  it("reads the whole folder again when the delta token has expired, recording nothing twice", async () => {
    graph.expireTokens = true;
    graph.add("AAMk-6", mail.plain({ subject: "Graph message 6" }), "2026-12-01T12:00:00Z");
    const before = graph.deltaRequests.length;
    expect(await poll()).toMatchObject({ recorded: 1, failed: [] });
    expect(graph.deltaRequests.slice(before)).toEqual(["?$deltatoken=t3", "?$select=id,receivedDateTime,internetMessageId", "?$skiptoken=2", "?$skiptoken=4"]);
    expect(await subjects()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Graph message ${n}`));
    graph.expireTokens = false;
    expect(await poll()).toMatchObject({ recorded: 0 });
  });

  it("a message over the size bound is recorded without being read whole, for a person to open in the mailbox", async () => {
    graph.add("AAMk-7", mail.large({ subject: "Graph too big" }, Buffer.alloc(300 * 1024, 7)), "2026-12-01T13:00:00Z");
    graph.add("AAMk-8", mail.plain({ subject: "Graph message 8" }), "2026-12-01T13:05:00Z");
    const bounded = new GraphSource({ ...settings(), maxMessageBytes: 100 * 1024 }, async (ms) => void waits.push(ms));
    expect(await new MailIntakeJob([bounded], postbag.core.intake, createLogger("silent"), 60).run()).toMatchObject({ recorded: 2, failed: [] });
    const big = await postbag.db.prisma.intakeMessage.findFirst({ where: { sourceKey: "AAMk-7" } });
    expect(big).toMatchObject({ state: "unreadable", subject: "" });
    expect(big!.problem).toMatch(/^it is \d+ KB, larger than Postbag reads whole \(100 KB\): open it in the mailbox, then log or dismiss it here$/);
    expect(big!.rawSize).toBeGreaterThan(100 * 1024);
    expect((await subjects()).at(-1)).toBe("Graph message 8");
  });
});

describe("the token's audience", () => {
  it("is the Graph the mailbox is on: the public one, or a national cloud's own", () => {
    expect(graphScope("https://graph.microsoft.com/v1.0")).toBe("https://graph.microsoft.com/.default");
    expect(graphScope("https://graph.microsoft.us/v1.0")).toBe("https://graph.microsoft.us/.default");
    expect(graphScope("https://microsoftgraph.chinacloudapi.cn/v1.0")).toBe("https://microsoftgraph.chinacloudapi.cn/.default");
  });
});
