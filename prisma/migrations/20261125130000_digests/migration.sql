-- AlterTable
ALTER TABLE "case" ADD COLUMN "stale_flagged_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "job_run" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "detail" TEXT NOT NULL DEFAULT '',
    "error" TEXT,

    CONSTRAINT "job_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_lease" (
    "key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_lease_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "digest_channel" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_channel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_run_day_idx" ON "job_run"("day");

-- CreateIndex
CREATE UNIQUE INDEX "job_run_job_day_recipient_key" ON "job_run"("job", "day", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "digest_channel_platform_channel_id_key" ON "digest_channel"("platform", "channel_id");

-- CreateIndex
CREATE INDEX "case_last_action_at_idx" ON "case"("last_action_at");

-- CreateIndex
CREATE INDEX "case_logged_at_idx" ON "case"("logged_at");
