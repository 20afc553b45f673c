import type { Environment } from "../../config.ts";

/** Whether Slack is configured: without its signing secret and bot token Postbag neither mounts nor loads Bolt. */
export const slackConfigured = (env: Environment) => Boolean(env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN);

export const SLACK_NOT_CONFIGURED = "Slack: not configured (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to connect)";
