import { randomUUID } from "node:crypto";
import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import type { z } from "zod";
import { CASE_ACTION_NAMES, caseActionSpec, type CaseAction } from "../../../domain/cases/case-actions.ts";
import { atOnceInput, controlInput, formContext, inputFromForm, variantFrom, variantInput } from "../../shared/action-controls.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { DomainError, isDomainError } from "../../../domain/errors.ts";
import type { RequestContext } from "../../../domain/ports.ts";
import type { StaffRecord } from "../../../domain/staff/staff-record.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { actionFormCard } from "../cards/action-forms.ts";
import { caseCard } from "../cards/case-card.ts";
import { textReportCard } from "../cards/report-card.ts";
import { constituentText } from "../../shared/constituent-text.ts";
import { logFormCard } from "../cards/log-form.ts";
import { errorCard } from "../cards/simple-cards.ts";
import * as schema from "../teams.schema.ts";
import { actorOf, audienceOf, CARD_TIMELINE_ENTRIES, cardRequestKey, type TeamsDeps } from "../turn.ts";
import { actionVerb, VERBS } from "../verbs.ts";
import { constituentChoices, formValues, logInputFromForm } from "./log-form-input.ts";
import { offerMadeFile } from "./file-consent.ts";
import { cardResponse, rememberPosted, updateCardMessage } from "./reply.ts";
import { handleCardRefresh, isRefresh, refreshUserIds } from "./card-refresh.ts";
import { handleIntakeVerb, isIntakeVerb } from "./intake-card-action.ts";

/**
 * `adaptiveCard/action`: a Universal Actions button. Answers with the card that should
 * now stand in place of the one clicked — the updated case, a form, or a readable refusal.
 */

interface ActionContext {
  context: TurnContext;
  deps: TeamsDeps;
  actor: StaffRecord;
  verb: string;
  view: { audience: "private" | "shared"; timelineEntries: number };
}

const STALE_CARD = "This card is out of date or could not be read. Type show <reference> for a fresh one.";

function parseData<Schema extends z.ZodType>(dataSchema: Schema, data: unknown): z.output<Schema> {
  const parsed = dataSchema.safeParse(data);
  if (!parsed.success) throw new DomainError("invalid_input", STALE_CARD);
  return parsed.data;
}

/** After a change: the clicker gets the new card, and the message is updated for everyone. */
async function changed(a: ActionContext, view: CaseView, message: string, attention = false): Promise<AdaptiveCardInvokeResponse> {
  const refreshFor = await refreshUserIds(a.context, a.deps, view);
  await updateCardMessage(a.context, a.deps, caseCard(view, { refreshFor }));
  const messageId = a.context.activity.replyToId;
  if (messageId && a.view.audience === "shared") await rememberPosted(a.context, a.deps, view, messageId);
  return cardResponse(caseCard(view, { message, attention, refreshFor }));
}

/**
 * Refused because the case changed since the card was shown, in a way that truly conflicts with
 * what was pressed (the core's rule, stale-card.ts): the card becomes the case as it now is,
 * saying what changed — for the clicker, and the message for everyone.
 */
async function changedMeanwhile(a: ActionContext, reference: string, message: string): Promise<AdaptiveCardInvokeResponse> {
  return changed(a, await a.deps.core.cases.showCase(a.actor, reference, a.view), message, true);
}

function request(a: ActionContext, reference: string, version: number): RequestContext {
  return { platform: "teams", requestKey: cardRequestKey(a.verb, reference, version, a.context.activity) };
}

/** A submitted form: the core's input from its values, or the same form again with the core's refusal beside the input at fault. */
async function submitForm(a: ActionContext, action: CaseAction, data: Record<string, unknown>, value: string | number | undefined): Promise<AdaptiveCardInvokeResponse> {
  const form = parseData(schema.actionFormSchema, data);
  const { reference, version } = form;
  // The card names the inputs it showed; without that list, the inputs sent are those shown.
  const carried = variantInput(action, value);
  const asked = form.asked?.split(",").filter(Boolean) ?? Object.keys(form).filter((key) => !["reference", "version", "asked", ...Object.keys(carried)].includes(key));
  const values = Object.fromEntries(asked.map((name) => [name, textOf(form[name])]));
  try {
    const done = await a.deps.core.cases.perform(a.actor, action, { reference, version, ...carried, ...inputFromForm(action, values, asked) }, request(a, reference, version), a.view);
    return await changed(a, done.view, await offerMadeFile(a.context, a.deps, done), done.notSent);
  } catch (error) {
    if (!isDomainError(error) || error.code === "case_not_found" || error.code === "not_registered" || error.code === "changed_meanwhile") throw error;
    const message = userMessageFor(error, a.deps.logger).text;
    const fresh = await a.deps.core.cases.showCase(a.actor, reference, { audience: a.view.audience, timelineEntries: 0 });
    return cardResponse(actionFormCard(fresh, action, await formContext(a.deps.core, a.actor, action, fresh, value), { values, error: { message, input: error.field } }));
  }
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

/**
 * A case action's verb: a button that acts at once, or its form submitted. One of several
 * controls of an action (a letter's Send, a draft from a template) carries its value in the
 * action's `variants.field`; without a value of the right shape the card is out of date.
 */
async function caseActionVerb(a: ActionContext, action: CaseAction, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const variants = caseActionSpec(action).variants;
  const value = variantFrom(action, data);
  if (variants && value === undefined) throw new DomainError("invalid_input", STALE_CARD);
  if (typeof data.asked === "string" || (!atOnceInput(action) && !variants)) return submitForm(a, action, data, value);
  const input = parseData(schema.versionedRefSchema, data);
  const done = await a.deps.core.cases.perform(a.actor, action, { ...input, ...controlInput(action, value) }, request(a, input.reference, input.version), a.view);
  return changed(a, done.view, await offerMadeFile(a.context, a.deps, done), done.notSent);
}

async function logFromCard(a: ActionContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const today = a.deps.core.cases.ruleContext().today;
  if (data.openForm === true) return cardResponse(logFormCard({ formId: randomUUID(), today, mode: "execute" }));
  const values = parseData(schema.logFormSchema, data);
  try {
    const view = await a.deps.core.cases.logCase(a.actor, logInputFromForm(values), { platform: "teams", requestKey: `teams:log:${values.formId}` }, a.view);
    return await changed(a, view, `Logged ${view.reference}. Acknowledge by ${view.acknowledgement.dueText}; respond by ${view.response.dueText}.`);
  } catch (error) {
    if (!isDomainError(error) || error.code === "not_registered" || error.code === "not_permitted") throw error;
    const message = userMessageFor(error, a.deps.logger).text;
    return cardResponse(logFormCard({ formId: values.formId, today, values: formValues(values), error: { message, input: error.field }, mode: "execute", constituentChoices: constituentChoices(error) }));
  }
}

type VerbHandler = (a: ActionContext, data: Record<string, unknown>) => Promise<AdaptiveCardInvokeResponse>;

/** One handler per verb (the shape of the Agents SDK's `adaptiveCards.actionExecute(verb, handler)`); each action of the core's table has its own. */
const HANDLERS = new Map<string, VerbHandler>([
  [VERBS.log, logFromCard],
  [
    VERBS.show,
    async (a, data) => {
      const input = parseData(schema.caseRefSchema, data);
      const view = await a.deps.core.cases.showCase(a.actor, input.reference, a.view);
      return cardResponse(caseCard(view, { refreshFor: await refreshUserIds(a.context, a.deps, view) }));
    },
  ],
  [
    VERBS.person,
    async (a, data) => {
      const input = parseData(schema.caseRefSchema, data);
      const profile = await a.deps.core.constituents.show(a.actor, input.reference, "teams");
      const [title = "", ...rest] = constituentText(profile).split("\n");
      return cardResponse(textReportCard(title, rest.join("\n")));
    },
  ],
  [
    VERBS.openForm,
    async (a, data) => {
      const input = parseData(schema.openFormSchema, data);
      const value = variantFrom(input.form, data);
      if (caseActionSpec(input.form).variants && value === undefined) throw new DomainError("invalid_input", STALE_CARD);
      // The form is built on the case as it is now, so its Save carries the current version.
      const view = await a.deps.core.cases.showCase(a.actor, input.reference, { ...a.view, timelineEntries: 0 });
      return cardResponse(actionFormCard(view, input.form, await formContext(a.deps.core, a.actor, input.form, view, value)));
    },
  ],
  ...CASE_ACTION_NAMES.map((action): [string, VerbHandler] => [actionVerb(action), (a, data) => caseActionVerb(a, action, data)]),
]);

async function dispatch(a: ActionContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  if (isIntakeVerb(a.verb)) return handleIntakeVerb(a.context, a.deps, a.actor, a.verb, data);
  const handler = HANDLERS.get(a.verb);
  if (!handler) throw new DomainError("invalid_input", STALE_CARD);
  return handler(a, data);
}

export async function handleCardAction(context: TurnContext, invokeValue: unknown, deps: TeamsDeps): Promise<AdaptiveCardInvokeResponse> {
  // Read from the activity: botbuilder's invoke value leaves out the `trigger` that says the card was only opened.
  if (isRefresh(context.activity.value)) return handleCardRefresh(context, deps);
  const parsed = schema.adaptiveCardInvokeSchema.safeParse(invokeValue);
  if (!parsed.success) return cardResponse(errorCard(STALE_CARD));
  const { verb, data } = parsed.data.action;
  const reference = typeof data.reference === "string" ? data.reference : undefined;
  try {
    const actor = await actorOf(deps.core, context.activity);
    const audience = audienceOf(context.activity);
    const a: ActionContext = { context, deps, actor, verb, view: { audience, timelineEntries: CARD_TIMELINE_ENTRIES } };
    try {
      return await dispatch(a, data);
    } catch (error) {
      if (reference === undefined || isIntakeVerb(verb) || !isDomainError(error) || error.code !== "changed_meanwhile") throw error;
      return await changedMeanwhile(a, reference, error.message);
    }
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { verb, activityId: context.activity.id });
    const known = isDomainError(error) && error.code !== "case_not_found" ? reference : undefined;
    return cardResponse(errorCard(message.text, known));
  }
}
