-- Logging receives decided values: the reference's stem and digits (domain/cases/reference.ts)
-- and what identifies a known constituent (constituentMatch, or null for a new one). The
-- statement draws the number, compares and inserts; it decides nothing. It also no longer cuts
-- a number past 9999 (lpad to a fixed width truncated it).
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
    "v_match" JSONB := "p_case"->'constituentMatch';
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

    IF jsonb_typeof("v_match") = 'object' THEN
        SELECT "id" INTO "v_constituent_id" FROM "constituent"
        WHERE lower("name") = "v_match"->>'name'
          AND (lower("email") = "v_match"->>'email' OR "phone" = "v_match"->>'phone')
        ORDER BY "id" LIMIT 1;
    END IF;
    IF "v_constituent_id" IS NULL THEN
        INSERT INTO "constituent" ("name", "email", "phone", "address", "created_at")
        VALUES ("p_case"->'constituent'->>'name', "p_case"->'constituent'->>'email', "p_case"->'constituent'->>'phone',
                "p_case"->'constituent'->>'address', ("p_case"->>'loggedAt')::TIMESTAMPTZ)
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
