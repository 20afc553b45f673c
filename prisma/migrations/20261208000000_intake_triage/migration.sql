-- Triage on Slack and Teams (issue 16): each email awaiting a decision is posted as a card to
-- every triage channel (`intake here`), once; the card is updated in place when it is decided.
ALTER TABLE "intake_message" ADD COLUMN "announced_at" TIMESTAMPTZ(3);

CREATE TABLE "triage_channel" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triage_channel_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "triage_card" (
    "id" SERIAL NOT NULL,
    "intake_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "conversation" JSONB NOT NULL,
    "posted_id" TEXT NOT NULL,
    "shown_state" TEXT NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "triage_card_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "triage_channel_platform_channel_id_key" ON "triage_channel"("platform", "channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "triage_card_platform_posted_id_key" ON "triage_card"("platform", "posted_id");

-- CreateIndex
CREATE INDEX "triage_card_intake_id_idx" ON "triage_card"("intake_id");

-- AddForeignKey
ALTER TABLE "triage_card" ADD CONSTRAINT "triage_card_intake_id_fkey" FOREIGN KEY ("intake_id") REFERENCES "intake_message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
