import { randomUUID } from "node:crypto";
import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import type { z } from "zod";
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

/** The same case operation whatever the form: each knows its core call and what to say. */
const FORM_SUBMITS: Record<
  FormName,
  { verb: string; schema: z.ZodType; run: (a: ActionContext, input: never, request: RequestContext) => Promise<CaseView>; done: (view: CaseView) => string }
> = {
  addUpdate: {
    verb: VERBS.addUpdate,
    schema: schema.addUpdateSchema,
    run: (a, input: z.output<typeof schema.addUpdateSchema>, request) =>
      a.deps.core.cases.addEntry(a.actor, { reference: input.reference, version: input.version, type: input.entryType ?? "note", text: input.text }, request, a.view),
    done: (view) => `Recorded on ${view.reference}.`,
  },
  refer: {
    verb: VERBS.refer,
    schema: schema.referSchema,
    run: (a, input: z.output<typeof schema.referSchema>, request) =>
      a.deps.core.cases.referToPartner(
        a.actor,
        { reference: input.reference, version: input.version, partner: input.partner, workingDays: input.workingDays === undefined ? undefined : Number(input.workingDays), text: input.note },
        request,
        a.view,
      ),
    done: (view) => `${view.reference} referred; reply expected by ${view.referrals.at(-1)?.expectedByText}.`,
  },
  partnerReply: {
    verb: VERBS.partnerReply,
    schema: schema.partnerReplySchema,
    run: (a, input: z.output<typeof schema.partnerReplySchema>, request) =>
      a.deps.core.cases.recordPartnerReply(a.actor, { reference: input.reference, version: input.version, partner: input.partner, text: input.text }, request, a.view),
    done: (view) => `Partner reply recorded on ${view.reference}.`,
  },
  respond: {
    verb: VERBS.respond,
    schema: schema.respondSchema,
    run: (a, input: z.output<typeof schema.respondSchema>, request) =>
      a.deps.core.cases.respondToCase(a.actor, { reference: input.reference, version: input.version, text: input.text }, request, a.view),
    done: (view) => `Full response recorded on ${view.reference}. Close it when done.`,
  },
  close: {
    verb: VERBS.close,
    schema: schema.closeSchema,
    run: (a, input: z.output<typeof schema.closeSchema>, request) =>
      a.deps.core.cases.closeCase(a.actor, { reference: input.reference, version: input.version, outcome: input.outcome, text: input.text }, request, a.view),
    done: (view) => `Closed ${view.reference} (${view.outcome}).`,
  },
  reopen: {
    verb: VERBS.reopen,
    schema: schema.reopenSchema,
    run: (a, input: z.output<typeof schema.reopenSchema>, request) =>
      a.deps.core.cases.reopenCase(a.actor, { reference: input.reference, version: input.version, reason: input.reason }, request, a.view),
    done: (view) => `Reopened ${view.reference}; respond by ${view.response.dueText}.`,
  },
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
    const view = await spec.run(a, input as never, request(a, input.reference, input.version));
    return await changed(a, view, spec.done(view));
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
    case VERBS.acknowledge: {
      const input = parseData(schema.versionedRefSchema, data);
      const view = await cases.acknowledgeCase(a.actor, input, request(a, input.reference, input.version), a.view);
      return changed(a, view, `Acknowledged ${view.reference}.`);
    }
    case VERBS.assignToMe: {
      const input = parseData(schema.versionedRefSchema, data);
      const view = await cases.assignCase(a.actor, { ...input, assignee: "me" }, request(a, input.reference, input.version), a.view);
      return changed(a, view, `${view.reference} is now with ${view.assignee?.name ?? "you"}.`);
    }
    case VERBS.chase: {
      const input = parseData(schema.versionedRefSchema, data);
      const view = await cases.chasePartner(a.actor, input, request(a, input.reference, input.version), a.view);
      return changed(a, view, `Chase recorded on ${view.reference}.`);
    }
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
