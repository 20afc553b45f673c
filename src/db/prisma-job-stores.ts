import { localDateFromDb, localDateToDb, type LocalDate } from "../domain/calendar/local-date.ts";
import {
  MAX_ATTEMPTS,
  type DigestChannel,
  type DigestChannelStore,
  type JobLeaseStore,
  type JobName,
  type JobRun,
  type JobRunStatus,
  type JobRunStore,
} from "../domain/jobs/job-runs.ts";
import type { PrismaClient } from "./generated/client.ts";

export class PrismaJobRunStore implements JobRunStore {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(run: { job: JobName; day: LocalDate; recipient: string; late: boolean; now: Date; leaseMs: number }): Promise<boolean> {
    const leaseUntil = new Date(run.now.getTime() + run.leaseMs);
    // One statement, so two processes racing for the same row cannot both win: the insert
    // conflicts, and the update's WHERE is re-checked against the row the winner wrote.
    const claimed = await this.prisma.$queryRaw<{ id: number }[]>`
      INSERT INTO "job_run" ("job", "day", "recipient", "status", "late", "attempts", "lease_until", "started_at")
      VALUES (${run.job}, ${localDateToDb(run.day)}::date, ${run.recipient}, 'sending', ${run.late}, 1, ${leaseUntil}, ${run.now})
      ON CONFLICT ("job", "day", "recipient") DO UPDATE
        SET "status" = 'sending', "attempts" = "job_run"."attempts" + 1, "lease_until" = EXCLUDED."lease_until",
            "started_at" = EXCLUDED."started_at", "late" = EXCLUDED."late", "error" = NULL, "finished_at" = NULL
        WHERE ("job_run"."status" = 'failed' AND "job_run"."attempts" < ${MAX_ATTEMPTS})
           OR ("job_run"."status" = 'sending' AND "job_run"."lease_until" < ${run.now})
      RETURNING "id"`;
    return claimed.length === 1;
  }

  async finish(run: { job: JobName; day: LocalDate; recipient: string }, outcome: { status: "sent" | "failed"; now: Date; detail?: string; error?: string }): Promise<void> {
    await this.prisma.jobRun.update({
      where: { job_day_recipient: { job: run.job, day: localDateToDb(run.day), recipient: run.recipient } },
      data: { status: outcome.status, finishedAt: outcome.now, detail: outcome.detail ?? "", error: outcome.error?.slice(0, 1000) ?? null },
    });
  }

  async list(options: { fromDay?: LocalDate; limit: number }): Promise<JobRun[]> {
    const rows = await this.prisma.jobRun.findMany({
      where: options.fromDay ? { day: { gte: localDateToDb(options.fromDay) } } : {},
      orderBy: [{ day: "desc" }, { startedAt: "desc" }],
      take: options.limit,
    });
    return rows.map((row) => ({
      job: row.job as JobName,
      day: localDateFromDb(row.day),
      recipient: row.recipient,
      status: row.status as JobRunStatus,
      late: row.late,
      attempts: row.attempts,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      detail: row.detail,
      error: row.error,
    }));
  }

  async lastSent(job: JobName, beforeDay: LocalDate): Promise<Date | null> {
    const row = await this.prisma.jobRun.findFirst({
      where: { job, status: "sent", day: { lt: localDateToDb(beforeDay) } },
      orderBy: { startedAt: "desc" },
      select: { startedAt: true },
    });
    return row?.startedAt ?? null;
  }
}

export class PrismaJobLeaseStore implements JobLeaseStore {
  constructor(private readonly prisma: PrismaClient) {}

  async acquire(key: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const won = await this.prisma.$queryRaw<{ key: string }[]>`
      INSERT INTO "job_lease" ("key", "expires_at") VALUES (${key}, ${expiresAt})
      ON CONFLICT ("key") DO UPDATE SET "expires_at" = EXCLUDED."expires_at" WHERE "job_lease"."expires_at" < ${now}
      RETURNING "key"`;
    return won.length === 1;
  }
}

export class PrismaDigestChannelStore implements DigestChannelStore {
  constructor(private readonly prisma: PrismaClient) {}

  async add(channel: DigestChannel, createdById: number): Promise<boolean> {
    const existing = await this.prisma.digestChannel.findUnique({ where: { platform_channelId: channel } });
    if (existing) return false;
    await this.prisma.digestChannel.upsert({ where: { platform_channelId: channel }, create: { ...channel, createdById }, update: {} });
    return true;
  }

  async remove(channel: DigestChannel): Promise<boolean> {
    const removed = await this.prisma.digestChannel.deleteMany({ where: channel });
    return removed.count > 0;
  }

  async list(platform?: DigestChannel["platform"]): Promise<DigestChannel[]> {
    const rows = await this.prisma.digestChannel.findMany({ where: platform ? { platform } : {}, orderBy: { id: "asc" } });
    return rows.map((row) => ({ platform: row.platform as DigestChannel["platform"], channelId: row.channelId }));
  }
}
