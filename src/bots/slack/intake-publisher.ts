import type { webApi } from "@slack/bolt";
import type { IntakePublisher } from "../../domain/intake/triage.ts";
import { triageCardBlocks, triageFallbackText } from "./views/triage-card.ts";

/** Posts and updates triage cards through the Slack Web API; the client retries rate limits with back-off. */
export function slackIntakePublisher(client: webApi.WebClient): IntakePublisher {
  return {
    platform: "slack",
    async announce(channelId, record) {
      const posted = await client.chat.postMessage({ channel: channelId, text: triageFallbackText(record), blocks: triageCardBlocks(record), unfurl_links: false, unfurl_media: false });
      if (!posted.ts) throw new Error("Slack did not say where the triage card was posted");
      return { conversation: { channel: posted.channel ?? channelId }, postedId: posted.ts };
    },
    async update(card, record) {
      const shown = { erased: card.erased };
      await client.chat.update({ channel: String(card.conversation.channel), ts: card.postedId, text: triageFallbackText(record, shown), blocks: triageCardBlocks(record, shown) });
    },
  };
}
