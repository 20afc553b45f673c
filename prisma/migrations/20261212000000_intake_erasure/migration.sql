-- Erasure reaches the emails and their triage cards (issue 16, after review).
--
-- An email whose sender, subject and words were cleared by erasure says when; a triage card
-- says whether it shows the email as erased, so a card still showing the sender is updated.
ALTER TABLE "intake_message" ADD COLUMN "erased_at" TIMESTAMPTZ(3);
ALTER TABLE "triage_card" ADD COLUMN "shown_erased" BOOLEAN NOT NULL DEFAULT false;

-- Emails cleared with their case before this migration: marked now, so their cards are updated at the next poll.
UPDATE "intake_message" m SET "erased_at" = c."erased_at" FROM "case" c WHERE m."case_id" = c."id" AND c."erased_at" IS NOT NULL;
