import { CardFactory, MessageFactory, TurnContext, type Activity } from "botbuilder";
import type { AdaptiveCardInvokeResponse } from "botbuilder";
import { CARD_CONTENT_TYPE, type AdaptiveCard } from "../cards/adaptive-card.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { deliver, delivered } from "../send.ts";
import type { TeamsDeps } from "../turn.ts";
import { teamsText } from "../cards/teams-text.ts";

/** How the Teams handlers answer: a card or text in the conversation, or a card in place of the one clicked. */

export function cardActivity(card: AdaptiveCard, summary?: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (summary) activity.summary = summary;
  return activity;
}

/**
 * Replies in the conversation (in a channel, in the thread of the message); retried, never thrown.
 * Text is plain words (names, subjects, what was typed), which Teams reads as markdown: escaped here.
 */
export function reply(context: TurnContext, deps: TeamsDeps, activity: Partial<Activity> | string, what = "reply"): Promise<boolean> {
  const message = typeof activity === "string" ? MessageFactory.text(teamsText(activity)) : activity;
  return deliver(() => context.sendActivity(message), deps.retry, deps.logger, what);
}

/**
 * Replies with a case card where many read it (a channel, a group chat) and keeps where it
 * sits, so a change of the case's sensitive marker updates it there.
 */
export async function replyWithSharedCard(context: TurnContext, deps: TeamsDeps, activity: Partial<Activity>, view: CaseView): Promise<void> {
  const sent = await delivered(() => context.sendActivity(activity), deps.retry, deps.logger, "reply");
  const id = sent.ok ? sent.answer?.id : undefined;
  if (id) await rememberPosted(context, deps, view, id);
}

/** Keeps a case card posted in this conversation (message `messageId`) among the cards to update. */
export async function rememberPosted(context: TurnContext, deps: TeamsDeps, view: CaseView, messageId: string): Promise<void> {
  const reference = TurnContext.getConversationReference(context.activity) as unknown as Record<string, unknown>;
  await deps.core.postedCards.remember({ reference: view.reference, platform: "teams", conversation: reference, messageId, shownSensitive: view.sensitive });
}

/**
 * Posts into the conversation an invoke came from, not as a reply to the invoke itself
 * (which is not a message anyone can reply to).
 */
export function post(context: TurnContext, deps: TeamsDeps, activity: Partial<Activity>, what: string): Promise<boolean> {
  const outgoing = TurnContext.applyConversationReference({ ...activity }, TurnContext.getConversationReference(context.activity));
  delete outgoing.replyToId;
  return deliver(() => context.adapter.sendActivities(context, [outgoing]), deps.retry, deps.logger, what);
}

/**
 * Universal Actions answer the clicker with the new card; the message itself is then
 * updated so everyone else in the conversation sees the case as it now is.
 */
export async function updateCardMessage(context: TurnContext, deps: TeamsDeps, card: AdaptiveCard): Promise<void> {
  const messageId = context.activity.replyToId;
  if (!messageId) return;
  const update = { ...cardActivity(card), id: messageId, type: "message" };
  await deliver(() => context.updateActivity(update), deps.retry, deps.logger, "card update");
}

export function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
}
