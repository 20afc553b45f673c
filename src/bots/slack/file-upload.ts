import type { webApi } from "@slack/bolt";

export interface SlackFile {
  filename: string;
  title: string;
  content: Buffer | string;
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
    initial_comment: comment,
    file_uploads: files.map((file) => ({ file: Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, "utf8"), filename: file.filename, title: file.title })),
  });
}
