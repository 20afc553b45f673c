-- CreateTable
CREATE TABLE "staff" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "slack_user_id" TEXT,
    "teams_user_id" TEXT,
    "roles" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "constituent" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "constituent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_counter" (
    "year" INTEGER NOT NULL,
    "last_number" INTEGER NOT NULL,

    CONSTRAINT "case_counter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "case" (
    "id" SERIAL NOT NULL,
    "reference" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "received_on" DATE NOT NULL,
    "logged_at" TIMESTAMPTZ(3) NOT NULL,
    "subject" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "themes" TEXT[],
    "sensitive" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "constituent_id" INTEGER NOT NULL,
    "assignee_id" INTEGER,
    "cycle" INTEGER NOT NULL DEFAULT 1,
    "cycle_started_on" DATE NOT NULL,
    "acknowledge_by" DATE NOT NULL,
    "respond_by" DATE NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "responded_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "last_action_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referral" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "partner_id" INTEGER NOT NULL,
    "cycle" INTEGER NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "expected_by" DATE NOT NULL,
    "replied_at" TIMESTAMPTZ(3),
    "chase_count" INTEGER NOT NULL DEFAULT 0,
    "last_chased_at" TIMESTAMPTZ(3),

    CONSTRAINT "referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_entry" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "cycle" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "actor_id" INTEGER,
    "platform" TEXT NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "detail" JSONB NOT NULL DEFAULT '{}',
    "request_key" TEXT,

    CONSTRAINT "timeline_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_email_key" ON "staff"("email");

-- CreateIndex
CREATE UNIQUE INDEX "staff_slack_user_id_key" ON "staff"("slack_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "staff_teams_user_id_key" ON "staff"("teams_user_id");

-- CreateIndex
CREATE INDEX "constituent_name_idx" ON "constituent"("name");

-- CreateIndex
CREATE INDEX "constituent_email_idx" ON "constituent"("email");

-- CreateIndex
CREATE UNIQUE INDEX "case_reference_key" ON "case"("reference");

-- CreateIndex
CREATE INDEX "case_status_respond_by_idx" ON "case"("status", "respond_by");

-- CreateIndex
CREATE INDEX "case_status_acknowledge_by_idx" ON "case"("status", "acknowledge_by");

-- CreateIndex
CREATE INDEX "case_assignee_id_status_idx" ON "case"("assignee_id", "status");

-- CreateIndex
CREATE INDEX "case_constituent_id_idx" ON "case"("constituent_id");

-- CreateIndex
CREATE UNIQUE INDEX "case_year_number_key" ON "case"("year", "number");

-- CreateIndex
CREATE UNIQUE INDEX "partner_name_key" ON "partner"("name");

-- CreateIndex
CREATE INDEX "referral_case_id_idx" ON "referral"("case_id");

-- CreateIndex
CREATE INDEX "referral_replied_at_expected_by_idx" ON "referral"("replied_at", "expected_by");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_entry_request_key_key" ON "timeline_entry"("request_key");

-- CreateIndex
CREATE INDEX "timeline_entry_at_idx" ON "timeline_entry"("at");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_entry_case_id_seq_key" ON "timeline_entry"("case_id", "seq");

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_constituent_id_fkey" FOREIGN KEY ("constituent_id") REFERENCES "constituent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referral" ADD CONSTRAINT "referral_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referral" ADD CONSTRAINT "referral_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_entry" ADD CONSTRAINT "timeline_entry_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_entry" ADD CONSTRAINT "timeline_entry_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The timeline is append-only (DOMAIN.md): the database itself refuses to change history.
CREATE FUNCTION "timeline_entry_append_only"() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline entries are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "timeline_entry_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "timeline_entry"
    FOR EACH ROW EXECUTE FUNCTION "timeline_entry_append_only"();
