// A Postbag server with the Slack adapter, for the benchmark to load from another process:
// PGlite in memory, or the PostgreSQL database in BENCH_SERVER_DATABASE_URL. SLACK_API_URL points at
// the bench's fake. Prints READY {port, reference}. On PGlite it also counts the SQL statements
// run, answered at GET /bench/statements, so the bench can report statements per request.
import { PGlite } from "@electric-sql/pglite";
import { createSlackAdapter } from "../../src/bots/slack/slack-adapter.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createHttpServer, listen, sendJson, type RequestHandler } from "../../src/server.ts";
import { openBenchPostbag, ready } from "./bench-postbag.ts";

let statements = 0;
type Query = PGlite["query"];
// Taken off the prototype on purpose: every PGlite instance's query() is counted, then run as before.
const query: Query = Reflect.get<PGlite, "query">(PGlite.prototype, "query");
PGlite.prototype.query = function (this: PGlite, ...args: Parameters<Query>) {
  statements += 1;
  return query.apply(this, args);
} as Query;

const config = loadConfig({ ...process.env, LOG_LEVEL: "silent", POSTBAG_JOBS: "off" });
const postbag = await openBenchPostbag(config);
const { staff } = await postbag.core.staff.registerStaff(null, { name: "Bench Admin", roles: "admin,manager,caseworker", slackUserId: "UBENCH" });
const logged = await postbag.core.cases.logCase(staff, { channel: "letter", receivedOn: "2026-11-19", constituent: { name: "Jane Doe" }, subject: "Speeding on Main Street" }, { platform: "cli" });
const logger = createLogger("silent");
const adapter = await createSlackAdapter({ core: postbag.core, config, logger });
if (!adapter.mount) throw new Error(adapter.status);
const counter: RequestHandler = (_request, response) => sendJson(response, 200, { statements });
const server = createHttpServer({ logger, routes: new Map([[adapter.mount.path, adapter.mount.handler], ["/bench/statements", counter]]), health: async () => ({}) });
ready({ port: await listen(server, 0, "127.0.0.1"), reference: logged.reference }, async () => {
  server.close();
  await postbag.close();
});
