/**
 * Run as a child process (test/bots/platforms.test.ts): opens an in-memory Postbag, makes the
 * platform adapters for the configuration in its environment, optionally sends one local request
 * to the Teams route, and prints which chat SDKs the process has loaded.
 */
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { once } from "node:events";
import { openPostbag } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createPlatformAdapters } from "../../src/bots/platforms.ts";

const loaded = () => {
  const cached = Object.keys(createRequire(import.meta.url).cache);
  return { bolt: cached.some((path) => path.includes("/@slack/bolt/")), botbuilder: cached.some((path) => path.includes("/botbuilder/")) };
};
const config = loadConfig({ ...process.env, DATABASE_URL: "" });
const postbag = await openPostbag({ inMemory: true }, config);
const adapters = await createPlatformAdapters({ core: postbag.core, config, logger: createLogger("silent") });
const atStart = loaded();
const teams = adapters.find((adapter) => adapter.name === "teams")!;
const reachable = await teams.digestPublisher!.canReach({ teamsUserId: null } as never);
let status: number | null = null;
if (process.argv.includes("--request")) {
  const server = createServer((request, response) => void teams.mount!.handler(request, response));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  status = (await fetch(`http://127.0.0.1:${port}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status;
  server.close();
}
console.log(JSON.stringify({ atStart, reachable, status, after: loaded(), statuses: adapters.map((adapter) => adapter.status) }));
await postbag.close();
