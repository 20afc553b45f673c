import { openPostbag } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { openMailSources } from "../../../src/intake/open-mail-sources.ts";
import { MailIntakeJob } from "../../../src/jobs/mail-intake-job.ts";
import { createLogger } from "../../../src/logger.ts";
import { TestClock } from "../../support/clock.ts";

/**
 * A mail-intake replica in a process of its own: the configuration, database, core, mail sources
 * and job as src/main.ts builds them (no Slack or Teams, so no triage cards), with only the
 * mail-intake job, run back to back (POLLER_PAUSE_MS apart) rather than on its schedule and
 * without the scheduler's lease, so a test can kill it mid-batch or have two poll at the very same
 * time. The clock is fixed (POLLER_NOW): what it records does not depend on the day the test runs.
 * Writes one JSON line per poll to stdout; logs go to stderr.
 */
const config = loadConfig();
const logger = createLogger(config.logLevel, process.stderr);
const clock = new TestClock(process.env.POLLER_NOW ?? "2026-12-01T10:00:00Z");
const pause = Number(process.env.POLLER_PAUSE_MS ?? "100");

const postbag = await openPostbag(config.database, config, { clock });
const sources = openMailSources(config.mail);
const job = new MailIntakeJob(sources, postbag.core.intake, logger, config.mail.pollSeconds);

let stopping = false;
let polling: Promise<unknown> = Promise.resolve();
process.on("SIGTERM", () => {
  stopping = true;
  void polling.catch(() => {}).then(() => postbag.close()).then(() => process.exit(0));
});

const write = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
write({ ready: true, sources: sources.map((source) => source.name) });
for (let poll = 1; !stopping; poll += 1) {
  const running = job.run();
  polling = running;
  // The job reports a mailbox it could not read; anything else it throws is written down too.
  const result = await running.catch((error: unknown) => ({ error: String(error) }));
  write({ poll, ...result });
  await new Promise((resolve) => setTimeout(resolve, pause));
}
