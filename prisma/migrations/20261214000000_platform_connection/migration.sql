-- A chat platform that told Postbag it may no longer post there (issue 18): Slack's
-- app_uninstalled or tokens_revoked. While cleared_at is null nothing is posted to it.
CREATE TABLE "platform_connection" (
    "platform" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "workspace" TEXT,
    "disconnected_at" TIMESTAMPTZ(3) NOT NULL,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "platform_connection_pkey" PRIMARY KEY ("platform")
);
