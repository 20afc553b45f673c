-- Issue 15: a case shown in full read the case (its snapshot) and then its related cases (the
-- person's earlier cases and the case's links), two statements on every card shown. One function
-- now answers both, from the same two functions, in one statement: { snapshot, related }, or null
-- when no case has the reference.
CREATE FUNCTION "postbag_case_card_by_reference"("p_reference" TEXT, "p_last" INTEGER, "p_shown" INTEGER, "p_counted" INTEGER) RETURNS JSON
LANGUAGE plpgsql STABLE AS $$
DECLARE
    "found_id" INTEGER;
    "found_constituent_id" INTEGER;
BEGIN
    SELECT "id", "constituent_id" INTO "found_id", "found_constituent_id" FROM "case" WHERE "reference" = "p_reference";
    IF "found_id" IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN json_build_object(
        'snapshot', "postbag_case_snapshot"("found_id", "p_last"),
        'related', "postbag_related_cases"("found_id", "found_constituent_id", "p_shown", "p_counted"));
END
$$;
