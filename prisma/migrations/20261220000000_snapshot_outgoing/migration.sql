-- Issue 15: a card read in full shows the case's letters and emails, read with one more statement
-- (through Prisma) on every card shown or changed. The case snapshot now carries them, in their
-- order on the case, as `outgoing`: each item's row as it is stored (src/db/prisma-outgoing-store.ts
-- reads it as it reads the table).
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
        'clock', c."clock",
        'clockStopped', c."clock_stopped",
        'teamId', c."team_id",
        'erasedAt', c."erased_at",
        'referrals', (
            SELECT coalesce(json_agg(json_build_object(
                'id', r."id", 'partner', p."name", 'cycle', r."cycle", 'sentAt', r."sent_at", 'expectedBy', r."expected_by",
                'repliedAt', r."replied_at", 'chaseCount', r."chase_count", 'lastChasedAt', r."last_chased_at") ORDER BY r."id"), '[]'::json)
            FROM "referral" r JOIN "partner" p ON p."id" = r."partner_id"
            WHERE r."case_id" = c."id"),
        'files', (
            SELECT coalesce(json_agg(json_build_object(
                'id', f."id", 'sha256', f."sha256", 'filename', f."filename", 'mediaType', f."media_type", 'size', f."size",
                'addedAt', f."added_at", 'source', f."source",
                'addedBy', CASE WHEN s."id" IS NULL THEN NULL ELSE json_build_object('id', s."id", 'name', s."name") END) ORDER BY f."id"), '[]'::json)
            FROM "case_file" f LEFT JOIN "staff" s ON s."id" = f."added_by_id"
            WHERE f."case_id" = c."id"),
        'outgoing', (
            SELECT coalesce(json_agg(to_json(o) ORDER BY o."number"), '[]'::json)
            FROM "outgoing_item" o
            WHERE o."case_id" = c."id"),
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
