// A Postbag server with the Slack adapter on the embedded database, for the benchmark to load
// from another process. Prints "PORT <n>" when ready. SLACK_API_URL points at the bench's fake.
import { createSlackAdapter } from "../../src/bots/slack/slack-adapter.ts";
import { openPostbag } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createHttpServer, listen } from "../../src/server.ts";

const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
const postbag = await openPostbag({ inMemory: true }, config);
const { staff } = await postbag.core.staff.registerStaff(null, { name: "Bench Admin", roles: "admin,manager,caseworker", slackUserId: "UBENCH" });
await postbag.core.cases.logCase(staff, { channel: "letter", receivedOn: "2026-11-19", constituent: { name: "Jane Doe" }, subject: "Speeding on Main Street" }, { platform: "cli" });
const logger = createLogger("silent");
const adapter = await createSlackAdapter({ core: postbag.core, config, logger });
if (!adapter.mount) throw new Error(adapter.status);
const server = createHttpServer({ logger, routes: new Map([[adapter.mount.path, adapter.mount.handler]]), health: async () => ({}) });
process.stdout.write(`PORT ${await listen(server, 0, "127.0.0.1")}\n`);
process.on("SIGINT", () => process.exit(0));
