// A Postbag server with the Teams adapter (no app id: loopback requests only, as the Bot
// Framework Emulator), for the benchmark to load from another process: PGlite in memory, or
// the PostgreSQL database in BENCH_SERVER_DATABASE_URL. Prints READY {port, reference, user}.
import { createTeamsAdapter } from "../../src/bots/teams/teams-adapter.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createHttpServer, listen } from "../../src/server.ts";
import { teamsUser } from "../../test/support/teams-activities.ts";
import { openBenchPostbag, ready } from "./bench-postbag.ts";

const config = loadConfig({ LOG_LEVEL: "silent", POSTBAG_JOBS: "off" });
const postbag = await openBenchPostbag(config);
const user = teamsUser("Bench Admin");
const { staff } = await postbag.core.staff.registerStaff(null, { name: "Bench Admin", roles: "admin,manager,caseworker", email: "bench@example.org", teamsUserId: user.aadObjectId });
const logged = await postbag.core.cases.logCase(staff, { channel: "letter", receivedOn: "2026-11-19", constituent: { name: "Jane Doe" }, subject: "Speeding on Main Street" }, { platform: "cli" });
const logger = createLogger("silent");
const adapter = await createTeamsAdapter({ core: postbag.core, config, logger });
const server = createHttpServer({ logger, routes: new Map([[adapter.mount!.path, adapter.mount!.handler]]), health: async () => ({}) });
ready({ port: await listen(server, 0, "127.0.0.1"), reference: logged.reference, user: JSON.stringify(user) }, async () => {
  server.close();
  await postbag.close();
});
