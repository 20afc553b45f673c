-- Case cards Postbag posted where many people read them (a Slack channel, a Teams channel or
-- group chat), so a correction that must reach them (the sensitive marker) updates them in place.
CREATE TABLE "posted_card" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "conversation" JSONB NOT NULL,
    "message_id" TEXT NOT NULL,
    "shown_sensitive" BOOLEAN NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3),

    CONSTRAINT "posted_card_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "posted_card_platform_message_id_key" ON "posted_card"("platform", "message_id");

-- CreateIndex
CREATE INDEX "posted_card_case_id_idx" ON "posted_card"("case_id");

-- AddForeignKey
ALTER TABLE "posted_card" ADD CONSTRAINT "posted_card_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
