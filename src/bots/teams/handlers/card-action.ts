import { randomUUID } from "node:crypto";
import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import type { z } from "zod";
import type { CaseAction } from "../../../domain/cases/case-actions.ts";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { DomainError, isDomainError } from "../../../domain/errors.ts";
import type { RequestContext } from "../../../domain/ports.ts";
import type { StaffRecord } from "../../../domain/staff/staff-record.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { actionFormCard, CORE_FIELD_TO_INPUT } from "../cards/action-forms.ts";
import { caseCard } from "../cards/case-card.ts";
import { logFormCard } from "../cards/log-form.ts";
import { errorCard } from "../cards/simple-cards.ts";
import * as schema from "../teams.schema.ts";
import { actorOf, audienceOf, CARD_TIMELINE_ENTRIES, cardRequestKey, type TeamsDeps } from "../turn.ts";
import { VERBS, type FormName } from "../verbs.ts";
import { formValues, logInputFromForm } from "./log-form-input.ts";
import { cardResponse, updateCardMessage } from "./reply.ts";

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

/** Each form submits one action of the core's table: its verb, its data, and the core input it makes. */
const FORM_SUBMITS: Record<FormName, { verb: string; schema: z.ZodType; action: CaseAction; input: (data: never) => Record<string, unknown> }> = {
  addUpdate: {
    verb: VERBS.addUpdate,
    schema: schema.addUpdateSchema,
    action: "add_entry",
    input: (data: z.output<typeof schema.addUpdateSchema>) => ({ type: data.entryType ?? "note", text: data.text }),
  },
  refer: {
    verb: VERBS.refer,
    schema: schema.referSchema,
    action: "refer",
    input: (data: z.output<typeof schema.referSchema>) => ({
      partner: data.partner,
      workingDays: data.workingDays === undefined ? undefined : Number(data.workingDays),
      text: data.note,
    }),
  },
  partnerReply: {
    verb: VERBS.partnerReply,
    schema: schema.partnerReplySchema,
    action: "partner_reply",
    input: (data: z.output<typeof schema.partnerReplySchema>) => ({ partner: data.partner, text: data.text }),
  },
  respond: { verb: VERBS.respond, schema: schema.respondSchema, action: "respond", input: (data: z.output<typeof schema.respondSchema>) => ({ text: data.text }) },
  close: {
    verb: VERBS.close,
    schema: schema.closeSchema,
    action: "close",
    input: (data: z.output<typeof schema.closeSchema>) => ({ outcome: data.outcome, text: data.text }),
  },
  reopen: { verb: VERBS.reopen, schema: schema.reopenSchema, action: "reopen", input: (data: z.output<typeof schema.reopenSchema>) => ({ reason: data.reason }) },
};

/** The buttons that act at once, each one action of the core's table. */
const ACTS_AT_ONCE: Partial<Record<string, { action: CaseAction; input: Record<string, unknown> }>> = {
  [VERBS.acknowledge]: { action: "acknowledge", input: {} },
  [VERBS.assignToMe]: { action: "assign", input: { assignee: "me" } },
  [VERBS.chase]: { action: "chase", input: {} },
};

const FORM_BY_VERB = new Map(Object.entries(FORM_SUBMITS).map(([form, spec]) => [spec.verb, form as FormName]));

/** After a change: the clicker gets the new card, and the message is updated for everyone. */
async function changed(a: ActionContext, view: CaseView, message: string): Promise<AdaptiveCardInvokeResponse> {
  await updateCardMessage(a.context, a.deps, caseCard(view));
  return cardResponse(caseCard(view, { message }));
}

function request(a: ActionContext, reference: string, version: number): RequestContext {
  return { platform: "teams", requestKey: cardRequestKey(a.verb, reference, version, a.context.activity) };
}

async function submitForm(a: ActionContext, form: FormName, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const spec = FORM_SUBMITS[form];
  const input = parseData(spec.schema, data) as { reference: string; version: number };
  try {
    const { reference, version } = input;
    const done = await a.deps.core.cases.perform(a.actor, spec.action, { reference, version, ...spec.input(input as never) }, request(a, reference, version), a.view);
    return await changed(a, done.view, done.message);
  } catch (error) {
    if (!isDomainError(error) || error.code === "case_not_found" || error.code === "not_registered") throw error;
    // Refused: the same form again, on the case as it now is, with the reason beside the input at fault.
    const message = userMessageFor(error, a.deps.logger).text;
    const fresh = await a.deps.core.cases.showCase(a.actor, input.reference, { audience: a.view.audience, timelineEntries: 0 });
    const { reference: _r, version: _v, ...values } = data;
    const inputId = error.field ? CORE_FIELD_TO_INPUT[form][error.field] : undefined;
    const stringValues = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : undefined]));
    return cardResponse(actionFormCard(fresh, form, { values: stringValues, error: { message, input: inputId } }));
  }
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
    return cardResponse(logFormCard({ formId: values.formId, today, values: formValues(values), error: { message, input: error.field }, mode: "execute" }));
  }
}

async function dispatch(a: ActionContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const { cases } = a.deps.core;
  switch (a.verb) {
    case VERBS.log:
      return logFromCard(a, data);
    case VERBS.show: {
      const input = parseData(schema.caseRefSchema, data);
      return cardResponse(caseCard(await cases.showCase(a.actor, input.reference, a.view)));
    }
    case VERBS.openForm: {
      const input = parseData(schema.openFormSchema, data);
      // The form is built on the case as it is now, so its Save carries the current version.
      return cardResponse(actionFormCard(await cases.showCase(a.actor, input.reference, { ...a.view, timelineEntries: 0 }), input.form));
    }
  }
  const atOnce = ACTS_AT_ONCE[a.verb];
  if (atOnce) {
    const input = parseData(schema.versionedRefSchema, data);
    const done = await cases.perform(a.actor, atOnce.action, { ...input, ...atOnce.input }, request(a, input.reference, input.version), a.view);
    return changed(a, done.view, done.message);
  }
  const form = FORM_BY_VERB.get(a.verb);
  if (form) return submitForm(a, form, data);
  throw new DomainError("invalid_input", STALE_CARD);
}

export async function handleCardAction(context: TurnContext, invokeValue: unknown, deps: TeamsDeps): Promise<AdaptiveCardInvokeResponse> {
  const parsed = schema.adaptiveCardInvokeSchema.safeParse(invokeValue);
  if (!parsed.success) return cardResponse(errorCard(STALE_CARD));
  const { verb, data } = parsed.data.action;
  const reference = typeof data.reference === "string" ? data.reference : undefined;
  try {
    const actor = await actorOf(deps.core, context.activity);
    const audience = audienceOf(context.activity);
    return await dispatch({ context, deps, actor, verb, view: { audience, timelineEntries: CARD_TIMELINE_ENTRIES } }, data);
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { verb, activityId: context.activity.id });
    const known = isDomainError(error) && error.code !== "case_not_found" ? reference : undefined;
    return cardResponse(errorCard(message.text, known));
  }
}
