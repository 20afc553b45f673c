-- Letters and emails written on a case from a template: drafted, signed off where the office
-- says so, sent (an email through the relay; a letter made as a PDF, then posted). The words
-- sent are on the hash-chained timeline too; this row holds the item's state and its drafts.
CREATE TABLE "outgoing_item" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "template_key" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "template_version" INTEGER NOT NULL,
    "recipient_kind" TEXT NOT NULL,
    "recipient_name" TEXT NOT NULL,
    "recipient_email" TEXT,
    "recipient_address" TEXT,
    "partner_id" INTEGER,
    "subject" TEXT,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "drafted_by_id" INTEGER NOT NULL,
    "drafted_by" TEXT NOT NULL,
    "drafted_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_by_id" INTEGER,
    "approved_by" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "approved_sha256" TEXT,
    "sent_back_by" TEXT,
    "sent_back_at" TIMESTAMPTZ(3),
    "send_back_comment" TEXT,
    "sending_since" TIMESTAMPTZ(3),
    "message_id" TEXT,
    "sent_by_id" INTEGER,
    "sent_by" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "sha256" TEXT,
    "failure" TEXT,
    "failed_at" TIMESTAMPTZ(3),
    "posted_by" TEXT,
    "posted_at" TIMESTAMPTZ(3),

    CONSTRAINT "outgoing_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outgoing_item_message_id_key" ON "outgoing_item"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "outgoing_item_case_id_number_key" ON "outgoing_item"("case_id", "number");

-- AddForeignKey
ALTER TABLE "outgoing_item" ADD CONSTRAINT "outgoing_item_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
