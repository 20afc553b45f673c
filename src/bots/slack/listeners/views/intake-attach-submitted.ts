import type { App } from "@slack/bolt";
import { DomainError } from "../../../../domain/errors.ts";
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
        const reference = stateValue(view.state.values, INTAKE_ATTACH.reference)?.trim() || stateValue(view.state.values, INTAKE_ATTACH.openCase);
        if (!reference) throw new DomainError("invalid_input", "Say which case to add it to, like PFCC-2026-0042.", "reference");
        return ctx.core.intake.attach(actor, { id: metadata.i, reference }, { platform: "slack", requestKey: `slack:view:${view.id}` });
      },
      after: async () => {
        await ctx.core.triage.refresh();
      },
    });
  });
}
