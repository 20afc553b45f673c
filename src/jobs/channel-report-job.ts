import type { ChannelReport, DigestPublisher } from "../domain/digest/digest-publisher.ts";
import type { DigestChannelStore, JobName, JobRunStore } from "../domain/jobs/job-runs.ts";
import type { Clock } from "../domain/ports.ts";
import type { Logger } from "../logger.ts";
import { claimOnce, type DeliveryOutcome } from "./claim-once.ts";

export interface ChannelReportDeps {
  runs: JobRunStore;
  channels: DigestChannelStore;
  publishers: DigestPublisher[];
  clock: Clock;
  logger: Logger;
}

/**
 * Posts one report to every manager channel, once per period: each (job, period, channel)
 * is claimed first (claimOnce), as the daily digest claims its deliveries, so any number of
 * processes and catch-up runs post it once. `period` is the run's key day (the week's
 * Monday, the month's first day). The report is built only if some channel still needs it.
 */
export async function postToManagerChannels(deps: ChannelReportDeps, job: JobName, period: string, late: boolean, build: () => Promise<ChannelReport>): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { sent: [], failed: [] };
  let report: Promise<ChannelReport> | undefined;
  for (const publisher of deps.publishers) {
    if (!publisher.postChannelReport) continue;
    for (const channel of await deps.channels.list(publisher.platform)) {
      await claimOnce(deps, { job, day: period, recipient: `${publisher.platform}:${channel.channelId}` }, late, outcome, async () => {
        report ??= build();
        await publisher.postChannelReport!(channel.channelId, await report);
        return job;
      });
    }
  }
  return outcome;
}
