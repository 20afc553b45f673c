import type { App } from "@slack/bolt";
import type { Actor } from "../../../../domain/staff/roles.ts";
import type { CaseView } from "../../../../domain/cases/case-view.ts";
import { ACTION_FIELDS, CALLBACKS } from "../../ids.ts";
import { actionMetadataSchema, parseJson, type ActionMetadata } from "../../slack.schema.ts";
import { actorFor, announce, refreshCard, type SlackContext } from "../../slack-context.ts";
import { ACTION_FIELD_BLOCKS } from "../../views/action-modals.ts";
import { noticeModal } from "../../views/notice-modal.ts";
import { stateValue, submit, type StateValues } from "./submission.ts";

const DONE: Record<ActionMetadata["action"], string> = {
  add_update: "Update recorded",
  refer: "Referred",
  partner_reply: "Partner reply recorded",
  respond: "Full response recorded",
  close: "Closed",
  reopen: "Reopened",
};

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
        await perform(ctx, actor, metadata, view.state.values, request);
        return actor;
      },
      after: async (actor) => {
        const message = `${DONE[metadata.action]} by ${actor.name}.`;
        await refreshCard(ctx, client, actor, metadata.reference, metadata.origin, message);
        if (metadata.action === "close" || metadata.action === "reopen") await announce(ctx, client, actor, metadata.reference, message);
      },
    });
  });
}

function perform(ctx: SlackContext, actor: Actor, metadata: ActionMetadata, values: StateValues, request: { platform: "slack"; requestKey: string }): Promise<CaseView> {
  const read = (block: string) => stateValue(values, block);
  const base = { reference: metadata.reference, version: metadata.version };
  const cases = ctx.core.cases;
  switch (metadata.action) {
    case "add_update":
      return cases.addEntry(actor, { ...base, type: read(ACTION_FIELDS.entryType), text: read(ACTION_FIELDS.text) }, request);
    case "refer": {
      const days = read(ACTION_FIELDS.workingDays);
      return cases.referToPartner(actor, { ...base, partner: read(ACTION_FIELDS.partner), workingDays: days === undefined ? undefined : Number(days), text: read(ACTION_FIELDS.text) }, request);
    }
    case "partner_reply":
      return cases.recordPartnerReply(actor, { ...base, partner: read(ACTION_FIELDS.partner), text: read(ACTION_FIELDS.text) }, request);
    case "respond":
      return cases.respondToCase(actor, { ...base, text: read(ACTION_FIELDS.text) }, request);
    case "close":
      return cases.closeCase(actor, { ...base, outcome: read(ACTION_FIELDS.outcome), text: read(ACTION_FIELDS.text) }, request);
    case "reopen":
      return cases.reopenCase(actor, { ...base, reason: read(ACTION_FIELDS.text) }, request);
  }
}
