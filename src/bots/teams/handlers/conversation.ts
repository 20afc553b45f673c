import { TurnContext, type Activity, type ConversationReference } from "botbuilder";
import type { StoredConversation } from "../../../domain/conversations/conversation-store.ts";
import type { TeamsDeps } from "../turn.ts";

/**
 * Keeps a conversation reference for every personal chat, team and group chat the bot
 * is installed in, so later work (the daily digest) can post there proactively;
 * forgets them when the app is removed.
 */

interface TeamsChannelData {
  eventType?: string;
  team?: { id?: string };
  channel?: { id?: string; name?: string };
  tenant?: { id?: string };
}

function channelDataOf(activity: Activity): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

function conversationTypeOf(activity: Activity): StoredConversation["conversationType"] {
  const type = activity.conversation?.conversationType;
  return type === "personal" || type === "groupChat" ? type : "channel";
}

function toStored(activity: Activity, reference: Partial<ConversationReference>): StoredConversation {
  const channelData = channelDataOf(activity);
  return {
    conversationId: reference.conversation!.id,
    conversationType: reference.conversation?.conversationType === "channel" ? "channel" : conversationTypeOf(activity),
    tenantId: channelData.tenant?.id ?? activity.conversation?.tenantId ?? null,
    teamId: channelData.team?.id ?? null,
    reference,
  };
}

async function remember(activity: Activity, deps: TeamsDeps, reference = TurnContext.getConversationReference(activity)): Promise<void> {
  // A reference to the conversation, not to the message that announced the install.
  const { activityId: _activityId, ...lasting } = reference;
  await deps.core.conversations.save(toStored(activity, lasting));
  deps.logger.info({ conversationType: conversationTypeOf(activity) }, "Teams: installed in a conversation; reference stored");
}

async function forget(activity: Activity, deps: TeamsDeps): Promise<void> {
  const teamId = channelDataOf(activity).team?.id;
  const removed = (await deps.core.conversations.remove(activity.conversation.id)) + (teamId ? await deps.core.conversations.removeTeam(teamId) : 0);
  deps.logger.info({ removed }, "Teams: removed from a conversation; references forgotten");
}

export async function handleConversationUpdate(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  const botId = activity.recipient?.id;
  const channelData = channelDataOf(activity);
  if (activity.membersAdded?.some((member) => member.id === botId)) await remember(activity, deps);
  if (activity.membersRemoved?.some((member) => member.id === botId)) await forget(activity, deps);
  switch (channelData.eventType) {
    case "teamDeleted":
      if (channelData.team?.id) await deps.core.conversations.removeTeam(channelData.team.id);
      break;
    case "channelDeleted":
      if (channelData.channel?.id) await deps.core.conversations.remove(channelData.channel.id);
      break;
    case "channelCreated":
      // The bot is already in the team; the new channel is one more place it can post.
      if (channelData.channel?.id) {
        const reference = TurnContext.getConversationReference(activity);
        await remember(activity, deps, { ...reference, conversation: { ...reference.conversation!, id: channelData.channel.id, conversationType: "channel", isGroup: true } });
      }
      break;
  }
}

export async function handleInstallationUpdate(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const action = (context.activity as Activity & { action?: string }).action ?? "";
  if (action.startsWith("add")) await remember(context.activity, deps);
  else if (action.startsWith("remove")) await forget(context.activity, deps);
}
