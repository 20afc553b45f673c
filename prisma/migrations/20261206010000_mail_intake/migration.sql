-- Mail intake (issue 16): every email that reaches a watched mailbox is recorded here once,
-- before anything else is done with it, and then logged as a case, added to one, dismissed
-- with a reason and a name, or marked unreadable. Recorded once: unique by its place in its
-- source and by its Message-ID within the source, written with ON CONFLICT DO NOTHING, so two
-- processes reading one mailbox record each message once.
CREATE TABLE "intake_message" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "message_id" TEXT,
    "in_reply_to" TEXT,
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "from_name" TEXT NOT NULL DEFAULT '',
    "from_address" TEXT,
    "subject" TEXT NOT NULL DEFAULT '',
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "attachments" JSONB NOT NULL DEFAULT '[]',
    "raw_size" INTEGER NOT NULL,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "problem" TEXT,
    "case_id" INTEGER,
    "dismiss_reason" TEXT,
    "dismiss_note" TEXT,
    "decided_by_id" INTEGER,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "reopen_asked" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "intake_message_pkey" PRIMARY KEY ("id")
);

-- Where each mailbox was read up to: advanced in the same transaction as the messages it covers.
CREATE TABLE "intake_cursor" (
    "source" TEXT NOT NULL,
    "uid_validity" BIGINT,
    "last_uid" BIGINT,
    "link" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "intake_cursor_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE UNIQUE INDEX "intake_message_source_source_key_key" ON "intake_message"("source", "source_key");

-- CreateIndex
CREATE UNIQUE INDEX "intake_message_source_message_id_key" ON "intake_message"("source", "message_id");

-- CreateIndex
CREATE INDEX "intake_message_state_recorded_at_idx" ON "intake_message"("state", "recorded_at");

-- CreateIndex
CREATE INDEX "intake_message_message_id_idx" ON "intake_message"("message_id");

-- CreateIndex
CREATE INDEX "intake_message_case_id_idx" ON "intake_message"("case_id");

-- CreateIndex
CREATE INDEX "intake_message_recorded_at_idx" ON "intake_message"("recorded_at");

-- AddForeignKey
ALTER TABLE "intake_message" ADD CONSTRAINT "intake_message_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE SET NULL ON UPDATE CASCADE;
