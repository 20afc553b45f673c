import type { App, BlockAction, ButtonAction, OverflowAction, webApi } from "@slack/bolt";
import { constituentText } from "../../../shared/constituent-text.ts";
import { caseActionSpec, isCaseAction, type CaseAction } from "../../../../domain/cases/case-actions.ts";
import { atOnceInput, controlInput, formContext, variantValue } from "../../../shared/action-controls.ts";
import { AckWindow } from "../../ack-window.ts";
import { ACTIONS, actionOfId, CASE_CARD_ACTION_PATTERN } from "../../ids.ts";
import { deliverMadeFile } from "../../file-upload.ts";
import { buttonValueSchema, menuValueSchema, parseJson, type CardOrigin } from "../../slack.schema.ts";
import { actorFor, announce, answerChangedMeanwhile, CARD_TIMELINE, caseReply, errorReply, postToResponseUrl, refreshCard, type Reply, type SlackContext } from "../../slack-context.ts";
import { isDomainError } from "../../../../domain/errors.ts";
import type { Actor } from "../../../../domain/staff/roles.ts";
import { actionModal } from "../../views/action-modals.ts";
import { escapeMrkdwn } from "../../views/slack-text.ts";

export function originOf(body: BlockAction): CardOrigin {
  const container = body.container as { type?: string; is_ephemeral?: boolean; channel_id?: string; message_ts?: string } | undefined;
  if (container?.type === "view") return body.view?.type === "home" ? { kind: "home" } : { kind: "none" };
  if (container?.is_ephemeral || !container?.message_ts || !container.channel_id) {
    return body.response_url ? { kind: "ephemeral", responseUrl: body.response_url } : { kind: "none" };
  }
  return { kind: "message", channel: container.channel_id, ts: container.message_ts };
}

export function registerCaseButtons(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction | OverflowAction>>(CASE_CARD_ACTION_PATTERN, async ({ ack, body, action, client }) => {
    // Acknowledged once the change is committed (or at the end of Slack's window, whichever is first).
    const window = new AckWindow<void>(() => ack());
    try {
      await handle(ctx, body, action, client, window);
    } finally {
      await window.ack();
    }
  });
}

interface Click {
  name: CaseAction | "open" | "person";
  reference: string;
  version: number;
  form: boolean;
  /** What one of several controls of its action carried (a template's key, a letter's number). */
  value?: string | number;
}

/** Which action a click asks for, on which case and version, and whether it opens the form. */
function clicked(action: ButtonAction | OverflowAction): Click | null {
  if (action.type === "overflow") {
    const value = parseJson(menuValueSchema, action.selected_option?.value);
    // The menu holds actions offered once; one offered several times over is never in it.
    return value && isCaseAction(value.a) && !caseActionSpec(value.a).variants ? { name: value.a, reference: value.r, version: value.v, form: true } : null;
  }
  const value = parseJson(buttonValueSchema, action.value);
  if (!value) return null;
  if (action.action_id === ACTIONS.open) return { name: "open", reference: value.r, version: value.v, form: false };
  if (action.action_id === ACTIONS.person) return { name: "person", reference: value.r, version: value.v, form: false };
  const name = actionOfId(action.action_id);
  if (!name) return null;
  // One of several controls of an action (a letter's Send, a draft from a template) carries its value, of the shape its action takes.
  const offeredSeveral = caseActionSpec(name).variants !== undefined;
  if (value.p === undefined) return offeredSeveral ? null : { name, reference: value.r, version: value.v, form: atOnceInput(name) === null };
  const carried = variantValue(name, value.p);
  return carried === undefined ? null : { name, reference: value.r, version: value.v, form: value.f === 1, value: carried };
}

async function handle(ctx: SlackContext, body: BlockAction<ButtonAction | OverflowAction>, action: ButtonAction | OverflowAction, client: webApi.WebClient, window: AckWindow<void>): Promise<void> {
  const origin = originOf(body);
  const userId = body.user.id;
  const tell = (reply: Reply) => tellPrivately(ctx, client, body, reply);
  // Who pressed which case's button, once known: a refusal as changed meanwhile answers with the case as it now is.
  let pressed: { actor: Actor; reference: string } | undefined;
  try {
    const click = clicked(action);
    if (!click) return void (await tell({ text: ":warning: That button is out of date. Look the case up again with `/case show <ref>`." }));
    const actor = await actorFor(ctx, userId);
    pressed = { actor, reference: click.reference };
    if (click.name === "person") {
      await window.ack();
      const profile = await ctx.core.constituents.show(actor, click.reference, "slack");
      return void (await tell({ text: escapeMrkdwn(constituentText(profile)) }));
    }
    if (click.name === "open") {
      await window.ack();
      const view = await ctx.core.cases.showCase(actor, click.reference, { audience: "private", timelineEntries: CARD_TIMELINE });
      return void (await tell(caseReply(view)));
    }
    if (click.form) {
      const view = await ctx.core.cases.showCase(actor, click.reference, { audience: "private", timelineEntries: 0 });
      const options = await formContext(ctx.core, actor, click.name, view, click.value);
      await client.views.open({ trigger_id: body.trigger_id, view: actionModal(view, { action: click.name, reference: click.reference, version: click.version, origin, p: click.value }, options) });
      return;
    }
    // The same button on the same version of the same card is the same request: a double click writes once.
    const where = origin.kind === "message" ? origin.ts : (body.container as { view_id?: string }).view_id ?? body.response_url ?? "";
    const request = { platform: "slack" as const, requestKey: `slack:button:${where}:${action.action_id}:${click.reference}:${click.version}:${userId}` };
    const input = { reference: click.reference, version: click.version, ...controlInput(click.name, click.value) };
    const done = await ctx.core.cases.perform(actor, click.name, input, request);
    await window.ack();
    // A letter made by Send comes back as its PDF, to the person's direct messages.
    const message = await deliverMadeFile(ctx, client, userId, done);
    await refreshCard(ctx, client, actor, click.reference, origin, message);
    const announced = caseActionSpec(click.name).announce;
    if (announced) await announce(ctx, client, actor, click.reference, `${announced} by ${actor.name}.`);
  } catch (error) {
    await window.ack();
    if (pressed && isDomainError(error) && error.code === "changed_meanwhile") return void (await answerChangedMeanwhile(ctx, client, pressed.actor, pressed.reference, origin, error.message, tell));
    await tell(errorReply(ctx, error, { action: action.action_id, user: userId }));
  }
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
