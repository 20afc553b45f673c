import type { webApi } from "@slack/bolt";
import { escapeMrkdwn } from "./views/slack-text.ts";

export interface SlackFile {
  filename: string;
  title: string;
  content: Uint8Array | string;
}

/**
 * Sends files to one person in their direct message with Postbag, never to the channel the
 * command was typed in: an export or a subject access file is personal data for the
 * person who asked. files.uploadV2 does Slack's three steps (getUploadURLExternal, the
 * upload itself, completeUploadExternal).
 */
export async function uploadToPerson(client: webApi.WebClient, userId: string, files: SlackFile[], comment: string): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error("Slack did not open a direct message for the upload");
  await client.files.uploadV2({
    channel_id: channelId,
    // Slack shows the comment as mrkdwn: the words are escaped here, once.
    initial_comment: escapeMrkdwn(comment),
    file_uploads: files.map((file) => ({ file: typeof file.content === "string" ? Buffer.from(file.content, "utf8") : Buffer.from(file.content), filename: file.filename, title: file.title })),
  });
}
