-- Tamper evidence (issue 6): every timeline entry carries a digest of its content and a
-- hash chained to the previous entry of its case. Entries written before this migration
-- have neither; Postbag seals them (computes both, in order) the first time the audit or a
-- new entry on the case reaches them, and the audit reports how many it sealed.
-- AlterTable
ALTER TABLE "timeline_entry" ADD COLUMN "content_hash" TEXT,
ADD COLUMN "chain_hash" TEXT,
ADD COLUMN "nonce" TEXT,
ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "case" ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "constituent" ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" INTEGER,
    "actor_name" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at");

-- CreateIndex
CREATE INDEX "case_status_closed_at_idx" ON "case"("status", "closed_at");

-- CreateIndex
CREATE INDEX "case_received_on_idx" ON "case"("received_on");

-- CreateIndex
CREATE INDEX "timeline_entry_type_at_idx" ON "timeline_entry"("type", "at");

-- The timeline stays append-only, with exactly two updates allowed, each touching nothing
-- that history is made of:
--   sealing: an entry written before the chain existed gets its content digest and chain
--     hash once (both were NULL, everything else unchanged);
--   erasure: a sealed entry's free text and nonce are cleared and erased_at set, while its
--     content digest and chain hash stay exactly as they were, so the chain still verifies.
-- Every other UPDATE, and every DELETE, is refused as before.
CREATE OR REPLACE FUNCTION "timeline_entry_append_only"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW."id" = OLD."id" AND NEW."case_id" = OLD."case_id" AND NEW."seq" = OLD."seq"
       AND NEW."cycle" = OLD."cycle" AND NEW."at" = OLD."at" AND NEW."type" = OLD."type"
       AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id" AND NEW."platform" = OLD."platform"
       AND NEW."detail" = OLD."detail" AND NEW."request_key" IS NOT DISTINCT FROM OLD."request_key" THEN
        IF OLD."content_hash" IS NULL AND OLD."chain_hash" IS NULL AND OLD."erased_at" IS NULL
           AND NEW."content_hash" IS NOT NULL AND NEW."chain_hash" IS NOT NULL
           AND NEW."text" = OLD."text" AND NEW."erased_at" IS NULL THEN
            RETURN NEW;
        END IF;
        IF OLD."content_hash" IS NOT NULL AND OLD."erased_at" IS NULL
           AND NEW."content_hash" = OLD."content_hash" AND NEW."chain_hash" = OLD."chain_hash"
           AND NEW."erased_at" IS NOT NULL AND NEW."text" = '' AND NEW."nonce" IS NULL THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'timeline entries are append-only';
END;
$$ LANGUAGE plpgsql;
