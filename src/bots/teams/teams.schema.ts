import { z } from "zod";
import { isCaseAction } from "../../domain/cases/case-actions.ts";

/**
 * What arrives from Teams inside activities we act on: Action.Execute `data` (the
 * card's own data merged with its input values) and message-extension payloads.
 * Parsed here so a tampered or stale card can only ever produce `invalid_input`.
 */

const reference = z.string().min(1).max(40);
const version = z.coerce.number().int().positive();
/** Card inputs arrive as strings; an empty input is simply absent. */
const input = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));

export const caseRefSchema = z.object({ reference, version: version.optional() });

export const versionedRefSchema = z.object({ reference, version });

export const openFormSchema = versionedRefSchema.extend({
  form: z.string().refine(isCaseAction),
});

/**
 * A submitted action form: the case and version, the inputs the form showed (`asked`), and
 * each input's value under the core's name for it. Numbers and dates arrive as strings or numbers.
 */
export const actionFormSchema = versionedRefSchema
  .extend({ asked: z.string().max(500).optional() })
  .catchall(z.union([z.string().max(25_000), z.number(), z.boolean(), z.null()]).optional());

/** The log form's inputs; ids match the core's field paths so its errors land beside the right input. */
export const logFormSchema = z.object({
  formId: z.string().min(8).max(64),
  channel: input,
  receivedOn: input,
  "constituent.name": input,
  "constituent.email": input,
  "constituent.phone": input,
  "constituent.address": input,
  subject: input,
  summary: input,
  kind: input,
  /** Its statutory type (blank: none) and the dates its clock needs (case-clock.ts). */
  type: input,
  outcomeLetterOn: input,
  misdirectedOn: input,
  responseSentOn: input,
  themes: input,
  sensitive: z
    .union([z.string(), z.boolean()])
    .optional()
    .transform((value) => value === true || value === "true"),
  assignee: input,
  /** Asked only when the person is probably someone on record: C12, or "new". */
  constituentChoice: input,
});
export type LogFormValues = z.output<typeof logFormSchema>;

export const adaptiveCardInvokeSchema = z.object({
  action: z.object({
    type: z.literal("Action.Execute"),
    verb: z.string().min(1).max(64),
    data: z.record(z.string(), z.unknown()).optional().default({}),
  }),
});

/** `composeExtension/fetchTask` for a message action: the message it was started from. */
export const messageActionSchema = z.object({
  commandId: z.string(),
  commandContext: z.string().optional(),
  messagePayload: z
    .object({
      id: z.string().optional(),
      createdDateTime: z.string().optional(),
      body: z.object({ contentType: z.string().optional(), content: z.string().optional() }).optional(),
      from: z.object({ user: z.object({ displayName: z.string().optional() }).nullish() }).nullish(),
    })
    .optional(),
});

export const submitActionSchema = messageActionSchema.extend({
  data: z.record(z.string(), z.unknown()).optional().default({}),
});

/**
 * `composeExtension/query`: what was typed in the search box (the command's parameters,
 * among them `initialRun` when the search opens) and which page of results Teams wants.
 */
export const messageExtensionQuerySchema = z.object({
  commandId: z.string().max(64),
  parameters: z.array(z.object({ name: z.string().max(64), value: z.string().max(1000).optional() })).max(5).optional().default([]),
  queryOptions: z.object({ skip: z.number().int().min(0).max(10_000).optional(), count: z.number().int().min(1).max(100).optional() }).optional(),
});

/** A triage card's Action.Execute data: the email, and whatever its inputs held (the core validates each). */
export const intakeCardSchema = z.object({
  intakeId: z.number().int().positive(),
  reference: z.string().max(200).optional(),
  /** One of the sender's open cases, chosen from the Add to case… list. */
  openCase: z.string().max(200).optional(),
  reason: z.string().max(40).optional(),
  note: z.string().max(2000).optional(),
  constituentChoice: z.string().max(20).optional(),
});
