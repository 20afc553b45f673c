-- Issue 13: a request key is kept with the fingerprint of the request that used it (a SHA-256
-- of the action, the person and the input), so a retry (same key, same request) returns the
-- first result, and the same key with another request is refused instead of answering with
-- an unrelated case. Keys written before this have no fingerprint and count as retries.
ALTER TABLE "timeline_entry" ADD COLUMN "request_fingerprint" TEXT;

-- The append-only rule also holds the fingerprint fixed.
CREATE OR REPLACE FUNCTION "timeline_entry_append_only"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW."id" = OLD."id" AND NEW."case_id" = OLD."case_id" AND NEW."seq" = OLD."seq"
       AND NEW."cycle" = OLD."cycle" AND NEW."at" = OLD."at" AND NEW."type" = OLD."type"
       AND NEW."recorded_at" IS NOT DISTINCT FROM OLD."recorded_at"
       AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id" AND NEW."platform" = OLD."platform"
       AND NEW."detail" = OLD."detail" AND NEW."request_key" IS NOT DISTINCT FROM OLD."request_key"
       AND NEW."request_fingerprint" IS NOT DISTINCT FROM OLD."request_fingerprint" THEN
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

-- A case found by a request key now comes with the fingerprint kept beside the key:
-- {"fingerprint": …, "snapshot": <postbag_case_snapshot>}, or NULL for a key never seen.
DROP FUNCTION "postbag_case_snapshot_by_request_key"(TEXT, INTEGER);
CREATE FUNCTION "postbag_case_snapshot_by_request_key"("p_request_key" TEXT, "p_last" INTEGER) RETURNS JSON
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT json_build_object('fingerprint', t."request_fingerprint", 'snapshot', "postbag_case_snapshot"(t."case_id", "p_last"))
            FROM "timeline_entry" t WHERE t."request_key" = "p_request_key");
END
$$;

-- Logging keeps the fingerprint with the key, and a key seen before answers with its fingerprint.
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
    "v_name" TEXT := "p_case"->'constituent'->>'name';
    "v_email" TEXT := "p_case"->'constituent'->>'email';
    "v_phone" TEXT := "p_case"->'constituent'->>'phone';
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
