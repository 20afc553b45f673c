import type { webApi } from "@slack/bolt";
import type { DigestPublisher } from "../../domain/digest/digest-publisher.ts";
import { auditLayout, channelReportText, retentionLayout } from "../shared/report-text.ts";
import { caseCardBlocks, caseFallbackText } from "./views/case-card.ts";
import { digestMessages, type SlackMessage } from "./views/digest-messages.ts";
import { SLASH_COMMAND } from "./ids.ts";
import { listingBlocks } from "./views/listing.ts";
import { escapeMrkdwn } from "./views/slack-text.ts";

/**
 * One message in the channel, its sections in its thread. All or nothing: if a reply cannot be
 * posted (after the client's own retries), what was posted is deleted and the failure thrown, so
 * the job records the delivery failed and its next run posts the whole digest once — never a
 * digest missing sections, never two summaries.
 */
async function postThreaded(client: webApi.WebClient, channel: string, [summary, ...replies]: SlackMessage[]): Promise<void> {
  const posted = await client.chat.postMessage({ channel, unfurl_links: false, ...summary! });
  const sent: string[] = [];
  try {
    for (const reply of replies) {
      const answer = await client.chat.postMessage({ channel, thread_ts: posted.ts, unfurl_links: false, ...reply });
      if (answer.ts) sent.push(answer.ts);
    }
  } catch (error) {
    for (const ts of [...sent.reverse(), posted.ts]) {
      if (ts) await client.chat.delete({ channel: posted.channel ?? channel, ts }).catch(() => undefined);
    }
    throw error;
  }
}

/** Posts digests through the Slack Web API; the client retries rate limits with back-off. */
export function slackDigestPublisher(client: webApi.WebClient): DigestPublisher {
  return {
    platform: "slack",
    async postChannelDigest(channelId, digest) {
      await postThreaded(client, channelId, digestMessages(digest, "thread"));
    },
    canReach: (person) => Boolean(person.slackUserId),
    async postChannelReport(channelId, report) {
      const layout = report.kind === "audit" ? auditLayout(report.report) : retentionLayout(report.review, `${SLASH_COMMAND} `);
      await client.chat.postMessage({ channel: channelId, unfurl_links: false, text: escapeMrkdwn(channelReportText(report).title), blocks: listingBlocks(layout) });
    },
    async postPersonalCase(person, view, message) {
      await client.chat.postMessage({ channel: person.slackUserId!, unfurl_links: false, text: caseFallbackText(view, message), blocks: caseCardBlocks(view, { message }) });
    },
    async postPersonalDigest(person, digest) {
      for (const message of digestMessages(digest, "split")) await client.chat.postMessage({ channel: person.slackUserId!, unfurl_links: false, ...message });
    },
  };
}
