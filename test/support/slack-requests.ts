import { createHmac, randomUUID } from "node:crypto";

/** Requests shaped and signed exactly as Slack sends them. */

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

export interface SendOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  retryNum?: number;
  signature?: string;
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function sendToSlackEndpoint(url: string, body: string, contentType: string, options: SendOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? sign(body, timestamp, options.secret),
      ...(options.retryNum ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" } : {}),
    },
    body,
  });
}

export function slashCommandBody(fields: { text: string; user_id: string; response_url: string; trigger_id?: string; channel_id?: string }): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: "T0PFCC",
    team_domain: "pfcc",
    channel_id: fields.channel_id ?? "C0GENERAL",
    channel_name: "general",
    user_id: fields.user_id,
    user_name: fields.user_id.toLowerCase(),
    command: "/case",
    text: fields.text,
    api_app_id: "A0POSTBAG",
    is_enterprise_install: "false",
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? `${Date.now()}.${randomUUID()}`,
  }).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

const team = { id: "T0PFCC", domain: "pfcc" };
const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: team.id });

/** A button click on a message (ephemeral or in a channel). */
export function blockActionPayload(options: {
  userId: string;
  actionId: string;
  value: string;
  responseUrl: string;
  channelId?: string;
  messageTs?: string;
  ephemeral?: boolean;
  triggerId?: string;
}): Record<string, unknown> {
  const ts = options.messageTs ?? "1700000000.000100";
  return {
    type: "block_actions",
    user: user(options.userId),
    api_app_id: "A0POSTBAG",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: ts, channel_id: options.channelId ?? "C0GENERAL", is_ephemeral: options.ephemeral ?? true },
    trigger_id: options.triggerId ?? `${Date.now()}.${randomUUID()}`,
    team,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channelId ?? "C0GENERAL", name: "general" },
    ...(options.ephemeral === false ? { message: { type: "message", ts, text: "case card", blocks: [] } } : {}),
    response_url: options.responseUrl,
    // The card's menu sends the option chosen; every other control is a button.
    actions: [
      options.actionId.startsWith("postbag_more")
        ? { action_id: options.actionId, block_id: "case_actions", type: "overflow", selected_option: { text: { type: "plain_text", text: "option" }, value: options.value }, action_ts: `${Date.now() / 1000}` }
        : { action_id: options.actionId, block_id: "case_actions", text: { type: "plain_text", text: "button" }, value: options.value, type: "button", action_ts: `${Date.now() / 1000}` },
    ],
  };
}

/** A modal submitted. `values` is block id → element value (string, date, option value, user). */
export function viewSubmissionPayload(options: {
  userId: string;
  callbackId: string;
  viewId: string;
  privateMetadata: string;
  values: Record<string, { type: string; value?: string; selected_date?: string; selected_option?: { value: string }; selected_user?: string; selected_options?: { value: string }[] }>;
  /** The modal's blocks as Postbag opened it (Slack sends them back with the submission). */
  blocks?: unknown[];
}): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [block, element] of Object.entries(options.values)) values[block] = { [block]: element };
  return {
    type: "view_submission",
    team,
    user: user(options.userId),
    api_app_id: "A0POSTBAG",
    token: "deprecated-verification-token",
    trigger_id: `${Date.now()}.${randomUUID()}`,
    view: {
      id: options.viewId,
      team_id: team.id,
      type: "modal",
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata,
      hash: "156772938.1827394",
      state: { values },
      title: { type: "plain_text", text: "Postbag" },
      blocks: options.blocks ?? [],
      app_id: "A0POSTBAG",
      bot_id: "BBOT",
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function messageShortcutPayload(options: { userId: string; text: string; channelId: string; messageTs: string; responseUrl: string }): Record<string, unknown> {
  return {
    type: "message_action",
    token: "deprecated-verification-token",
    action_ts: `${Date.now() / 1000}`,
    team,
    user: user(options.userId),
    channel: { id: options.channelId, name: "inbox" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: "postbag_log_as_case",
    trigger_id: `${Date.now()}.${randomUUID()}`,
    response_url: options.responseUrl,
    message_ts: options.messageTs,
    message: { type: "message", user: "USOMEONE", ts: options.messageTs, text: options.text },
  };
}

/** A global shortcut (the shortcuts menu or the search bar): no conversation, no response_url. */
export function globalShortcutPayload(options: { userId: string; callbackId?: string }): Record<string, unknown> {
  return {
    type: "shortcut",
    token: "deprecated-verification-token",
    action_ts: `${Date.now() / 1000}`,
    team,
    user: user(options.userId),
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId ?? "postbag_log_correspondence",
    trigger_id: `${Date.now()}.${randomUUID()}`,
  };
}

export function eventBody(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8)}`): string {
  return JSON.stringify({
    token: "deprecated-verification-token",
    team_id: "T0PFCC",
    api_app_id: "A0POSTBAG",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: "T0PFCC", user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}
