-- Issue 19: a statutory clock's events carry free text (what the review found, a late
-- application's reason, what the force said) in the timeline entry's `detail`. Erasing a case
-- clears them there too: the one erasing update may now also change, on a clock event's entry,
-- that event's `reason`, to '[erased]' and nothing else, and nothing else of the detail (its
-- kind, dates and decisions stay, so the figures read from them stand). Every other column stays fixed, and no other update is allowed.
CREATE OR REPLACE FUNCTION "timeline_entry_append_only"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW."id" = OLD."id" AND NEW."case_id" = OLD."case_id" AND NEW."seq" = OLD."seq"
       AND NEW."cycle" = OLD."cycle" AND NEW."at" = OLD."at" AND NEW."type" = OLD."type"
       AND NEW."recorded_at" IS NOT DISTINCT FROM OLD."recorded_at"
       AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id" AND NEW."platform" = OLD."platform"
       AND NEW."request_key" IS NOT DISTINCT FROM OLD."request_key"
       AND NEW."request_fingerprint" IS NOT DISTINCT FROM OLD."request_fingerprint" THEN
        -- Sealing: the hashes written once, nothing else changed.
        IF OLD."content_hash" IS NULL AND OLD."chain_hash" IS NULL AND OLD."erased_at" IS NULL
           AND NEW."content_hash" IS NOT NULL AND NEW."chain_hash" IS NOT NULL
           AND NEW."text" = OLD."text" AND NEW."detail" = OLD."detail" AND NEW."erased_at" IS NULL THEN
            RETURN NEW;
        END IF;
        -- Erasing: once, on a sealed entry, its words cleared and its hashes kept.
        IF OLD."content_hash" IS NOT NULL AND OLD."erased_at" IS NULL
           AND NEW."content_hash" = OLD."content_hash" AND NEW."chain_hash" = OLD."chain_hash"
           AND NEW."erased_at" IS NOT NULL AND NEW."text" = '' AND NEW."nonce" IS NULL
           AND (NEW."detail" = OLD."detail"
                OR (OLD."type" IN ('clock_stopped', 'clock_restarted', 'clock_extended', 'late_application_decided', 'complainant_updated',
                                   'review_outcome', 'recommendation_made', 'recommendation_answered')
                    AND jsonb_typeof(OLD."detail" -> 'event') = 'object' AND (OLD."detail" -> 'event') ? 'reason'
                    AND (NEW."detail" #>> '{event,reason}') = '[erased]'
                    AND (NEW."detail" - 'event') = (OLD."detail" - 'event')
                    AND ((NEW."detail" -> 'event') - 'reason') = ((OLD."detail" -> 'event') - 'reason'))) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'timeline entries are append-only';
END;
$$ LANGUAGE plpgsql;

-- The case snapshot carries when a case was erased, so the rules refuse anything more on it.
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
