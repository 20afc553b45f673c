import type { webApi } from "@slack/bolt";
import type { Core } from "../../app.ts";
import type { Audience, CaseView } from "../../domain/cases/case-view.ts";
import type { PostedCardUpdater } from "../../domain/cases/posted-cards.ts";
import { londonDateOf } from "../../domain/calendar/local-date.ts";
import { hasRole, type Actor } from "../../domain/staff/roles.ts";
import type { Logger } from "../../logger.ts";
import { userMessageFor } from "../shared/user-message.ts";
import { caseCardBlocks, caseFallbackText } from "./views/case-card.ts";
import { escapeMrkdwn } from "./views/slack-text.ts";
import { homeView } from "./views/home.ts";
import type { KnownBlock } from "./views/block-kit.ts";
import type { CardOrigin } from "./slack.schema.ts";

/** Everything the Slack listeners share; built once in slack-adapter.ts. */
export interface SlackContext {
  core: Core;
  logger: Logger;
  /** Channel where logs, assignments and closures are announced, if configured. */
  caseLogChannel?: string;
  /** Origins a response_url may have; anything else in a payload is not followed. */
  responseUrlOrigins: readonly string[];
  /** Origins Slack serves shared files from (url_private); the bot token is sent to no other. */
  fileOrigins: readonly string[];
  /** How a listener reaches Slack outside Bolt's own arguments (tests point it at a fake). */
  fetch: typeof fetch;
  /** Postbag's own bot user in the workspace, from the start-up check of its token (auth.test). */
  botUserId?: string;
}

export const CARD_TIMELINE = 8;

export function actorFor(ctx: SlackContext, slackUserId: string): Promise<Actor> {
  return ctx.core.staff.resolveActor({ slackUserId });
}

export function today(ctx: SlackContext): string {
  return londonDateOf(ctx.core.clock.now());
}

export interface Reply {
  text: string;
  blocks?: KnownBlock[];
}

/** Posts to a response_url we were given, if it is really Slack's (or the configured fake's). */
export async function postToResponseUrl(ctx: SlackContext, url: string, body: Record<string, unknown>): Promise<void> {
  if (!ctx.responseUrlOrigins.includes(new URL(url).origin)) {
    ctx.logger.warn({ origin: new URL(url).origin }, "ignored a response_url from an unexpected origin");
    return;
  }
  const response = await ctx.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}

/** A failure as a short message to the person (a refusal may echo what they typed: escaped); bugs are logged with their stack, never shown. */
export function errorReply(ctx: SlackContext, error: unknown, context: Record<string, unknown>): Reply {
  const message = userMessageFor(error, ctx.logger, context);
  return { text: message.expected ? `:warning: ${escapeMrkdwn(message.text)}` : `:x: ${escapeMrkdwn(message.text)}` };
}

export function caseReply(view: CaseView, message?: string): Reply {
  return { text: caseFallbackText(view, message), blocks: caseCardBlocks(view, { message }) };
}

/** Refreshes the card a button or modal came from, as it now stands. Failures are logged only. */
export async function refreshCard(ctx: SlackContext, client: webApi.WebClient, actor: Actor, reference: string, origin: CardOrigin, message?: string): Promise<void> {
  try {
    if (origin.kind === "none") return;
    if (origin.kind === "home") {
      await publishHome(ctx, client, actor, (await ctx.core.staff.findById(actor.id)).slackUserId ?? "");
      return;
    }
    // A card in a channel is read by everyone there; an ephemeral one, or one in the person's direct messages with Postbag, by this person alone.
    const audience: Audience = origin.kind === "message" && !isDirectMessage(origin.channel) ? "shared" : "private";
    const view = await ctx.core.cases.showCase(actor, reference, { audience, timelineEntries: CARD_TIMELINE });
    const reply = caseReply(view, message);
    if (origin.kind === "message") {
      await client.chat.update({ channel: origin.channel, ts: origin.ts, text: reply.text, blocks: reply.blocks });
      if (audience === "shared") await rememberPosted(ctx, view, origin.channel, origin.ts);
    } else await postToResponseUrl(ctx, origin.responseUrl, { replace_original: true, response_type: "ephemeral", ...reply });
  } catch (error) {
    ctx.logger.warn({ err: error, reference, origin: origin.kind }, "could not refresh the case card");
  }
}

/**
 * Refused because the case changed since the card was shown, in a way that truly conflicts with
 * what was asked (the core's rule, stale-card.ts): the card becomes the case as it now is. An
 * ephemeral card says why in its place; a card others read is brought up to date, and `tell`
 * says why to the person alone.
 */
export async function answerChangedMeanwhile(ctx: SlackContext, client: webApi.WebClient, actor: Actor, reference: string, origin: CardOrigin, message: string, tell: (reply: Reply) => Promise<void>): Promise<void> {
  if (origin.kind === "ephemeral") return refreshCard(ctx, client, actor, reference, origin, `:warning: ${message}`);
  await refreshCard(ctx, client, actor, reference, origin);
  await tell({ text: `:warning: ${escapeMrkdwn(message)}` });
}

/** Slack's direct message conversations have ids starting D (channels C, private channels and group DMs G). */
function isDirectMessage(channel: string): boolean {
  return channel.startsWith("D");
}

/** Announces a change everyone should see in the case-log channel, details withheld for sensitive cases. */
export async function announce(ctx: SlackContext, client: webApi.WebClient, actor: Actor, reference: string, message: string): Promise<void> {
  if (!ctx.caseLogChannel) return;
  try {
    const view = await ctx.core.cases.showCase(actor, reference, { audience: "shared", timelineEntries: 3 });
    const reply = caseReply(view, message);
    const posted = await client.chat.postMessage({ channel: ctx.caseLogChannel, text: reply.text, blocks: reply.blocks, unfurl_links: false });
    if (posted.ts) await rememberPosted(ctx, view, ctx.caseLogChannel, posted.ts);
  } catch (error) {
    // The case change stands; only the announcement is lost, and the log says so.
    ctx.logger.warn({ err: error, reference }, "could not announce to the case-log channel");
  }
}

/** Keeps where a case card sits in a channel, so a change of its sensitive marker updates it there. */
function rememberPosted(ctx: SlackContext, view: CaseView, channel: string, ts: string): Promise<void> {
  return ctx.core.postedCards.remember({ reference: view.reference, platform: "slack", conversation: { channel }, messageId: ts, shownSensitive: view.sensitive });
}

/** Updates a case card Postbag posted in a channel to the case as the channel may now see it. */
export function slackCardUpdater(client: webApi.WebClient): PostedCardUpdater {
  return {
    platform: "slack",
    async update(card, view) {
      const reply = caseReply(view);
      await client.chat.update({ channel: String(card.conversation.channel), ts: card.messageId, text: reply.text, blocks: reply.blocks });
    },
  };
}

/** The App Home tab for one person: their open cases, and for managers the office's counts. */
export async function publishHome(ctx: SlackContext, client: webApi.WebClient, actor: Actor, slackUserId: string): Promise<void> {
  const mine = await ctx.core.cases.listMine(actor);
  const counts = hasRole(actor, "manager") ? await ctx.core.cases.officeCounts(actor) : null;
  await client.views.publish({ user_id: slackUserId, view: homeView(actor.name, mine, counts) });
}
