-- A card's related cases in one round trip with a plan the session keeps, as
-- postbag_case_snapshot does for the case itself: on the embedded database planning the
-- statement cost more than running it, and every card shown or changed reads these.
--
-- The JSON carries the constituent's earlier cases (before `p_case_id`, newest first: the
-- first `p_shown`, counted up to `p_counted`) and the case's links both ways, oldest first,
-- each with the other case's name fields and assignee. src/db/prisma-case-store.ts reads it.
CREATE FUNCTION "postbag_related_cases"("p_case_id" INTEGER, "p_constituent_id" INTEGER, "p_shown" INTEGER, "p_counted" INTEGER) RETURNS JSON
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        WITH "earlier" AS (
            SELECT c."id", c."reference", c."status", c."subject", c."sensitive", c."assignee_id", s."name" AS "assignee_name"
            FROM "case" c LEFT JOIN "staff" s ON s."id" = c."assignee_id"
            WHERE c."constituent_id" = "p_constituent_id" AND c."id" < "p_case_id"
            ORDER BY c."id" DESC
            LIMIT "p_counted"
        )
        SELECT json_build_object(
            'earlierCount', (SELECT count(*)::int FROM "earlier"),
            'earlier', (SELECT coalesce(json_agg(e ORDER BY e."id" DESC), '[]') FROM (SELECT * FROM "earlier" ORDER BY "id" DESC LIMIT "p_shown") e),
            'links', (SELECT coalesce(json_agg(l ORDER BY l."link_id"), '[]') FROM (
                SELECT k."id" AS "link_id", k."kind", k."case_id" = "p_case_id" AS "outgoing",
                       o."id", o."reference", o."status", o."subject", o."sensitive", o."assignee_id", s."name" AS "assignee_name"
                FROM "case_link" k
                JOIN "case" o ON o."id" = CASE WHEN k."case_id" = "p_case_id" THEN k."linked_case_id" ELSE k."case_id" END
                LEFT JOIN "staff" s ON s."id" = o."assignee_id"
                WHERE k."case_id" = "p_case_id" OR k."linked_case_id" = "p_case_id"
            ) l)
        )
    );
END;
$$;
