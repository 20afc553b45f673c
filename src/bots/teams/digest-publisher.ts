import type { CloudAdapter, ConversationReference } from "botbuilder";
import type { Core } from "../../app.ts";
import type { DigestPublisher } from "../../domain/digest/digest-publisher.ts";
import type { StoredConversation } from "../../domain/conversations/conversation-store.ts";
import type { Logger } from "../../logger.ts";
import { channelReportText } from "../shared/report-text.ts";
import { caseCard } from "./cards/case-card.ts";
import { digestCards } from "./cards/digest-cards.ts";
import { textReportCard } from "./cards/report-card.ts";
import { cardActivity } from "./handlers/reply.ts";
import { deliver, type RetryOptions } from "./send.ts";

/** Teams channel ids in a thread carry `;messageid=…`; the channel itself is what is stored. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(";")[0]!;
}

/**
 * Posts digests and the weekly audit / monthly retention reports proactively into Teams
 * conversations Postbag is installed in, through
 * the references kept from installation events. A send that fails after its retries
 * throws, so the job records the delivery as failed and tries again later.
 */
export function teamsDigestPublisher(adapter: CloudAdapter, appId: string, core: Core, logger: Logger, retry: RetryOptions): DigestPublisher {
  const find = async (match: (conversation: StoredConversation) => boolean) => (await core.conversations.list()).find(match);
  const send = async (conversation: StoredConversation, cards: ReturnType<typeof digestCards>, what: string) => {
    await adapter.continueConversationAsync(appId, conversation.reference as Partial<ConversationReference>, async (context) => {
      for (const card of cards) {
        const delivered = await deliver(() => context.sendActivity(cardActivity(card)), retry, logger, what);
        if (!delivered) throw new Error(`Teams would not take the ${what}`);
      }
    });
  };
  const personalChatOf = (teamsUserId: string) =>
    find((conversation) => conversation.conversationType === "personal" && (conversation.reference as { user?: { aadObjectId?: string } }).user?.aadObjectId === teamsUserId);

  return {
    platform: "teams",
    async postChannelDigest(channelId, digest) {
      const conversation = await find((stored) => stored.conversationId === baseConversationId(channelId));
      if (!conversation) throw new Error("Postbag is no longer installed in that Teams conversation; add it again, then type digest here");
      await send(conversation, digestCards(digest), "manager digest");
    },
    async postChannelReport(channelId, report) {
      const { title, text } = channelReportText(report);
      const conversation = await find((stored) => stored.conversationId === baseConversationId(channelId));
      if (!conversation) throw new Error("Postbag is no longer installed in that Teams conversation; add it again, then type digest here");
      await send(conversation, [textReportCard(title, text)], title);
    },
    async canReach(person) {
      return Boolean(person.teamsUserId && (await personalChatOf(person.teamsUserId)));
    },
    async postPersonalCase(person, view, message) {
      const conversation = await personalChatOf(person.teamsUserId ?? "");
      if (!conversation) throw new Error("no personal chat with Postbag for this person");
      await send(conversation, [caseCard(view, { message })], "assignment notice");
    },
    async postPersonalDigest(person, digest) {
      const conversation = await personalChatOf(person.teamsUserId ?? "");
      if (!conversation) throw new Error("no personal chat with Postbag for this person");
      await send(conversation, digestCards(digest), "personal digest");
    },
  };
}
