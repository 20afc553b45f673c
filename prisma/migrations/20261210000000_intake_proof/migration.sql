-- Intake that proves itself (issue 16, after review).
--
-- A message is the same message only when its Message-ID and its content agree: a different
-- email that reuses a Message-ID (a careless mailer, a forgery) is recorded, not dropped.
-- Rows written before this migration keep an empty content hash and stay unique as they were.
ALTER TABLE "intake_message" ADD COLUMN "content_hash" TEXT NOT NULL DEFAULT '';
DROP INDEX "intake_message_source_message_id_key";
CREATE UNIQUE INDEX "intake_message_source_message_id_content_hash_key" ON "intake_message"("source", "message_id", "content_hash");

-- Who is deciding about a message right now: a decision claims the message before it writes
-- anything anywhere else (a case, a timeline entry), so two people (or a person and Postbag
-- threading a reply) never both act on it. Cleared by the decision; a claim left by a stopped
-- process is taken over once stale.
ALTER TABLE "intake_message" ADD COLUMN "claimed_for" TEXT;
ALTER TABLE "intake_message" ADD COLUMN "claimed_by" TEXT;
ALTER TABLE "intake_message" ADD COLUMN "claimed_at" TIMESTAMPTZ(3);

-- Whether Postbag has looked for the case a message answers: each message is looked at once,
-- so a long queue awaiting triage never starves the replies behind it.
ALTER TABLE "intake_message" ADD COLUMN "thread_checked" BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX "intake_message_state_thread_checked_idx" ON "intake_message"("state", "thread_checked");

-- A mailbox that cannot be read says so: since when, and the last error, until it is read again.
ALTER TABLE "intake_cursor" ADD COLUMN "failing_since" TIMESTAMPTZ(3);
ALTER TABLE "intake_cursor" ADD COLUMN "last_error" TEXT;
ALTER TABLE "intake_cursor" ADD COLUMN "read_at" TIMESTAMPTZ(3);
