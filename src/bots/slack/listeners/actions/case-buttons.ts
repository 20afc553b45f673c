import type { App, BlockAction, ButtonAction, webApi } from "@slack/bolt";
import type { CaseAction } from "../../../../domain/cases/case-actions.ts";
import type { Actor } from "../../../../domain/staff/roles.ts";
import { AckWindow } from "../../ack-window.ts";
import { ACTIONS, type ActionId } from "../../ids.ts";
import { buttonValueSchema, parseJson, type ActionModal, type CardOrigin } from "../../slack.schema.ts";
import { actorFor, announce, CARD_TIMELINE, caseReply, errorReply, postToResponseUrl, refreshCard, type Reply, type SlackContext } from "../../slack-context.ts";
import { actionModal } from "../../views/action-modals.ts";

/** Buttons that need more input open a small modal; the rest act at once. */
const MODAL_FOR: Partial<Record<ActionId, ActionModal>> = {
  [ACTIONS.addUpdate]: "add_update",
  [ACTIONS.refer]: "refer",
  [ACTIONS.partnerReply]: "partner_reply",
  [ACTIONS.respond]: "respond",
  [ACTIONS.close]: "close",
  [ACTIONS.reopen]: "reopen",
};

export function originOf(body: BlockAction): CardOrigin {
  const container = body.container as { type?: string; is_ephemeral?: boolean; channel_id?: string; message_ts?: string } | undefined;
  if (container?.type === "view") return body.view?.type === "home" ? { kind: "home" } : { kind: "none" };
  if (container?.is_ephemeral || !container?.message_ts || !container.channel_id) {
    return body.response_url ? { kind: "ephemeral", responseUrl: body.response_url } : { kind: "none" };
  }
  return { kind: "message", channel: container.channel_id, ts: container.message_ts };
}

export function registerCaseButtons(app: App, ctx: SlackContext): void {
  const actionIds = new RegExp(`^(${Object.values(ACTIONS).join("|")})$`);
  app.action<BlockAction<ButtonAction>>(actionIds, async ({ ack, body, action, client }) => {
    // Acknowledged once the change is committed (or at the end of Slack's window, whichever is first).
    const window = new AckWindow<void>(() => ack());
    try {
      await handle(ctx, body, action, client, window);
    } finally {
      await window.ack();
    }
  });
}

async function handle(ctx: SlackContext, body: BlockAction<ButtonAction>, action: ButtonAction, client: webApi.WebClient, window: AckWindow<void>): Promise<void> {
  const origin = originOf(body);
  const userId = body.user.id;
  const tell = (reply: Reply) => tellPrivately(ctx, client, body, reply);
  try {
    const value = parseJson(buttonValueSchema, action.value);
    if (!value) return void (await tell({ text: ":warning: That button is out of date. Look the case up again with `/case show <ref>`." }));
    const actor = await actorFor(ctx, userId);
    const actionId = action.action_id as ActionId;
    const modal = MODAL_FOR[actionId];
    if (modal) {
      const view = await ctx.core.cases.showCase(actor, value.r, { audience: "private", timelineEntries: 0 });
      await client.views.open({ trigger_id: body.trigger_id, view: actionModal(modal, view, { action: modal, reference: value.r, version: value.v, origin }) });
      return;
    }
    if (actionId === ACTIONS.open) {
      await window.ack();
      const view = await ctx.core.cases.showCase(actor, value.r, { audience: "private", timelineEntries: CARD_TIMELINE });
      return void (await tell(caseReply(view)));
    }
    // The same button on the same version of the same card is the same request: a double click writes once.
    const where = origin.kind === "message" ? origin.ts : (body.container as { view_id?: string }).view_id ?? body.response_url ?? "";
    const request = { platform: "slack" as const, requestKey: `slack:button:${where}:${actionId}:${value.r}:${value.v}:${userId}` };
    const input = { reference: value.r, version: value.v };
    const message = await act(ctx, actor, actionId, input, request);
    await window.ack();
    await refreshCard(ctx, client, actor, value.r, origin, message);
    if (actionId === ACTIONS.assignToMe) await announce(ctx, client, actor, value.r, message);
  } catch (error) {
    await window.ack();
    await tell(errorReply(ctx, error, { action: action.action_id, user: userId }));
  }
}

/** The buttons that act at once, each one action of the core's table. */
const ACTS_AT_ONCE: Partial<Record<ActionId, { name: CaseAction; input: Record<string, unknown> }>> = {
  [ACTIONS.acknowledge]: { name: "acknowledge", input: {} },
  [ACTIONS.assignToMe]: { name: "assign", input: { assignee: "me" } },
  [ACTIONS.chase]: { name: "chase", input: {} },
};

async function act(ctx: SlackContext, actor: Actor, actionId: ActionId, input: { reference: string; version: number }, request: { platform: "slack"; requestKey: string }): Promise<string> {
  const which = ACTS_AT_ONCE[actionId];
  if (!which) throw new Error(`no direct handler for ${actionId}`);
  return (await ctx.core.cases.perform(actor, which.name, { ...input, ...which.input }, request)).message;
}

/** Says something to the clicker alone: in the conversation if there is one, else by direct message. */
export async function tellPrivately(ctx: SlackContext, client: webApi.WebClient, body: BlockAction, reply: Reply): Promise<void> {
  try {
    if (body.response_url) await postToResponseUrl(ctx, body.response_url, { response_type: "ephemeral", replace_original: false, ...reply });
    else await client.chat.postMessage({ channel: body.user.id, ...reply });
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not reply to a button click");
  }
}
