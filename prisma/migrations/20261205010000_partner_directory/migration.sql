-- The partner directory (issue 14): every partner the office refers to is one entry with the
-- other names it goes by (NYP is North Yorkshire Police), the working days it usually has to
-- reply (null: the office default, POSTBAG_PARTNER_REPLY_DAYS) and whom to contact. Partners
-- created before from the text typed at a referral stay as entries. Which typed names match
-- which entry, and that an alias belongs to one partner only, is decided in domain/partners.
ALTER TABLE "partner" ADD COLUMN "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "reply_days" INTEGER,
    ADD COLUMN "contact" TEXT,
    ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;
