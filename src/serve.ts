import "dotenv/config";
import { openPostbag } from "./app.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { isDomainError } from "./domain/errors.ts";
import { createLogger } from "./logger.ts";
import type { PlatformAdapter } from "./bots/adapter.ts";
import { createPlatformAdapters } from "./bots/platforms.ts";
import { DailyDigestJob } from "./jobs/daily-digest.ts";
import { startScheduler, type ScheduledJob } from "./jobs/scheduler.ts";
import { RetentionReviewJob } from "./jobs/retention-review.ts";
import { WeeklyAuditJob } from "./jobs/weekly-audit.ts";
import { PostedCardRefreshJob } from "./jobs/posted-card-refresh.ts";
import { MailIntakeJob } from "./jobs/mail-intake-job.ts";
import { AutoAcknowledgeJob } from "./jobs/auto-acknowledge-job.ts";
import { openMailSources } from "./intake/open-mail-sources.ts";
import { createHttpServer, listen, type RequestHandler } from "./server.ts";
import { runCliSession } from "./bots/cli/cli.ts";
import { serveConsole } from "./bots/cli/console-socket.ts";

/** Composition root: config → database → core → adapters → server (started by src/main.ts). */
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

  const deps = { core: postbag.core, config, logger };
  const adapters: PlatformAdapter[] = await createPlatformAdapters(deps);
  const routes = new Map<string, RequestHandler>();
  for (const adapter of adapters) {
    if (adapter.mount) routes.set(adapter.mount.path, adapter.mount.handler);
    logger.info(adapter.status);
  }

  const publishers = adapters.flatMap((adapter) => (adapter.digestPublisher ? [adapter.digestPublisher] : []));
  const dailyDigest = new DailyDigestJob({
    digests: postbag.core.digests,
    staff: postbag.core.staff,
    reachability: postbag.core.reachability,
    runs: postbag.core.jobStores.runs,
    channels: postbag.core.jobStores.channels,
    publishers,
    calendar: postbag.core.calendar,
    clock: postbag.core.clock,
    logger,
    digestTime: config.jobs.digestTime,
  });
  const reportDeps = {
    runs: postbag.core.jobStores.runs,
    channels: postbag.core.jobStores.channels,
    publishers,
    clock: postbag.core.clock,
    logger,
    calendar: postbag.core.calendar,
    digestTime: config.jobs.digestTime,
  };
  const jobs: ScheduledJob[] = [
    dailyDigest,
    new WeeklyAuditJob({ ...reportDeps, audit: postbag.core.audit }),
    new RetentionReviewJob({ ...reportDeps, erasure: postbag.core.erasure }),
    new PostedCardRefreshJob(postbag.core.postedCards, logger),
  ];
  // Mail intake, when a mailbox is configured: each message recorded once, replies threaded onto their cases.
  const mailSources = openMailSources(config.mail);
  const intakePublishers = adapters.flatMap((adapter) => (adapter.intakePublisher ? [adapter.intakePublisher] : []));
  if (mailSources.length) jobs.push(new MailIntakeJob(mailSources, postbag.core.intake, logger, config.mail.pollSeconds, { service: postbag.core.triage, publishers: intakePublishers }));
  if (config.autoAck === "email") jobs.push(new AutoAcknowledgeJob(postbag.core.autoAcknowledger, logger));
  const scheduler = config.jobs.enabled ? startScheduler(jobs, postbag.core.jobStores.leases, logger) : null;
  if (mailSources.length) logger.info(`Mail intake: ${mailSources.map((source) => source.name).join(", ")}, read every ${config.mail.pollSeconds} s${config.jobs.enabled ? "" : " (not in this process: POSTBAG_JOBS=off)"}`);
  logger.info(
    config.jobs.enabled
      ? `Jobs: daily digest at ${config.jobs.digestTime} London time on working days (with the weekly audit and monthly retention review; posted cards refreshed every minute), by ${publishers.map((p) => p.platform).join(" and ") || "no platform yet (connect Slack or Teams)"}`
      : "Jobs: off in this process (POSTBAG_JOBS=off)",
  );

  // The embedded database is this process's alone: the postbag command reaches it through
  // the server's console socket, ready before the server says it is listening.
  const consoleSocket = "dataDir" in config.database
    ? await serveConsole(config.database.dataDir, (argv, session, io) => runCliSession(postbag, argv, session, io), logger)
    : null;

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
      Promise.all([scheduler?.stop(), consoleSocket?.close(), ...adapters.map((adapter) => adapter.close?.())])
        .then(() => postbag.close())
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

await main();
