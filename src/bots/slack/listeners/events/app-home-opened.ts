import type { App } from "@slack/bolt";
import { isDomainError } from "../../../../domain/errors.ts";
import { actorFor, publishHome, type SlackContext } from "../../slack-context.ts";
import type { HomeView } from "../../views/block-kit.ts";

const NOT_REGISTERED: HomeView = {
  type: "home",
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Postbag*\nYou are not registered as Postbag staff yet. Ask a Postbag admin to run `/case staff add @you caseworker`." } }],
};

/** The Home tab, rebuilt each time it is opened. Publishing is idempotent, so Slack's retries are harmless. */
export function registerAppHomeOpened(app: App, ctx: SlackContext): void {
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    try {
      const actor = await actorFor(ctx, event.user);
      await publishHome(ctx, client, actor, event.user);
    } catch (error) {
      if (isDomainError(error) && error.code === "not_registered") {
        await client.views.publish({ user_id: event.user, view: NOT_REGISTERED });
        return;
      }
      ctx.logger.error({ err: error }, "could not publish the App Home");
    }
  });
}
