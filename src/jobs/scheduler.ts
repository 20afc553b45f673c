import cron, { type ScheduledTask } from "node-cron";
import type { JobLeaseStore } from "../domain/jobs/job-runs.ts";
import { OFFICE_TIME_ZONE } from "../domain/calendar/local-date.ts";
import type { Logger } from "../logger.ts";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * A job that is safe to run often: it decides itself whether its period's work is due, and
 * claims each delivery once (claimOnce), so a run that finds nothing to do does nothing.
 */
export interface ScheduledJob {
  readonly name: string;
  /** node-cron expressions in London time. */
  readonly schedules: readonly string[];
  run(now?: Date): Promise<unknown>;
}

/** The digest's slots: its time on weekdays, then every quarter hour to 18:45 to catch up (the job skips bank holidays and closure days). */
export function workingDaySlots(time: string): string[] {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  return [`${minutes} ${hours} * * 1-5`, `*/15 ${hours}-18 * * 1-5`];
}

/**
 * Runs each job on its schedules, and once at start-up to catch up. node-cron's run
 * coordinator, backed by the database, elects one process per slot; the jobs' own
 * per-recipient claims make each delivery happen once even if two processes do run.
 */
export function startScheduler(jobs: readonly ScheduledJob[], leases: JobLeaseStore, logger: Logger): Scheduler {
  const runCoordinator = { shouldRun: (key: string, ttlMs: number) => leases.acquire(key, new Date(), ttlMs) };
  const run = (job: ScheduledJob, why: string) => async () => {
    try {
      await job.run();
    } catch (error) {
      logger.error({ err: error, why, job: job.name }, "scheduled job run failed");
    }
  };
  const options = { timezone: OFFICE_TIME_ZONE, noOverlap: true, distributed: true, runCoordinator };
  const tasks: ScheduledTask[] = jobs.flatMap((job) => job.schedules.map((schedule, index) => cron.schedule(schedule, run(job, "scheduled"), { ...options, name: `${job.name}-${index}` })));
  for (const job of jobs) void run(job, "start-up")();
  return {
    async stop() {
      await Promise.all(tasks.map(async (task) => task.stop()));
    },
  };
}
