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
