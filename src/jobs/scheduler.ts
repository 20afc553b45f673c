import cron, { type ScheduledTask } from "node-cron";
import type { JobLeaseStore } from "../domain/jobs/job-runs.ts";
import { OFFICE_TIME_ZONE } from "../domain/calendar/local-date.ts";
import type { Logger } from "../logger.ts";
import type { DailyDigestJob } from "./daily-digest.ts";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs the daily digest at its time on weekdays (the job itself skips bank holidays
 * and closure days), retries and catches up every quarter hour through the working
 * day, and catches up once at start-up. node-cron's run coordinator, backed by the
 * database, elects one process per slot; the job's own per-recipient records make
 * each delivery happen once even if two processes do run.
 */
export function startScheduler(job: DailyDigestJob, leases: JobLeaseStore, digestTime: string, logger: Logger): Scheduler {
  const [hours, minutes] = digestTime.split(":").map(Number) as [number, number];
  const runCoordinator = { shouldRun: (key: string, ttlMs: number) => leases.acquire(key, new Date(), ttlMs) };
  const run = (why: string) => async () => {
    try {
      await job.run();
    } catch (error) {
      logger.error({ err: error, why }, "daily digest run failed");
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
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
