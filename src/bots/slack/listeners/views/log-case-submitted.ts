import type { App } from "@slack/bolt";
import { CALLBACKS, LOG_FIELDS } from "../../ids.ts";
import { logMetadataSchema, parseJson } from "../../slack.schema.ts";
import { actorFor, announce, CARD_TIMELINE, caseReply, type SlackContext } from "../../slack-context.ts";
import { LOG_FIELD_BLOCKS, logModalAskingWho } from "../../views/log-modal.ts";
import { ConstituentUnclear } from "../../../../domain/constituents/constituent-service.ts";
import type { ModalView } from "../../views/block-kit.ts";
import { stateValue, submit, tellAfterSubmit } from "./submission.ts";

/** The log form submitted: a new case, or the form again with what to fix beside each field. */
export function registerLogCaseSubmitted(app: App, ctx: SlackContext): void {
  app.view(CALLBACKS.logCase, async ({ ack, body, view, client }) => {
    const values = view.state.values;
    const read = (block: string) => stateValue(values, block);
    const metadata = parseJson(logMetadataSchema, view.private_metadata) ?? {};
    await submit({
      ctx,
      ack,
      client,
      userId: body.user.id,
      title: "Could not log",
      fieldBlocks: LOG_FIELD_BLOCKS,
      // Probably someone on record: the same form asks who, keeping what was typed.
      answer: (error) => (error instanceof ConstituentUnclear ? { response_action: "update", view: logModalAskingWho(submittedView(view), error.candidates) } : undefined),
      work: async () => {
        const actor = await actorFor(ctx, body.user.id);
        const summary = [read(LOG_FIELDS.summary), metadata.sourceLink ? `From Slack: ${metadata.sourceLink}` : ""].filter(Boolean).join("\n\n");
        const logged = await ctx.core.cases.logCase(
          actor,
          {
            channel: read(LOG_FIELDS.channel),
            receivedOn: read(LOG_FIELDS.receivedOn),
            constituent: {
              name: read(LOG_FIELDS.name),
              email: read(LOG_FIELDS.email),
              phone: read(LOG_FIELDS.phone),
              address: read(LOG_FIELDS.address),
            },
            subject: read(LOG_FIELDS.subject),
            summary,
            kind: read(LOG_FIELDS.kind) ?? "casework",
            themes: (read(LOG_FIELDS.themes) ?? "").split(",").map((theme) => theme.trim()).filter(Boolean),
            sensitive: read(LOG_FIELDS.sensitive) === "sensitive",
            assignee: read(LOG_FIELDS.assignee),
            constituentChoice: read(LOG_FIELDS.constituentChoice),
          },
          // A second submission of the same modal is the same request.
          { platform: "slack", requestKey: `slack:view:${view.id}` },
          { audience: "private", timelineEntries: CARD_TIMELINE },
        );
        return { actor, logged };
      },
      after: async ({ actor, logged }) => {
        const message = `Logged ${logged.reference}. Acknowledge by ${logged.acknowledgement.dueText}; respond by ${logged.response.dueText}.`;
        await tellAfterSubmit(ctx, client, body.user.id, metadata.responseUrl, caseReply(logged, message));
        await announce(ctx, client, actor, logged.reference, `Logged by ${actor.name}.`);
      },
    });
  });
}

/** The modal as submitted, as a view Postbag can send back (Slack adds state and ids it does not accept). */
function submittedView(view: { callback_id: string; private_metadata: string; title: unknown; submit?: unknown; close?: unknown; blocks: unknown[] }): ModalView {
  return { type: "modal", callback_id: view.callback_id, private_metadata: view.private_metadata, title: view.title, submit: view.submit, close: view.close, blocks: view.blocks } as ModalView;
}
