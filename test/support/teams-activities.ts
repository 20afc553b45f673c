import { randomUUID } from "node:crypto";

/**
 * Activities shaped as Microsoft Teams sends them to a bot (captured shapes: ids,
 * channelData, mention entities, conversation types), for tests and the bench.
 */

export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const BOT_APP_ID = "00000000-0000-0000-0000-00000000b07b";
export const BOT = { id: `28:${BOT_APP_ID}`, name: "Postbag" };
export const TEAM_ID = "19:2b0f7c1a9c3d4e5fb6a7c8d9e0f1a2b3@thread.tacv2";
export const CHANNEL_ID = "19:8d6a0e2f4b1c4a7e9f3d5c2b1a0e9f8d@thread.tacv2";

export interface TeamsUser {
  /** The Teams user id (29:…), unique per bot. */
  id: string;
  name: string;
  aadObjectId: string;
}

export type Where = "personal" | "channel" | "groupChat";

let sequence = 1_732_550_000_000;
const nextMessageId = () => String(++sequence);

export function teamsUser(name: string, aadObjectId = randomUUID()): TeamsUser {
  return { id: `29:1${aadObjectId.replace(/-/g, "").slice(0, 20)}-${name.split(" ")[0]!.toLowerCase()}`, name, aadObjectId };
}

export function conversationFor(where: Where, user: TeamsUser, threadId?: string) {
  switch (where) {
    case "personal":
      return { conversation: { conversationType: "personal", tenantId: TENANT_ID, id: `a:1personal-${user.aadObjectId}` }, channelData: { tenant: { id: TENANT_ID } } };
    case "groupChat":
      return {
        conversation: { isGroup: true, conversationType: "groupChat", tenantId: TENANT_ID, id: "19:meeting_groupchat0123456789@thread.v2" },
        channelData: { tenant: { id: TENANT_ID } },
      };
    case "channel":
      return {
        conversation: { isGroup: true, conversationType: "channel", tenantId: TENANT_ID, id: `${CHANNEL_ID};messageid=${threadId ?? nextMessageId()}` },
        channelData: { teamsChannelId: CHANNEL_ID, teamsTeamId: TEAM_ID, channel: { id: CHANNEL_ID }, team: { id: TEAM_ID }, tenant: { id: TENANT_ID } },
      };
  }
}

function base(serviceUrl: string, user: TeamsUser, where: Where, threadId?: string) {
  return {
    id: nextMessageId(),
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl,
    channelId: "msteams",
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    locale: "en-GB",
    ...conversationFor(where, user, threadId),
  };
}

/** A message to the bot. In a channel or group chat Teams only delivers it when the bot is @mentioned. */
export function messageActivity(serviceUrl: string, user: TeamsUser, text: string, options: { where?: Where; mentions?: TeamsUser[]; mentionAadIds?: boolean } = {}) {
  const where = options.where ?? "personal";
  const mentionBot = where !== "personal";
  const entities: Record<string, unknown>[] = [{ type: "clientInfo", locale: "en-GB", country: "GB", platform: "Web", timezone: "Europe/London" }];
  if (mentionBot) entities.push({ type: "mention", mentioned: { id: BOT.id, name: BOT.name }, text: `<at>${BOT.name}</at>` });
  let body = text;
  for (const colleague of options.mentions ?? []) {
    const tag = `<at>${colleague.name}</at>`;
    body = body.replace(`@${colleague.name}`, tag);
    entities.push({
      type: "mention",
      mentioned: { id: colleague.id, name: colleague.name, ...(options.mentionAadIds ? { aadObjectId: colleague.aadObjectId } : {}) },
      text: tag,
    });
  }
  return {
    ...base(serviceUrl, user, where),
    type: "message",
    textFormat: "plain",
    text: mentionBot ? `<at>${BOT.name}</at> ${body}` : body,
    attachments: [{ contentType: "text/html", content: `<div>${body}</div>` }],
    entities,
  };
}

/** A Universal Actions button press (Action.Execute) on a card the bot posted as `cardActivityId`. */
export function cardActionActivity(serviceUrl: string, user: TeamsUser, verb: string, data: Record<string, unknown>, options: { where?: Where; cardActivityId?: string } = {}) {
  return {
    ...base(serviceUrl, user, options.where ?? "personal"),
    id: `f:${randomUUID()}`,
    type: "invoke",
    name: "adaptiveCard/action",
    replyToId: options.cardActivityId,
    value: { action: { type: "Action.Execute", id: randomUUID(), verb, data }, trigger: "manual" },
  };
}

export function messageActionFetchTask(serviceUrl: string, user: TeamsUser, message: { html: string; createdDateTime: string; from?: string }, where: Where = "channel") {
  return {
    ...base(serviceUrl, user, where),
    id: `f:${randomUUID()}`,
    type: "invoke",
    name: "composeExtension/fetchTask",
    value: {
      commandId: "logAsCase",
      commandContext: "message",
      context: { theme: "default" },
      messagePayload: {
        id: nextMessageId(),
        messageType: "message",
        createdDateTime: message.createdDateTime,
        importance: "normal",
        locale: "en-gb",
        from: { user: { id: "29:someone", displayName: message.from ?? "A Colleague", userIdentityType: "aadUser" } },
        body: { contentType: "html", content: message.html },
        attachments: [],
        mentions: [],
        reactions: [],
      },
    },
  };
}

export function messageActionSubmit(serviceUrl: string, user: TeamsUser, data: Record<string, unknown>, where: Where = "channel") {
  return {
    ...base(serviceUrl, user, where),
    id: `f:${randomUUID()}`,
    type: "invoke",
    name: "composeExtension/submitAction",
    value: { commandId: "logAsCase", commandContext: "message", context: { theme: "default" }, data },
  };
}

/** The bot added to (or removed from) a personal chat or a team. */
export function conversationUpdateActivity(serviceUrl: string, user: TeamsUser, where: Where, change: "added" | "removed") {
  const activity = { ...base(serviceUrl, user, where), type: "conversationUpdate" } as Record<string, any>;
  if (where === "channel") activity.conversation = { ...activity.conversation, id: CHANNEL_ID };
  activity.channelData = { ...activity.channelData, eventType: change === "added" ? "teamMemberAdded" : "teamMemberRemoved" };
  activity[change === "added" ? "membersAdded" : "membersRemoved"] = [{ id: BOT.id }];
  return activity;
}

export function installationUpdateActivity(serviceUrl: string, user: TeamsUser, where: Where, action: "add" | "remove") {
  const activity = { ...base(serviceUrl, user, where), type: "installationUpdate", action } as Record<string, any>;
  if (where === "channel") activity.conversation = { ...activity.conversation, id: CHANNEL_ID };
  return activity;
}

/** A search typed in the compose box's "Find a case" (a messaging extension query); no `query` is the search opening (initialRun). */
export function messageExtensionQuery(serviceUrl: string, user: TeamsUser, query?: string, options: { where?: Where; skip?: number; count?: number } = {}) {
  return {
    ...base(serviceUrl, user, options.where ?? "channel"),
    id: `f:${randomUUID()}`,
    type: "invoke",
    name: "composeExtension/query",
    value: {
      commandId: "findCase",
      parameters: [query === undefined ? { name: "initialRun", value: "true" } : { name: "q", value: query }],
      queryOptions: { skip: options.skip ?? 0, count: options.count ?? 25 },
      context: { source: "compose" },
    },
  };
}

/**
 * The person's answer to a FileConsentCard (`fileConsent/invoke`): Teams sends back the card's
 * accept or decline context and, on accept, the upload session it opened in their OneDrive.
 */
export function fileConsentActivity(
  serviceUrl: string,
  user: TeamsUser,
  answer: { action: "accept"; context: unknown; uploadInfo: Record<string, unknown> } | { action: "decline"; context: unknown },
  options: { where?: Where; replyToId?: string } = {},
) {
  return {
    ...base(serviceUrl, user, options.where ?? "personal"),
    id: `f:${randomUUID()}`,
    type: "invoke",
    name: "fileConsent/invoke",
    replyToId: options.replyToId,
    value: { type: "fileUpload", ...answer },
  };
}
