import "dotenv/config";
import { openPostbag } from "./app.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { isDomainError } from "./domain/errors.ts";
import { createLogger } from "./logger.ts";
import { createHttpServer, listen, type RequestHandler } from "./server.ts";

/** Composition root: config → database → core → adapters → server. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  const postbag = await openPostbag(config.database, config).catch((error: unknown) => {
    if (isDomainError(error)) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  });
  logger.info({ engine: postbag.db.engine }, postbag.db.engine === "pglite" ? `Database: embedded (PGlite) in ${"dataDir" in config.database ? config.database.dataDir : ""}` : "Database: PostgreSQL");

  const routes = new Map<string, RequestHandler>();
  for (const line of adapterStatus(config)) logger.info(line);

  const server = createHttpServer({
    logger,
    routes,
    health: async () => {
      await postbag.db.prisma.$queryRaw`SELECT 1`;
      return { database: postbag.db.engine };
    },
  });
  const port = await listen(server, config.port, config.host);
  logger.info(`Postbag listening on http://${config.host}:${port} (GET /healthz)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests, then closing the database`);
    server.close(() => {
      postbag
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, "closing the database failed");
          process.exit(1);
        });
    });
    server.closeIdleConnections();
    // Never hang forever on a stuck client.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** One clear line per platform: configured, or what to set. */
function adapterStatus(config: Config): string[] {
  const { env } = config;
  return [
    env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN
      ? "Slack: configured, but the Slack adapter is not built yet"
      : "Slack: not configured (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to connect)",
    env.MICROSOFT_APP_ID
      ? "Microsoft Teams: configured, but the Teams adapter is not built yet"
      : "Microsoft Teams: not configured (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to connect)",
  ];
}

await main();
