import type { webApi } from "@slack/bolt";
import type { CaseView } from "../../domain/cases/case-view.ts";
import type { Logger } from "../../logger.ts";
import { escapeMrkdwn } from "./views/slack-text.ts";

export interface SlackFile {
  filename: string;
  title: string;
  content: Uint8Array | string;
  /** Read aloud by screen readers (an image's description). */
  altText?: string;
}

/** Where files go: the person's direct message with Postbag, or a channel (a thread of it) they asked for. */
export type UploadTarget = { dm: string } | { channel: string; threadTs?: string };

/** The step of Slack's external upload flow that failed, so the person is told exactly what did not happen. */
export type UploadStep = "open_dm" | "upload_url" | "upload" | "complete";

/** A file Slack would not take, with the step and Slack's own word for why. */
export class SlackUploadError extends Error {
  constructor(
    readonly step: UploadStep,
    readonly reason: string,
  ) {
    super(`Slack upload failed at ${step}: ${reason}`);
    this.name = "SlackUploadError";
  }
}

/**
 * Sends files by Slack's external upload flow, the three steps `files.uploadV2` takes, done here
 * one by one so a failure names its step: `files.getUploadURLExternal` (the name and exact length),
 * the bytes to the URL it returns, then `files.completeUploadExternal` to share them, with the
 * comment, in the conversation. A direct message is opened first (`conversations.open`). Returns
 * the conversation the files were shared in.
 */
export async function uploadFiles(
  client: webApi.WebClient,
  target: UploadTarget,
  files: SlackFile[],
  comment: string,
  fetchFn: typeof fetch = globalThis.fetch,
): Promise<{ channel: string }> {
  const channel = "dm" in target ? await openDirectMessage(client, target.dm) : target.channel;
  const uploaded: { id: string; title: string }[] = [];
  for (const file of files) {
    const bytes = typeof file.content === "string" ? Buffer.from(file.content, "utf8") : Buffer.from(file.content);
    const started = await step("upload_url", () => client.files.getUploadURLExternal({ filename: file.filename, length: bytes.length, ...(file.altText ? { alt_text: file.altText } : {}) }));
    if (!started.upload_url || !started.file_id) throw new SlackUploadError("upload_url", "no upload address given");
    await sendBytes(started.upload_url, bytes, client.token, fetchFn);
    uploaded.push({ id: started.file_id, title: file.title });
  }
  await step("complete", () =>
    client.files.completeUploadExternal({
      files: uploaded as [{ id: string; title: string }],
      channel_id: channel,
      // Slack shows the comment as mrkdwn: the words are escaped here, once.
      initial_comment: escapeMrkdwn(comment),
      ...("threadTs" in target && target.threadTs ? { thread_ts: target.threadTs } : {}),
    }),
  );
  return { channel };
}

/** The person's direct message with Postbag: files for one person never go to the channel a command was typed in. */
export function uploadToPerson(client: webApi.WebClient, userId: string, files: SlackFile[], comment: string, fetchFn?: typeof fetch): Promise<{ channel: string }> {
  return uploadFiles(client, { dm: userId }, files, comment, fetchFn);
}

async function openDirectMessage(client: webApi.WebClient, userId: string): Promise<string> {
  const opened = await step("open_dm", () => client.conversations.open({ users: userId }));
  if (!opened.channel?.id) throw new SlackUploadError("open_dm", "no conversation returned");
  return opened.channel.id;
}

/** The upload URL takes the bytes as the body; anything but 200 is a refusal (tried twice: a dropped connection is common). */
async function sendBytes(url: string, bytes: Buffer, token: string | undefined, fetchFn: typeof fetch): Promise<void> {
  let last = "";
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const response = await fetchFn(url, {
        method: "POST",
        headers: { "content-type": "application/octet-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: new Uint8Array(bytes),
        redirect: "error",
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
      if (response.status < 500) break;
    } catch (error) {
      last = (error as Error).message;
    }
  }
  throw new SlackUploadError("upload", last);
}

/** One Web API call of the flow; Slack's refusal (`ok: false`, or a failure after the client's retries) becomes that step's error. */
async function step<T>(name: UploadStep, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const data = (error as { data?: { error?: unknown } }).data;
    throw new SlackUploadError(name, typeof data?.error === "string" ? data.error : (error as Error).message);
  }
}

/** What to tell a person whose file Slack would not take: which step, in Slack's words, and what fixes it. */
export function uploadFailureWords(error: unknown): string {
  if (!(error instanceof SlackUploadError)) return "Slack could not be reached";
  const permission = /missing_scope|not_allowed_token_type|no_permission|invalid_auth|not_authed|account_inactive|token_revoked/.test(error.reason)
    ? " — Postbag's Slack app lacks a permission: a Slack admin reinstalls it from manifest/slack.yaml"
    : "";
  switch (error.step) {
    case "open_dm":
      return `Slack would not open a direct message with you (${error.reason})${permission}`;
    case "upload_url":
      return `Slack refused to start the upload (files.getUploadURLExternal: ${error.reason})${permission}`;
    case "upload":
      return `Slack's upload address did not take the file (${error.reason})`;
    case "complete":
      return error.reason === "not_in_channel" || error.reason === "channel_not_found"
        ? `Postbag is not in that conversation, so Slack would not share the file there (${error.reason})`
        : `Slack took the file but would not share it (files.completeUploadExternal: ${error.reason})${permission}`;
  }
}

/**
 * A case action that made a file (Send on a letter makes its PDF): the file goes to the
 * person's direct messages, and the sentence to show says so. The file is kept on the case
 * either way, so a failed upload is told with how to fetch it again, never as a failed step.
 */
export async function deliverMadeFile(
  ctx: { logger: Logger; fetch?: typeof fetch },
  client: webApi.WebClient,
  userId: string,
  done: { message: string; view: CaseView; file?: { filename: string; bytes: Uint8Array } },
): Promise<string> {
  if (!done.file) return done.message;
  const number = done.view.files?.findLast((listed) => listed.filename === done.file!.filename)?.number;
  try {
    await uploadToPerson(client, userId, [{ filename: done.file.filename, title: done.file.filename, content: done.file.bytes }], done.message, ctx.fetch);
    return `${done.message} The PDF is in your direct messages with Postbag.`;
  } catch (error) {
    ctx.logger.warn({ err: error, reference: done.view.reference }, "could not upload a letter's PDF");
    return `${done.message} Slack would not take the PDF just now; fetch it with /case file ${done.view.reference} ${number ?? "<number>"}.`;
  }
}
