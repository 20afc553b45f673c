-- Issue 12. A timeline entry's "at" is when the step happened; "recorded_at" is when it was
-- written, set only when that differs (an imported history, a step recorded later). Clocks
-- and reports use "at"; the record shows both. Entries written before this have NULL: they
-- were recorded when they happened.
ALTER TABLE "timeline_entry" ADD COLUMN "recorded_at" TIMESTAMPTZ(3);

-- The last holding reply sent on a case, so the "holding reply due" flag clears when one is
-- sent and comes back only when the next update to the constituent is due.
ALTER TABLE "case" ADD COLUMN "last_holding_reply_at" TIMESTAMPTZ(3);

-- The append-only rule now also holds recorded_at fixed.
CREATE OR REPLACE FUNCTION "timeline_entry_append_only"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW."id" = OLD."id" AND NEW."case_id" = OLD."case_id" AND NEW."seq" = OLD."seq"
       AND NEW."cycle" = OLD."cycle" AND NEW."at" = OLD."at" AND NEW."type" = OLD."type"
       AND NEW."recorded_at" IS NOT DISTINCT FROM OLD."recorded_at"
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

-- A case's snapshot carries both new columns.
CREATE OR REPLACE FUNCTION "postbag_case_snapshot"("p_case_id" INTEGER, "p_last" INTEGER) RETURNS JSON
LANGUAGE plpgsql STABLE AS $$
DECLARE
    "snapshot" JSON;
BEGIN
    SELECT json_build_object(
        'id', c."id",
        'reference', c."reference",
        'channel', c."channel",
        'receivedOn', c."received_on",
        'loggedAt', c."logged_at",
        'subject', c."subject",
        'summary', c."summary",
        'kind', c."kind",
        'themes', c."themes",
        'sensitive', c."sensitive",
        'status', c."status",
        'constituent', json_build_object('id', con."id", 'name', con."name", 'email', con."email", 'phone', con."phone", 'address', con."address"),
        'assignee', CASE WHEN a."id" IS NULL THEN NULL ELSE json_build_object('id', a."id", 'name', a."name") END,
        'cycle', c."cycle",
        'cycleStartedOn', c."cycle_started_on",
        'acknowledgeBy', c."acknowledge_by",
        'respondBy', c."respond_by",
        'acknowledgedAt', c."acknowledged_at",
        'respondedAt', c."responded_at",
        'closedAt', c."closed_at",
        'outcome', c."outcome",
        'lastActionAt', c."last_action_at",
        'staleFlaggedAt', c."stale_flagged_at",
        'lastHoldingReplyAt', c."last_holding_reply_at",
        'version', c."version",
        'referrals', (
            SELECT coalesce(json_agg(json_build_object(
                'id', r."id", 'partner', p."name", 'cycle', r."cycle", 'sentAt', r."sent_at", 'expectedBy', r."expected_by",
                'repliedAt', r."replied_at", 'chaseCount', r."chase_count", 'lastChasedAt', r."last_chased_at") ORDER BY r."id"), '[]'::json)
            FROM "referral" r JOIN "partner" p ON p."id" = r."partner_id"
            WHERE r."case_id" = c."id"),
        'timelineTotal', (SELECT count(*) FROM "timeline_entry" t WHERE t."case_id" = c."id"),
        'timeline', (
            SELECT coalesce(json_agg(json_build_object(
                'seq', t."seq", 'cycle', t."cycle", 'at', t."at", 'recordedAt', t."recorded_at", 'type', t."type",
                'actor', CASE WHEN s."id" IS NULL THEN NULL ELSE json_build_object('id', s."id", 'name', s."name") END,
                'platform', t."platform", 'text', t."text", 'detail', t."detail") ORDER BY t."seq"), '[]'::json)
            FROM (
                SELECT * FROM "timeline_entry" WHERE "case_id" = c."id" ORDER BY "seq" DESC LIMIT "p_last"
            ) t LEFT JOIN "staff" s ON s."id" = t."actor_id"))
    INTO "snapshot"
    FROM "case" c
    JOIN "constituent" con ON con."id" = c."constituent_id"
    LEFT JOIN "staff" a ON a."id" = c."assignee_id"
    WHERE c."id" = "p_case_id";
    RETURN "snapshot";
END
$$;

-- Logging writes recorded_at too, and dates a new constituent record by the logging time, not the database's clock.
CREATE OR REPLACE FUNCTION "postbag_log_case"("p_case" JSONB, "p_last" INTEGER) RETURNS JSON
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    "v_request_key" TEXT := "p_case"->>'requestKey';
    "v_existing" INTEGER;
    "v_number" INTEGER;
    "v_reference" TEXT;
    "v_constituent_id" INTEGER;
    "v_year" INTEGER := ("p_case"->>'year')::INTEGER;
    "v_name" TEXT := "p_case"->'constituent'->>'name';
    "v_email" TEXT := "p_case"->'constituent'->>'email';
    "v_phone" TEXT := "p_case"->'constituent'->>'phone';
BEGIN
    IF "v_request_key" IS NOT NULL THEN
        SELECT "case_id" INTO "v_existing" FROM "timeline_entry" WHERE "request_key" = "v_request_key";
        IF "v_existing" IS NOT NULL THEN
            RETURN json_build_object('created', false, 'snapshot', "postbag_case_snapshot"("v_existing", "p_last"));
        END IF;
    END IF;

    INSERT INTO "case_counter" ("year", "last_number") VALUES ("v_year", 1)
    ON CONFLICT ("year") DO UPDATE SET "last_number" = "case_counter"."last_number" + 1
    RETURNING "last_number" INTO "v_number";
    "v_reference" := ("p_case"->>'prefix') || '-' || "v_year" || '-' || lpad("v_number"::TEXT, 4, '0');

    IF "v_email" IS NOT NULL OR "v_phone" IS NOT NULL THEN
        SELECT "id" INTO "v_constituent_id" FROM "constituent"
        WHERE lower("name") = lower("v_name")
          AND (lower("email") = lower("v_email") OR "phone" = "v_phone")
        ORDER BY "id" LIMIT 1;
    END IF;
    IF "v_constituent_id" IS NULL THEN
        INSERT INTO "constituent" ("name", "email", "phone", "address", "created_at")
        VALUES ("v_name", "v_email", "v_phone", "p_case"->'constituent'->>'address', ("p_case"->>'loggedAt')::TIMESTAMPTZ)
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
        "case_id", "seq", "cycle", "at", "recorded_at", "type", "actor_id", "platform", "text", "detail", "request_key",
        "content_hash", "chain_hash", "nonce")
    SELECT ("p_case"->>'id')::INTEGER, e."seq", e."cycle", e."at", e."recordedAt", e."type", e."actorId", e."platform", e."text", e."detail",
        e."requestKey", e."contentHash", e."chainHash", e."nonce"
    FROM jsonb_to_recordset("p_case"->'entries') AS e(
        "seq" INTEGER, "cycle" INTEGER, "at" TIMESTAMPTZ, "recordedAt" TIMESTAMPTZ, "type" TEXT, "actorId" INTEGER, "platform" TEXT, "text" TEXT,
        "detail" JSONB, "requestKey" TEXT, "contentHash" TEXT, "chainHash" TEXT, "nonce" TEXT);

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
