import { createServer } from "node:http";
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { openPostbag } from "../src/app.ts";
import { createTeamsAdapter } from "../src/bots/teams/teams-adapter.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { createHttpServer, listen } from "../src/server.ts";
import { TEST_SETTINGS } from "../test/support/databases.ts";
import { FakeBotConnector } from "../test/support/fake-bot-connector.ts";
import { messageActivity, teamsUser } from "../test/support/teams-activities.ts";
import { load, percentile, spread, warmUp, WARM_UP_REQUESTS, type BenchTable } from "./support.ts";

/**
 * A Teams round trip: a message activity in at /api/messages, the case card reply
 * recorded by a loopback Bot Connector (the HTTP answer waits for the reply, as
 * botbuilder does). The floor is a bare botbuilder CloudAdapter echo bot replying to
 * the same connector. Both servers run in this process on the embedded database, so
 * the ratio, not the absolute figure, is the measure.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PLAN = [
  { concurrency: 1, total: 500 },
  { concurrency: 16, total: 2000 },
];

async function startPostbag(_connector: FakeBotConnector) {
  const postbag = await openPostbag({ inMemory: true }, TEST_SETTINGS);
  const admin = (await postbag.core.staff.registerStaff(null, { name: "Bench Admin", roles: "admin,caseworker", email: "bench@example.org" })).staff;
  const user = teamsUser("Bench Admin");
  await postbag.core.staff.registerStaff(admin, { name: admin.name, roles: "admin", email: "bench@example.org", teamsUserId: user.aadObjectId });
  const logged = await postbag.core.cases.logCase(admin, { channel: "letter", receivedOn: "2026-01-05", constituent: { name: "Bench Person" }, subject: "Bench subject" }, { platform: "cli" });
  const logger = createLogger("silent");
  const adapter = await createTeamsAdapter({ core: postbag.core, config: loadConfig({}), logger });
  const server = createHttpServer({ logger, routes: new Map([[adapter.mount!.path, adapter.mount!.handler]]), health: async () => ({}) });
  const port = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}/api/messages`, user, reference: logged.reference, close: async () => (server.close(), postbag.close()) };
}

async function startEcho() {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler().onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text}`);
    await next();
  });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const res = {
        socket: response.socket,
        status: (code: number) => void (response.statusCode = code),
        header: (name: string, value: unknown) => void response.setHeader(name, String(value)),
        send: (payload: unknown) => void response.write(typeof payload === "string" ? payload : JSON.stringify(payload)),
        end: () => void response.end(),
      };
      void adapter.process({ method: request.method, headers: request.headers, body }, res, (context) => bot.run(context));
    });
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}/api/messages`, close: async () => void server.close() };
}

export async function run(): Promise<BenchTable> {
  const connector = await new FakeBotConnector().start();
  const postbag = await startPostbag(connector);
  const echo = await startEcho();
  const post = async (url: string, text: string) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(messageActivity(connector.url, postbag.user, text)) });
    if (response.status !== 200) throw new Error(String(response.status));
    await response.arrayBuffer();
  };
  const rows: BenchTable["rows"] = [];
  try {
    await warmUp(() => post(postbag.url, `show ${postbag.reference}`));
    await warmUp(() => post(echo.url, "hello"));
    for (const { concurrency, total } of PLAN) {
      const ours = { p50: [] as number[], p99: [] as number[] };
      const floor = { p50: [] as number[], p99: [] as number[] };
      let errors = 0;
      for (let index = 0; index < RUNS; index += 1) {
        connector.clear();
        const measured = await load(() => post(postbag.url, `show ${postbag.reference}`), total, concurrency);
        const bare = await load(() => post(echo.url, "hello"), total, concurrency);
        errors += measured.errors + bare.errors;
        ours.p50.push(percentile(measured.latenciesMs, 50));
        ours.p99.push(percentile(measured.latenciesMs, 99));
        floor.p50.push(percentile(bare.latenciesMs, 50));
        floor.p99.push(percentile(bare.latenciesMs, 99));
      }
      const ratio = ours.p50.map((value, index) => value / floor.p50[index]!);
      rows.push({
        "round trip": "message → case card reply",
        concurrency,
        "Postbag p50 ms": spread(ours.p50),
        "Postbag p99 ms": spread(ours.p99),
        "bare botbuilder p50 ms": spread(floor.p50),
        "p50 ratio (target ≤ 3×)": spread(ratio, 2),
        errors,
      });
    }
  } finally {
    await postbag.close();
    await echo.close();
    await connector.stop();
  }
  return {
    name: "Microsoft Teams: message in, card reply out",
    note: `Median (min–max) over ${RUNS} runs after ${WARM_UP_REQUESTS} unmeasured requests to each; both servers in one process on PGlite; a loopback Bot Connector records the replies.`,
    rows,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  console.table((await run()).rows);
}
