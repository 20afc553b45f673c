import type { App } from "@slack/bolt";
import type { Actor } from "../../../../domain/staff/roles.ts";
import type { CaseAction } from "../../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../../domain/cases/case-view.ts";
import { ACTION_FIELDS, CALLBACKS } from "../../ids.ts";
import { actionMetadataSchema, parseJson, type ActionMetadata } from "../../slack.schema.ts";
import { actorFor, announce, refreshCard, type SlackContext } from "../../slack-context.ts";
import { ACTION_FIELD_BLOCKS } from "../../views/action-modals.ts";
import { noticeModal } from "../../views/notice-modal.ts";
import { stateValue, submit, type StateValues } from "./submission.ts";

/** One of the small action modals submitted: the change, then the card it came from refreshed. */
export function registerCaseActionSubmitted(app: App, ctx: SlackContext): void {
  app.view(CALLBACKS.caseAction, async ({ ack, body, view, client }) => {
    const metadata = parseJson(actionMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: "push", view: noticeModal("Out of date", "This form is out of date. Open the case again and retry.") });
      return;
    }
    await submit({
      ctx,
      ack,
      client,
      userId: body.user.id,
      title: "Could not save",
      fieldBlocks: ACTION_FIELD_BLOCKS,
      work: async () => {
        const actor = await actorFor(ctx, body.user.id);
        const request = { platform: "slack" as const, requestKey: `slack:view:${view.id}` };
        const { message } = await perform(ctx, actor, metadata, view.state.values, request);
        return { actor, message };
      },
      after: async ({ actor, message }) => {
        await refreshCard(ctx, client, actor, metadata.reference, metadata.origin, message);
        if (metadata.action === "close" || metadata.action === "reopen") await announce(ctx, client, actor, metadata.reference, `${message} (${actor.name})`);
      },
    });
  });
}

function perform(ctx: SlackContext, actor: Actor, metadata: ActionMetadata, values: StateValues, request: { platform: "slack"; requestKey: string }): Promise<{ view: CaseView; message: string }> {
  const read = (block: string) => stateValue(values, block);
  const base = { reference: metadata.reference, version: metadata.version };
  const perform = (name: CaseAction, input: Record<string, unknown>) => ctx.core.cases.perform(actor, name, { ...base, ...input }, request);
  switch (metadata.action) {
    case "add_update":
      return perform("add_entry", { type: read(ACTION_FIELDS.entryType), text: read(ACTION_FIELDS.text) });
    case "refer": {
      const days = read(ACTION_FIELDS.workingDays);
      return perform("refer", { partner: read(ACTION_FIELDS.partner), workingDays: days === undefined ? undefined : Number(days), text: read(ACTION_FIELDS.text) });
    }
    case "partner_reply":
      return perform("partner_reply", { partner: read(ACTION_FIELDS.partner), text: read(ACTION_FIELDS.text) });
    case "respond":
      return perform("respond", { text: read(ACTION_FIELDS.text) });
    case "close":
      return perform("close", { outcome: read(ACTION_FIELDS.outcome), text: read(ACTION_FIELDS.text) });
    case "reopen":
      return perform("reopen", { reason: read(ACTION_FIELDS.text) });
  }
}
