import type { CloudAdapter, ConversationReference, TurnContext } from "botbuilder";
import type { Core } from "../../app.ts";
import type { IntakePublisher } from "../../domain/intake/triage.ts";
import type { Logger } from "../../logger.ts";
import { triageCard } from "./cards/triage-card.ts";
import { baseConversationId } from "./digest-publisher.ts";
import { cardActivity } from "./handlers/reply.ts";
import { withRetry, type RetryOptions } from "./send.ts";

/**
 * Posts triage cards proactively into the Teams conversations told `intake here` (through the
 * references kept from installation events), and updates them in place once decided.
 */
export function teamsIntakePublisher(adapter: CloudAdapter, appId: string, core: Core, logger: Logger, retry: RetryOptions): IntakePublisher {
  return {
    platform: "teams",
    async announce(channelId, record) {
      const conversation = (await core.conversations.list()).find((stored) => stored.conversationId === baseConversationId(channelId));
      if (!conversation) throw new Error("Postbag is no longer installed in that Teams conversation; add it again, then type intake here");
      let postedId: string | undefined;
      await proactively(conversation.reference as Partial<ConversationReference>, async (context) => {
        const sent = await withRetry(() => context.sendActivity(cardActivity(triageCard(record), `Email #${record.id}`)), retry, logger, "triage card");
        postedId = sent?.id;
      });
      if (!postedId) throw new Error("Teams did not say where the triage card was posted");
      return { conversation: conversation.reference as Record<string, unknown>, postedId };
    },
    async update(card, record) {
      await proactively(card.conversation, async (context) => {
        const update = { ...cardActivity(triageCard(record, { erased: card.erased }), `Email #${record.id}`), id: card.postedId, type: "message" };
        await withRetry(() => context.updateActivity(update), retry, logger, "triage card update");
      });
    },
  };

  /**
   * Runs `logic` in the conversation and throws what it threw. The adapter hands a proactive
   * turn's error to onTurnError, which logs it and returns: a refused update would otherwise
   * count as made, and the card never be tried again.
   */
  async function proactively(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
