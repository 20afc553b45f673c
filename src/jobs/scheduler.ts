import cron, { type ScheduledTask } from "node-cron";
import type { JobLeaseStore } from "../domain/jobs/job-runs.ts";
import { OFFICE_TIME_ZONE } from "../domain/calendar/local-date.ts";
import type { Logger } from "../logger.ts";
import type { DailyDigestJob } from "./daily-digest.ts";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs the daily digest (and the weekly audit and monthly retention review) at its time on weekdays (the job itself skips bank holidays
 * and closure days), retries and catches up every quarter hour through the working
 * day, and catches up once at start-up. node-cron's run coordinator, backed by the
 * database, elects one process per slot; the job's own per-recipient records make
 * each delivery happen once even if two processes do run.
 */
/** Any job that is safe to run often: it decides itself whether its period's work is due. */
export interface ScheduledJob {
  readonly name: string;
  run(now?: Date): Promise<unknown>;
}

export function startScheduler(job: DailyDigestJob, leases: JobLeaseStore, digestTime: string, logger: Logger, others: ScheduledJob[] = []): Scheduler {
  const [hours, minutes] = digestTime.split(":").map(Number) as [number, number];
  const runCoordinator = { shouldRun: (key: string, ttlMs: number) => leases.acquire(key, new Date(), ttlMs) };
  const run = (why: string) => async () => {
    // The weekly audit and monthly retention review ride the same slots: each claims its
    // (week or month, channel) deliveries, so running them every slot posts each once.
    for (const each of [job, ...others]) {
      try {
        await each.run();
      } catch (error) {
        logger.error({ err: error, why, job: each.name }, "scheduled job run failed");
      }
    }
  };
  const options = { timezone: OFFICE_TIME_ZONE, noOverlap: true, distributed: true, runCoordinator };
  const tasks: ScheduledTask[] = [
    cron.schedule(`${minutes} ${hours} * * 1-5`, run("scheduled"), { ...options, name: "daily-digest" }),
    cron.schedule(`*/15 ${hours}-18 * * 1-5`, run("catch-up"), { ...options, name: "daily-digest-catch-up" }),
  ];
  void run("start-up")();
  return {
    async stop() {
      await Promise.all(tasks.map(async (task) => task.stop()));
    },
  };
}
