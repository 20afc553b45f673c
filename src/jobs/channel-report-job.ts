import type { DigestPublisher } from "../domain/digest/digest-publisher.ts";
import type { DigestChannelStore, JobName, JobRunStore } from "../domain/jobs/job-runs.ts";
import type { Clock } from "../domain/ports.ts";
import type { Logger } from "../logger.ts";

const LEASE_MS = 10 * 60_000;

export interface ChannelReportDeps {
  runs: JobRunStore;
  channels: DigestChannelStore;
  publishers: DigestPublisher[];
  clock: Clock;
  logger: Logger;
}

export interface ChannelReportOutcome {
  sent: string[];
  failed: string[];
}

/**
 * Posts one report to every manager channel, once per period: each (job, period, channel)
 * is claimed in the database first, exactly as the daily digest claims its deliveries, so
 * any number of processes and catch-up runs post it once. `period` is the run's key day
 * (the week's Monday, the month's first day). The report is built only if some channel
 * still needs it.
 */
export async function postToManagerChannels(
  deps: ChannelReportDeps,
  job: JobName,
  period: string,
  late: boolean,
  build: () => Promise<{ title: string; text: string }>,
): Promise<ChannelReportOutcome> {
  const outcome: ChannelReportOutcome = { sent: [], failed: [] };
  let report: Promise<{ title: string; text: string }> | undefined;
  for (const publisher of deps.publishers) {
    if (!publisher.postChannelText) continue;
    for (const channel of await deps.channels.list(publisher.platform)) {
      const recipient = `${publisher.platform}:${channel.channelId}`;
      const now = deps.clock.now();
      if (!(await deps.runs.claim({ job, day: period, recipient, late, now, leaseMs: LEASE_MS }))) continue;
      try {
        report ??= build();
        const { title, text } = await report;
        await publisher.postChannelText(channel.channelId, title, text);
        await deps.runs.finish({ job, day: period, recipient }, { status: "sent", now: deps.clock.now(), detail: title });
        outcome.sent.push(recipient);
      } catch (error) {
        deps.logger.warn({ err: error, job, recipient }, "scheduled report failed");
        await deps.runs.finish({ job, day: period, recipient }, { status: "failed", now: deps.clock.now(), error: (error as Error).message ?? String(error) });
        outcome.failed.push(recipient);
      }
    }
  }
  return outcome;
}
