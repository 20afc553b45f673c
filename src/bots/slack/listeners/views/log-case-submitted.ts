import type { App } from "@slack/bolt";
import { CALLBACKS, LOG_FIELDS } from "../../ids.ts";
import { logMetadataSchema, parseJson, submittedFilesSchema } from "../../slack.schema.ts";
import { actorFor, announce, CARD_TIMELINE, caseReply, type SlackContext } from "../../slack-context.ts";
import { LOG_FIELD_BLOCKS, logModalAskingWho, MAX_LOG_FILES } from "../../views/log-modal.ts";
import { downloadShared } from "../../../shared/download.ts";
import { detectMediaType } from "../../../../domain/files/file-rules.ts";
import { DomainError } from "../../../../domain/errors.ts";
import { ConstituentUnclear } from "../../../../domain/constituents/constituent-service.ts";
import type { ModalView } from "../../views/block-kit.ts";
import { stateValue, submit, tellAfterSubmit, type StateValues } from "./submission.ts";

/** The log form submitted: a new case, or the form again with what to fix beside each field. */
export function registerLogCaseSubmitted(app: App, ctx: SlackContext): void {
  app.view(CALLBACKS.logCase, async ({ ack, body, view, client, context }) => {
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
        // The scans are fetched and checked first: a file Postbag would refuse is shown beside the
        // file input, and nothing is logged until the form is right.
        const scans = await fetchScans(ctx, values, context.botToken);
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
            type: read(LOG_FIELDS.type),
            outcomeLetterOn: read(LOG_FIELDS.outcomeLetterOn),
            misdirectedOn: read(LOG_FIELDS.misdirectedOn),
            responseSentOn: read(LOG_FIELDS.responseSentOn),
          },
          // A second submission of the same modal is the same request.
          { platform: "slack", requestKey: `slack:view:${view.id}` },
          { audience: "private", timelineEntries: CARD_TIMELINE },
        );
        // Each attached under its own request key: a second submission attaches nothing twice.
        let shown = logged;
        for (const scan of scans) {
          shown = (
            await ctx.core.cases.perform(actor, "attach", { reference: logged.reference, filename: scan.name, bytes: scan.bytes }, { platform: "slack", requestKey: `slack:file:${scan.id}:${logged.reference}` }, { audience: "private", timelineEntries: CARD_TIMELINE })
          ).view;
        }
        return { actor, logged: shown };
      },
      after: async ({ actor, logged }) => {
        const message = `Logged ${logged.reference}. Acknowledge by ${logged.acknowledgement.dueText}; respond by ${logged.response.dueText}.`;
        await tellAfterSubmit(ctx, client, body.user.id, metadata.responseUrl, caseReply(logged, message));
        await announce(ctx, client, actor, logged.reference, `Logged by ${actor.name}.`);
      },
    });
  });
}

/** The files of the form's file input, downloaded with the bot token from Slack's own file host and checked as `attach` checks them. */
async function fetchScans(ctx: SlackContext, values: StateValues, botToken: string | undefined): Promise<{ id: string; name: string; bytes: Uint8Array }[]> {
  const raw = (values[LOG_FIELDS.files]?.[LOG_FIELDS.files] as { files?: unknown } | undefined)?.files;
  if (raw === undefined) return [];
  const parsed = submittedFilesSchema.safeParse(raw);
  if (!parsed.success || parsed.data.length > MAX_LOG_FILES) throw new DomainError("invalid_input", `Attach at most ${MAX_LOG_FILES} files here; add more in the case's thread once it is logged.`, "file");
  const scans = [];
  for (const file of parsed.data) {
    const bytes = await downloadShared(ctx.fetch, file.url_private, {
      allowed: (url) => ctx.fileOrigins.includes(url.origin),
      maxBytes: ctx.core.files.maxBytes,
      declaredSize: file.size,
      headers: { authorization: `Bearer ${botToken ?? ""}` },
    });
    await detectMediaType(bytes, file.name);
    scans.push({ id: file.id, name: file.name, bytes });
  }
  return scans;
}

/** The modal as submitted, as a view Postbag can send back (Slack adds state and ids it does not accept). */
function submittedView(view: { callback_id: string; private_metadata: string; title: unknown; submit?: unknown; close?: unknown; blocks: unknown[] }): ModalView {
  return { type: "modal", callback_id: view.callback_id, private_metadata: view.private_metadata, title: view.title, submit: view.submit, close: view.close, blocks: view.blocks } as ModalView;
}
