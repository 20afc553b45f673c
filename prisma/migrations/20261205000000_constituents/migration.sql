-- One constituent is one person: the keys their details are compared by (name without case,
-- spaces or accents; email without case; phone in E.164), decided in domain/constituents and
-- stored beside the details as written; a merged record points at the one it was merged into.
ALTER TABLE "constituent" ADD COLUMN "name_key" TEXT,
    ADD COLUMN "email_key" TEXT,
    ADD COLUMN "phone_key" TEXT,
    ADD COLUMN "merged_into_id" INTEGER,
    ADD COLUMN "merged_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "constituent_name_key_idx" ON "constituent"("name_key");

-- CreateIndex
CREATE INDEX "constituent_email_key_idx" ON "constituent"("email_key");

-- CreateIndex
CREATE INDEX "constituent_phone_key_idx" ON "constituent"("phone_key");

-- AddForeignKey
ALTER TABLE "constituent" ADD CONSTRAINT "constituent_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "constituent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Cases that belong together ("same matter", "previous correspondence", "duplicate of"): one row
-- per link, read in both directions.
CREATE TABLE "case_link" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "linked_case_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "case_link_case_id_linked_case_id_key" ON "case_link"("case_id", "linked_case_id");

-- CreateIndex
CREATE INDEX "case_link_linked_case_id_idx" ON "case_link"("linked_case_id");

-- AddForeignKey
ALTER TABLE "case_link" ADD CONSTRAINT "case_link_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_link" ADD CONSTRAINT "case_link_linked_case_id_fkey" FOREIGN KEY ("linked_case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Logging receives the constituent Postbag decided on (domain/constituents/matching.ts): a known
-- one's id, or null with the new person's keys. The statement compares nothing.
CREATE OR REPLACE FUNCTION "postbag_log_case"("p_case" JSONB, "p_last" INTEGER) RETURNS JSON
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    "v_request_key" TEXT := "p_case"->>'requestKey';
    "v_existing" INTEGER;
    "v_fingerprint" TEXT;
    "v_number" INTEGER;
    "v_reference" TEXT;
    "v_constituent_id" INTEGER;
    "v_year" INTEGER := ("p_case"->>'year')::INTEGER;
BEGIN
    IF "v_request_key" IS NOT NULL THEN
        SELECT "case_id", "request_fingerprint" INTO "v_existing", "v_fingerprint" FROM "timeline_entry" WHERE "request_key" = "v_request_key";
        IF "v_existing" IS NOT NULL THEN
            RETURN json_build_object('created', false, 'fingerprint', "v_fingerprint", 'snapshot', "postbag_case_snapshot"("v_existing", "p_last"));
        END IF;
    END IF;

    INSERT INTO "case_counter" ("year", "last_number") VALUES ("v_year", 1)
    ON CONFLICT ("year") DO UPDATE SET "last_number" = "case_counter"."last_number" + 1
    RETURNING "last_number" INTO "v_number";
    -- The number padded to at least the digits Postbag asks for (never cut: 10000 stays 10000).
    "v_reference" := ("p_case"->>'referenceStem')
        || lpad("v_number"::TEXT, greatest(("p_case"->>'referenceDigits')::INTEGER, length("v_number"::TEXT)), '0');

    "v_constituent_id" := ("p_case"->>'constituentId')::INTEGER;
    -- A known person's details that their record lacked, given with this case (decided by Postbag).
    IF "v_constituent_id" IS NOT NULL AND jsonb_typeof("p_case"->'constituentFill') = 'object' THEN
        UPDATE "constituent" SET
            "email" = COALESCE("p_case"->'constituentFill'->>'email', "email"),
            "email_key" = COALESCE("p_case"->'constituentFill'->>'emailKey', "email_key"),
            "phone" = COALESCE("p_case"->'constituentFill'->>'phone', "phone"),
            "phone_key" = COALESCE("p_case"->'constituentFill'->>'phoneKey', "phone_key"),
            "address" = COALESCE("p_case"->'constituentFill'->>'address', "address")
        WHERE "id" = "v_constituent_id";
    END IF;
    IF "v_constituent_id" IS NULL THEN
        INSERT INTO "constituent" ("name", "email", "phone", "address", "name_key", "email_key", "phone_key", "created_at")
        VALUES ("p_case"->'constituent'->>'name', "p_case"->'constituent'->>'email', "p_case"->'constituent'->>'phone',
                "p_case"->'constituent'->>'address', "p_case"->'constituentKeys'->>'nameKey', "p_case"->'constituentKeys'->>'emailKey',
                "p_case"->'constituentKeys'->>'phoneKey', ("p_case"->>'loggedAt')::TIMESTAMPTZ)
        RETURNING "id" INTO "v_constituent_id";
    END IF;

    INSERT INTO "case" (
        "id", "reference", "year", "number", "channel", "received_on", "logged_at", "subject", "summary", "kind",
        "themes", "sensitive", "status", "constituent_id", "assignee_id", "cycle_started_on", "acknowledge_by",
        "respond_by", "acknowledged_at", "responded_at", "closed_at", "outcome", "last_action_at")
    VALUES (
        ("p_case"->>'id')::INTEGER,
        "v_reference",
        "v_year", "v_number", "p_case"->>'channel', ("p_case"->>'receivedOn')::DATE, ("p_case"->>'loggedAt')::TIMESTAMPTZ,
        "p_case"->>'subject', "p_case"->>'summary', "p_case"->>'kind',
        ARRAY(SELECT jsonb_array_elements_text("p_case"->'themes')), ("p_case"->>'sensitive')::BOOLEAN, "p_case"->>'status',
        "v_constituent_id", ("p_case"->>'assigneeId')::INTEGER, ("p_case"->>'receivedOn')::DATE,
        ("p_case"->>'acknowledgeBy')::DATE, ("p_case"->>'respondBy')::DATE, ("p_case"->>'acknowledgedAt')::TIMESTAMPTZ,
        ("p_case"->>'respondedAt')::TIMESTAMPTZ, ("p_case"->>'closedAt')::TIMESTAMPTZ, "p_case"->>'outcome',
        ("p_case"->>'lastActionAt')::TIMESTAMPTZ);

    INSERT INTO "timeline_entry" (
        "case_id", "seq", "cycle", "at", "recorded_at", "type", "actor_id", "platform", "text", "detail", "request_key", "request_fingerprint",
        "content_hash", "chain_hash", "nonce")
    SELECT ("p_case"->>'id')::INTEGER, e."seq", e."cycle", e."at", e."recordedAt", e."type", e."actorId", e."platform", e."text", e."detail",
        e."requestKey", e."requestFingerprint", e."contentHash", e."chainHash", e."nonce"
    FROM jsonb_to_recordset("p_case"->'entries') AS e(
        "seq" INTEGER, "cycle" INTEGER, "at" TIMESTAMPTZ, "recordedAt" TIMESTAMPTZ, "type" TEXT, "actorId" INTEGER, "platform" TEXT, "text" TEXT,
        "detail" JSONB, "requestKey" TEXT, "requestFingerprint" TEXT, "contentHash" TEXT, "chainHash" TEXT, "nonce" TEXT);

    -- Postbag knows the rest of the new case already; it needs only what the database chose or holds.
    RETURN json_build_object(
        'created', true,
        'reference', "v_reference",
        'constituent', (SELECT json_build_object('id', con."id", 'name', con."name", 'email', con."email", 'phone', con."phone", 'address', con."address")
                        FROM "constituent" con WHERE con."id" = "v_constituent_id"),
        'assignee', (SELECT json_build_object('id', s."id", 'name', s."name") FROM "staff" s WHERE s."id" = ("p_case"->>'assigneeId')::INTEGER),
        'actor', (SELECT json_build_object('id', s."id", 'name', s."name") FROM "staff" s WHERE s."id" = ("p_case"->'entries'->0->>'actorId')::INTEGER));
END
$$;
