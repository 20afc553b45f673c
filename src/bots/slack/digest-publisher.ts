import type { webApi } from "@slack/bolt";
import type { DigestPublisher } from "../../domain/digest/digest-publisher.ts";
import { channelReportText } from "../shared/report-text.ts";
import { caseCardBlocks, caseFallbackText } from "./views/case-card.ts";
import { digestMessages } from "./views/digest-messages.ts";
import { escapeMrkdwn, slackCode } from "./views/slack-text.ts";

/** Posts digests through the Slack Web API; the client retries rate limits with back-off. */
export function slackDigestPublisher(client: webApi.WebClient): DigestPublisher {
  return {
    platform: "slack",
    async postChannelDigest(channelId, digest) {
      for (const message of digestMessages(digest, "split")) await client.chat.postMessage({ channel: channelId, unfurl_links: false, ...message });
    },
    canReach: (person) => Boolean(person.slackUserId),
    async postChannelReport(channelId, report) {
      const { title, text } = channelReportText(report);
      // Section text is limited to 3,000 characters; the audit lists at most 50 exceptions a kind, so split.
      // Escaped before it is split, so the escapes count towards each section's length.
      const escaped = slackCode(text);
      const chunks = escaped.match(/[\s\S]{1,2800}(?:\n|$)/g) ?? [escaped];
      for (const [index, chunk] of chunks.entries()) {
        await client.chat.postMessage({ channel: channelId, unfurl_links: false, text: escapeMrkdwn(index === 0 ? title : `${title} (continued)`), blocks: [{ type: "section", text: { type: "mrkdwn", text: `\`\`\`${chunk}\`\`\`` } }] });
      }
    },
    async postPersonalCase(person, view, message) {
      await client.chat.postMessage({ channel: person.slackUserId!, unfurl_links: false, text: caseFallbackText(view, message), blocks: caseCardBlocks(view, { message }) });
    },
    async postPersonalDigest(person, digest) {
      for (const message of digestMessages(digest, "split")) await client.chat.postMessage({ channel: person.slackUserId!, unfurl_links: false, ...message });
    },
  };
}
