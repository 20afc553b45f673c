import type { App } from "@slack/bolt";
import { INTAKE_DISMISS } from "../../ids.ts";
import { intakeDismissMetadataSchema, parseJson } from "../../slack.schema.ts";
import { actorFor, type SlackContext } from "../../slack-context.ts";
import { noticeModal } from "../../views/notice-modal.ts";
import { stateValue, submit } from "./submission.ts";

/** Not casework for a reason that needs a note ("other"), submitted with what it is: the email is dismissed, and its triage cards say so. */
export function registerIntakeDismissSubmitted(app: App, ctx: SlackContext): void {
  app.view(INTAKE_DISMISS.callback, async ({ ack, body, view, client }) => {
    const metadata = parseJson(intakeDismissMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: "push", view: noticeModal("Out of date", "This form is out of date. Open the email's card again and retry.") });
      return;
    }
    await submit({
      ctx,
      ack,
      client,
      userId: body.user.id,
      title: "Could not dismiss it",
      fieldBlocks: { note: INTAKE_DISMISS.note },
      work: async () => {
        const actor = await actorFor(ctx, body.user.id);
        return ctx.core.intake.dismiss(actor, { id: metadata.i, reason: metadata.r, note: stateValue(view.state.values, INTAKE_DISMISS.note) });
      },
      after: async () => {
        await ctx.core.triage.refresh();
      },
    });
  });
}
