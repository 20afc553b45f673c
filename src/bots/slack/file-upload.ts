import type { webApi } from "@slack/bolt";
import type { CaseView } from "../../domain/cases/case-view.ts";
import type { Logger } from "../../logger.ts";
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

/**
 * A case action that made a file (Send on a letter makes its PDF): the file goes to the
 * person's direct messages, and the sentence to show says so. The file is kept on the case
 * either way, so a failed upload is told with how to fetch it again, never as a failed step.
 */
export async function deliverMadeFile(
  ctx: { logger: Logger },
  client: webApi.WebClient,
  userId: string,
  done: { message: string; view: CaseView; file?: { filename: string; bytes: Uint8Array } },
): Promise<string> {
  if (!done.file) return done.message;
  const number = done.view.files?.findLast((listed) => listed.filename === done.file!.filename)?.number;
  try {
    await uploadToPerson(client, userId, [{ filename: done.file.filename, title: done.file.filename, content: done.file.bytes }], done.message);
    return `${done.message} The PDF is in your direct messages with Postbag.`;
  } catch (error) {
    ctx.logger.warn({ err: error, reference: done.view.reference }, "could not upload a letter's PDF");
    return `${done.message} Slack would not take the PDF just now; fetch it with /case file ${done.view.reference} ${number ?? "<number>"}.`;
  }
}
