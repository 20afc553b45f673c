import type { App } from "@slack/bolt";
import { INTAKE_ATTACH } from "../../ids.ts";
import { intakeAttachMetadataSchema, parseJson } from "../../slack.schema.ts";
import { actorFor, type SlackContext } from "../../slack-context.ts";
import { noticeModal } from "../../views/notice-modal.ts";
import { stateValue, submit } from "./submission.ts";

/** Add to case… submitted: the email joins the case's timeline, and its triage cards say so. */
export function registerIntakeAttachSubmitted(app: App, ctx: SlackContext): void {
  app.view(INTAKE_ATTACH.callback, async ({ ack, body, view, client }) => {
    const metadata = parseJson(intakeAttachMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: "push", view: noticeModal("Out of date", "This form is out of date. Open the email's card again and retry.") });
      return;
    }
    await submit({
      ctx,
      ack,
      client,
      userId: body.user.id,
      title: "Could not add it",
      fieldBlocks: { reference: INTAKE_ATTACH.reference },
      work: async () => {
        const actor = await actorFor(ctx, body.user.id);
        const chosen = { reference: stateValue(view.state.values, INTAKE_ATTACH.reference), openCase: stateValue(view.state.values, INTAKE_ATTACH.openCase) };
        return ctx.core.intake.attach(actor, { id: metadata.i, ...chosen }, { platform: "slack", requestKey: `slack:view:${view.id}` });
      },
      after: async () => {
        await ctx.core.triage.refresh();
      },
    });
  });
}
