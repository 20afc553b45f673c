-- CreateTable
CREATE TABLE "teams_conversation" (
    "id" SERIAL NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "conversation_type" TEXT NOT NULL,
    "tenant_id" TEXT,
    "team_id" TEXT,
    "reference" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teams_conversation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "teams_conversation_conversation_id_key" ON "teams_conversation"("conversation_id");

-- CreateIndex
CREATE INDEX "teams_conversation_team_id_idx" ON "teams_conversation"("team_id");
