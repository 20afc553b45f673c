import type { App } from "@slack/bolt";
import { caseActionSpec } from "../../../../domain/cases/case-actions.ts";
import { inputFromForm, variantInput, variantValue } from "../../../shared/action-controls.ts";
import { deliverMadeFile } from "../../file-upload.ts";
import { actionFieldBlock, CALLBACKS } from "../../ids.ts";
import { actionMetadataSchema, parseJson, type ActionMetadata } from "../../slack.schema.ts";
import { actorFor, announce, answerChangedMeanwhile, refreshCard, type SlackContext } from "../../slack-context.ts";
import { noticeModal } from "../../views/notice-modal.ts";
import { isDomainError } from "../../../../domain/errors.ts";
import type { Actor } from "../../../../domain/staff/roles.ts";
import { stateValue, submit, tellAfterSubmit, type StateValues } from "./submission.ts";

/** One of the small action modals submitted: the change, then the card it came from refreshed. */
export function registerCaseActionSubmitted(app: App, ctx: SlackContext): void {
  app.view(CALLBACKS.caseAction, async ({ ack, body, view, client }) => {
    const metadata = parseJson(actionMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: "push", view: noticeModal("Out of date", "This form is out of date. Open the case again and retry.") });
      return;
    }
    let submitter: Actor | undefined;
    await submit({
      ctx,
      ack,
      client,
      userId: body.user.id,
      title: "Could not save",
      fieldBlocks: Object.fromEntries(metadata.asked.map((name) => [name, actionFieldBlock(name)])),
      // A true conflict with a change made since the card was shown: the form closes, and its card becomes the case as it now is, saying what changed.
      answer: (error) => {
        if (!submitter || !isDomainError(error) || error.code !== "changed_meanwhile") return undefined;
        void answerChangedMeanwhile(ctx, client, submitter, metadata.reference, metadata.origin, error.message, (reply) => tellAfterSubmit(ctx, client, body.user.id, undefined, reply));
        return { response_action: "clear" };
      },
      work: async () => {
        const actor = await actorFor(ctx, body.user.id);
        submitter = actor;
        const request = { platform: "slack" as const, requestKey: `slack:view:${view.id}` };
        const carried = variantInput(metadata.action, variantValue(metadata.action, metadata.p));
        const input = { reference: metadata.reference, version: metadata.version, ...carried, ...formValues(metadata, view.state.values) };
        const done = await ctx.core.cases.perform(actor, metadata.action, input, request);
        return { actor, done };
      },
      after: async ({ actor, done }) => {
        const message = await deliverMadeFile(ctx, client, body.user.id, done);
        // A draft kept but not sent (the relay refused) is said as a warning, above the card that shows it.
        await refreshCard(ctx, client, actor, metadata.reference, metadata.origin, done.notSent ? `:warning: ${message}` : message);
        const announced = caseActionSpec(metadata.action).announce;
        if (announced) await announce(ctx, client, actor, metadata.reference, `${announced} by ${actor.name}.`);
      },
    });
  });
}

/** The modal's values by the core's field names: what Slack sent for each field the modal showed. */
function formValues(metadata: ActionMetadata, values: StateValues): Record<string, unknown> {
  const sent = Object.fromEntries(metadata.asked.map((name) => [name, stateValue(values, actionFieldBlock(name))]));
  return inputFromForm(metadata.action, sent, metadata.asked);
}
