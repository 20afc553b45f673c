-- One case as JSON, in one round trip with a plan the session keeps (issue 3's latency
-- target). Loading a case through the ORM costs a query per relation, and on the
-- embedded database planning each one costs more than running it; a PL/pgSQL function
-- plans its query once per connection and reuses it.
--
-- The JSON carries the case row, its constituent, assignee and referrals, the number of
-- timeline entries and the latest `p_last` of them (all when NULL), oldest first.
-- src/db/case-snapshot.ts turns it into the domain's records.
CREATE FUNCTION "postbag_case_snapshot"("p_case_id" INTEGER, "p_last" INTEGER) RETURNS JSON
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
                'seq', t."seq", 'cycle', t."cycle", 'at', t."at", 'type', t."type",
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

-- The same, found by reference or by the request key of one of its entries.
CREATE FUNCTION "postbag_case_snapshot_by_reference"("p_reference" TEXT, "p_last" INTEGER) RETURNS JSON
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN "postbag_case_snapshot"((SELECT "id" FROM "case" WHERE "reference" = "p_reference"), "p_last");
END
$$;

CREATE FUNCTION "postbag_case_snapshot_by_request_key"("p_request_key" TEXT, "p_last" INTEGER) RETURNS JSON
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN "postbag_case_snapshot"((SELECT "case_id" FROM "timeline_entry" WHERE "request_key" = "p_request_key"), "p_last");
END
$$;

-- Logs a case in one statement, so in one implicit transaction: the reference number
-- from the year's counter (locked until commit, so a failed log gives its number back),
-- the constituent's earlier record (same name, and same email or phone) or a new one,
-- the case row and its first timeline entries, already hashed by Postbag, which chose
-- the case id beforehand (src/db/case-id-reserve.ts) because the hashes cover it.
-- A request key seen before returns the case it produced instead of logging again.
-- Returns {"created": false, "snapshot": <postbag_case_snapshot>} for a request seen before,
-- else {"created": true, "reference", "constituent", "assignee", "actor"}. The case comes as JSONB,
-- parsed once, so reading its thirty fields does not parse it thirty times.
CREATE FUNCTION "postbag_log_case"("p_case" JSONB, "p_last" INTEGER) RETURNS JSON
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
        VALUES ("v_name", "v_email", "v_phone", "p_case"->'constituent'->>'address', now())
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
        "case_id", "seq", "cycle", "at", "type", "actor_id", "platform", "text", "detail", "request_key",
        "content_hash", "chain_hash", "nonce")
    SELECT ("p_case"->>'id')::INTEGER, e."seq", e."cycle", e."at", e."type", e."actorId", e."platform", e."text", e."detail",
        e."requestKey", e."contentHash", e."chainHash", e."nonce"
    FROM jsonb_to_recordset("p_case"->'entries') AS e(
        "seq" INTEGER, "cycle" INTEGER, "at" TIMESTAMPTZ, "type" TEXT, "actorId" INTEGER, "platform" TEXT, "text" TEXT,
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
