import type { z } from "zod";
import type { Actor } from "../staff/roles.ts";
import type { CaseChange, CaseRecord } from "./case-record.ts";
import type { CaseView } from "./case-view.ts";
import {
  acknowledgeSchema,
  addEntrySchema,
  assignSchema,
  chaseSchema,
  closeSchema,
  partnerReplySchema,
  referSchema,
  reopenSchema,
  respondSchema,
} from "./case.schema.ts";
import * as lifecycle from "./lifecycle.ts";
import { assertCanAssign, assertCanHandleIntake, assertCanProgress } from "./permissions.ts";

/**
 * Every action on an existing case, defined once: its input, who may do it (checked with
 * the lifecycle's decision, on the case as it is when the change is written), and the
 * sentence that confirms it, the same on every platform. `CaseService.perform` carries
 * them all; an action is added here, with its rule in lifecycle.ts and its test.
 */

/** What an action's decision sees. `assignee` is the person an assignment names, resolved beforehand. */
export interface ActionContext<Input> {
  actor: Actor;
  record: CaseRecord;
  input: Input;
  rules: lifecycle.RuleContext;
  assignee?: Actor;
}

export interface CaseActionSpec<Schema extends z.ZodType<{ reference: string; version?: number }>> {
  schema: Schema;
  /** Whether the input names a member of staff to look up first (the assignee). */
  namesAssignee?: (input: z.output<Schema>) => number | string;
  decide: (ctx: ActionContext<z.output<Schema>>) => CaseChange;
  confirm: (view: CaseView, input: z.output<Schema>) => string;
}

function action<Schema extends z.ZodType<{ reference: string; version?: number }>>(spec: CaseActionSpec<Schema>): CaseActionSpec<Schema> {
  return spec;
}

export const CASE_ACTIONS = {
  acknowledge: action({
    schema: acknowledgeSchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanHandleIntake(actor);
      return lifecycle.acknowledge(record, input.method, rules);
    },
    confirm: (view) => `Acknowledged ${view.reference}.`,
  }),
  assign: action({
    schema: assignSchema,
    namesAssignee: (input) => input.assignee,
    decide: ({ actor, record, assignee }) => {
      assertCanAssign(actor, record, assignee!);
      return lifecycle.assign(record, assignee!);
    },
    confirm: (view) => `${view.reference} is now with ${view.assignee?.name ?? "nobody"}.`,
  }),
  add_entry: action({
    schema: addEntrySchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.recordWork(record, input.type, input.text, rules);
    },
    confirm: (view) => `Recorded on ${view.reference}.`,
  }),
  refer: action({
    schema: referSchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.referToPartner(record, input.partner, input.workingDays, input.text, rules);
    },
    confirm: (view, input) => `${view.reference} referred to ${input.partner}; reply expected by ${view.referrals.at(-1)?.expectedByText}.`,
  }),
  partner_reply: action({
    schema: partnerReplySchema,
    decide: ({ actor, record, input }) => {
      assertCanProgress(actor, record);
      return lifecycle.recordPartnerReply(record, input.partner, input.text);
    },
    confirm: (view) => `Partner reply recorded on ${view.reference}.`,
  }),
  chase: action({
    schema: chaseSchema,
    decide: ({ actor, record, input }) => {
      assertCanProgress(actor, record);
      return lifecycle.chasePartner(record, input.partner, input.text);
    },
    confirm: (view) => `Chase recorded on ${view.reference}.`,
  }),
  respond: action({
    schema: respondSchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.respond(record, input.text, rules);
    },
    confirm: (view) => `Full response recorded on ${view.reference}. Close it when done: close ${view.reference} responded.`,
  }),
  close: action({
    schema: closeSchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.close(record, input.outcome, input.text, rules);
    },
    confirm: (view) => `Closed ${view.reference} (${view.outcome}).`,
  }),
  reopen: action({
    schema: reopenSchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.reopen(record, input.reason, rules);
    },
    confirm: (view) => `Reopened ${view.reference}; respond by ${view.response.dueText}.`,
  }),
};

export type CaseAction = keyof typeof CASE_ACTIONS;
