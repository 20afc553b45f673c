import type { CloudAdapter } from "botbuilder";
import type { PostedCardUpdater } from "../../domain/cases/posted-cards.ts";
import type { Logger } from "../../logger.ts";
import { caseCard } from "./cards/case-card.ts";
import { cardActivity } from "./handlers/reply.ts";
import { withRetry, type RetryOptions } from "./send.ts";

/** Updates a case card Postbag posted in a Teams conversation, proactively, through the reference kept when it was posted. */
export function teamsCardUpdater(adapter: CloudAdapter, appId: string, logger: Logger, retry: RetryOptions): PostedCardUpdater {
  return {
    platform: "teams",
    async update(card, view) {
      await adapter.continueConversationAsync(appId, card.conversation, async (context) => {
        const update = { ...cardActivity(caseCard(view)), id: card.messageId, type: "message" };
        await withRetry(() => context.updateActivity(update), retry, logger, "posted card update");
      });
    },
  };
}
