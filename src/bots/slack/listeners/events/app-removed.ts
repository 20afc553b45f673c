import type { App } from "@slack/bolt";
import type { DisconnectReason } from "../../../../domain/platforms/connections.ts";
import type { SlackContext } from "../../slack-context.ts";
import { tokensRevokedSchema } from "../../slack.schema.ts";

/**
 * Slack says Postbag was removed from the workspace: `app_uninstalled`, or `tokens_revoked`
 * naming its bot. Recorded in the core, so every process stops posting there (the publishers
 * refuse before calling Slack, and the jobs keep their deliveries for later), the log says so,
 * and the manager digest on Teams names it. Slack redelivers events; recording twice is harmless.
 */
export function registerAppRemoved(app: App, ctx: SlackContext): void {
  app.event("app_uninstalled", async ({ body }) => {
    await removed(ctx, "app_uninstalled", body.team_id);
  });
  // Bolt does not authorize these two events (the token may be gone), so the bot's own user id
  // comes from Postbag's start-up check of its token, not from the event's context.
  app.event("tokens_revoked", async ({ event, body }) => {
    const parsed = tokensRevokedSchema.safeParse(event);
    const bots = parsed.success ? (parsed.data.tokens.bot ?? []) : [];
    if (!ctx.botUserId || !bots.includes(ctx.botUserId)) {
      // Postbag posts with its bot token only: people revoking their own tokens changes nothing for it.
      ctx.logger.info({ team: body.team_id, users: parsed.success ? (parsed.data.tokens.oauth ?? []).length : 0 }, "Slack revoked user tokens; Postbag's bot token is not among them");
      return;
    }
    await removed(ctx, "tokens_revoked", body.team_id);
  });
}

async function removed(ctx: SlackContext, reason: DisconnectReason, team: string | undefined): Promise<void> {
  const disconnection = await ctx.core.connections.disconnected("slack", reason, team ?? null);
  ctx.logger.error(
    { team, reason, since: disconnection.since.toISOString() },
    "Slack: Postbag may no longer post to this workspace; nothing is posted there, and its digests, notices and triage cards wait until the app is installed again and Postbag restarted with the new bot token",
  );
}
