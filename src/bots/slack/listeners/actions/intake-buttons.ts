import type { App, BlockAction, ButtonAction, StaticSelectAction, webApi } from "@slack/bolt";
import { ConstituentUnclear } from "../../../../domain/constituents/constituent-service.ts";
import { describeCandidate } from "../../../../domain/constituents/matching.ts";
import { UNDECIDED, type IntakeRecord } from "../../../../domain/intake/intake-message.ts";
import { NOTE_REQUIRED_FOR } from "../../../../domain/intake/intake.schema.ts";
import { triageOutcome } from "../../../shared/intake-text.ts";
import { AckWindow } from "../../ack-window.ts";
import { INTAKE_ACTIONS } from "../../ids.ts";
import { intakeValueSchema, parseJson } from "../../slack.schema.ts";
import { actorFor, errorReply, postToResponseUrl, type SlackContext } from "../../slack-context.ts";
import { attachModal, constituentChoiceBlocks, dismissNoteModal } from "../../views/triage-card.ts";
import { escapeMrkdwn } from "../../views/slack-text.ts";
import { originOf, tellPrivately } from "./case-buttons.ts";

const OUT_OF_DATE = ":warning: That card is out of date. See the emails awaiting triage with `/case intake list`.";

/**
 * A triage card's controls: Log as new case (one click; a second to say which person when the
 * sender may be someone on record), Add to case… (a modal offering the sender's open cases),
 * Not casework (a reason from the menu; "other" opens a modal asking what it is). The decision is made by the core; every card of that email is then updated in place
 * for everyone. Refusals go to the person who clicked, and to nobody else.
 */
export function registerIntakeButtons(app: App, ctx: SlackContext): void {
  const ids = new RegExp(`^(${INTAKE_ACTIONS.log}(_\\d)?|${INTAKE_ACTIONS.attach}|${INTAKE_ACTIONS.dismiss})$`);
  app.action<BlockAction<ButtonAction | StaticSelectAction>>(ids, async ({ ack, body, action, client }) => {
    // Acknowledged once the decision is committed (or at the end of Slack's window, whichever is first).
    const window = new AckWindow<void>(() => ack());
    try {
      await handle(ctx, body, action, client, window);
    } finally {
      await window.ack();
    }
  });
}

async function handle(ctx: SlackContext, body: BlockAction<ButtonAction | StaticSelectAction>, action: ButtonAction | StaticSelectAction, client: webApi.WebClient, window: AckWindow<void>): Promise<void> {
  const userId = body.user.id;
  const value = parseJson(intakeValueSchema, action.type === "static_select" ? action.selected_option?.value : action.value);
  if (!value) return void (await tellPrivately(ctx, client, body, { text: OUT_OF_DATE }));
  try {
    const actor = await actorFor(ctx, userId);
    const request = { platform: "slack" as const, requestKey: `slack:intake:${value.i}:${action.action_id}:${userId}` };
    if (action.action_id === INTAKE_ACTIONS.attach) {
      // A viewer, or an email decided meanwhile, is refused here rather than after the form is filled in.
      const { record, cases } = await ctx.core.triage.senderCases(actor, value.i);
      if (!UNDECIDED.includes(record.state)) return void (await tellPrivately(ctx, client, body, decidedAlready(record)));
      await client.views.open({ trigger_id: body.trigger_id, view: attachModal(record, cases) });
      return;
    }
    const needsNote = NOTE_REQUIRED_FOR.find((reason) => reason === value.r);
    if (action.action_id === INTAKE_ACTIONS.dismiss && needsNote) {
      // The core needs a word of what it is: asked in a modal, decided when submitted.
      const record = await ctx.core.intake.show(actor, value.i);
      if (!UNDECIDED.includes(record.state)) return void (await tellPrivately(ctx, client, body, decidedAlready(record)));
      await client.views.open({ trigger_id: body.trigger_id, view: dismissNoteModal(record, needsNote) });
      return;
    }
    if (action.action_id === INTAKE_ACTIONS.dismiss) {
      await ctx.core.intake.dismiss(actor, { id: value.i, reason: value.r });
    } else {
      try {
        await ctx.core.intake.log(actor, { id: value.i, constituentChoice: value.c }, request);
      } catch (error) {
        if (!(error instanceof ConstituentUnclear)) throw error;
        await window.ack();
        const choices = [...error.candidates.map((candidate) => ({ title: `Yes: ${describeCandidate(candidate)}`, value: `C${candidate.id}` })), { title: "No: a new person", value: "new" }];
        const question = `#${value.i}: ${error.personName} may be someone already on record. Which person is it?`;
        return void (await tellPrivately(ctx, client, body, { text: escapeMrkdwn(question), blocks: constituentChoiceBlocks(value.i, question, choices) }));
      }
    }
    await window.ack();
    // The card in the channel now says what was decided, for everyone.
    await ctx.core.triage.refresh();
    // The "which person?" question, answered, goes.
    const origin = originOf(body);
    if (origin.kind === "ephemeral") await postToResponseUrl(ctx, origin.responseUrl, { delete_original: true }).catch(() => {});
  } catch (error) {
    await window.ack();
    await tellPrivately(ctx, client, body, errorReply(ctx, error, { action: action.action_id, user: userId }));
  }
}

/** Said to the person who opened a form on an email decided meanwhile. */
function decidedAlready(record: IntakeRecord): { text: string } {
  return { text: escapeMrkdwn(`Email #${record.id} is decided already: ${triageOutcome(record)}.`) };
}
