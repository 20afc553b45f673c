import type { JobName, JobRunStore } from "../domain/jobs/job-runs.ts";
import type { Clock } from "../domain/ports.ts";
import type { Logger } from "../logger.ts";

/** A delivery not finished within this is presumed lost with its process; another may take it. */
export const LEASE_MS = 10 * 60_000;

export interface Delivery {
  job: JobName;
  /** The run's key day (the day, the week's Monday, the month's first day). */
  day: string;
  recipient: string;
}

export interface DeliveryOutcome {
  sent: string[];
  failed: string[];
}

/**
 * Does one delivery once, however many processes and catch-up runs try: it is claimed in the
 * database first, then recorded sent (with `work`'s detail) or failed (to be tried again).
 */
export async function claimOnce(
  deps: { runs: JobRunStore; clock: Clock; logger: Logger },
  delivery: Delivery,
  late: boolean,
  outcome: DeliveryOutcome,
  work: () => Promise<string>,
): Promise<void> {
  const { runs, clock, logger } = deps;
  const label = `${delivery.job} ${delivery.recipient}`;
  if (!(await runs.claim({ ...delivery, late, now: clock.now(), leaseMs: LEASE_MS }))) return;
  try {
    const detail = await work();
    await runs.finish(delivery, { status: "sent", now: clock.now(), detail });
    outcome.sent.push(label);
  } catch (error) {
    logger.warn({ err: error, job: delivery.job, recipient: delivery.recipient }, "scheduled delivery failed");
    await runs.finish(delivery, { status: "failed", now: clock.now(), error: (error as Error).message ?? String(error) });
    outcome.failed.push(label);
  }
}
