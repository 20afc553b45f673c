import { z } from "zod";
import { KINDS } from "../cases/vocabulary.ts";
import { themeSchema } from "../cases/case.schema.ts";
import { constituentChoiceSchema } from "../constituents/constituent.schema.ts";
import { DISMISS_REASONS, type DismissReason, type IncomingMail } from "./intake-message.ts";

/** Inputs of the intake operations, as adapters hand them over; and what a mailbox gave, made safe to keep. */

// Control characters (but not tab or newline) are stripped: they break every platform's rendering.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g; // eslint-disable-line no-control-regex

const optionalText = (label: string, max: number) =>
  z
    .string()
    .optional()
    .nullable()
    .transform((value) => value?.replace(CONTROL_CHARACTERS, "").trim() || undefined)
    .pipe(z.string().max(max, `${label} is too long (at most ${max} characters).`).optional());

/** A message's number as people see it: `12` or `#12`. */
export const messageNumberSchema = z
  .union([z.number(), z.string()], { error: "Say which message, by its number in intake list." })
  .transform((value) => (typeof value === "number" ? value : Number(value.trim().replace(/^#/, ""))))
  .pipe(z.number({ error: "Say which message, by its number in intake list." }).int("A message number is a whole number, like 12.").positive("A message number is a whole number, like 12.").max(2_147_483_647, "There is no message with that number."));

export const intakeListSchema = z.object({ all: z.boolean().default(false) });

export const logIntakeSchema = z.object({
  id: messageNumberSchema,
  /** The constituent's name when the sender's name is wrong or missing. */
  name: optionalText("Constituent name", 200),
  subject: optionalText("Subject", 200),
  kind: z.enum(KINDS, { error: `Kind must be one of: ${KINDS.join(", ")}.` }).optional(),
  themes: z.array(themeSchema).max(20, "At most 20 themes.").default([]),
  sensitive: z.boolean().default(false),
  assignee: optionalText("Assignee", 200),
  constituentChoice: constituentChoiceSchema,
});

/**
 * Add to case: a reference typed, or else `openCase`, one of the sender's open cases chosen
 * from a list (the triage card's form on every platform offers both; what is typed wins).
 */
export const attachIntakeSchema = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== "object") return raw;
    const { openCase, ...rest } = raw as Record<string, unknown>;
    const typed = typeof rest.reference === "string" && rest.reference.trim() !== "";
    return typed || typeof openCase !== "string" || openCase.trim() === "" ? rest : { ...rest, reference: openCase };
  },
  z.object({
    id: messageNumberSchema,
    reference: z.string({ error: "Say which case to add it to, like PFCC-2026-0042." }).trim().min(1, "Say which case to add it to, like PFCC-2026-0042."),
  }),
);

/** Reasons that say nothing by themselves: a note of what the email is must come with them (every surface asks for it). */
export const NOTE_REQUIRED_FOR: readonly DismissReason[] = ["other"];

export const dismissIntakeSchema = z
  .object({
    id: messageNumberSchema,
    reason: z.enum(DISMISS_REASONS, { error: `Say why it is not casework: ${DISMISS_REASONS.join(", ")}.` }),
    note: optionalText("Note", 500),
  })
  .refine((input) => !NOTE_REQUIRED_FOR.includes(input.reason) || input.note !== undefined, { message: "Say what it is when the reason is other: intake dismiss <n> other <what it is…>.", path: ["note"] });

export const keepClosedSchema = z.object({ id: messageNumberSchema });

const clip = (max: number) => (value: string) => (value.length <= max ? value : value.slice(0, max));
const header = (max: number) => z.string().transform((value) => clip(max)(value.replace(CONTROL_CHARACTERS, "").replace(/\s+/g, " ").trim()));
const messageIdSchema = z
  .string()
  .nullable()
  .transform((value) => value?.trim().replace(/^<|>$/g, "").replace(/\s+/g, "").slice(0, 998) || null);

/**
 * What a mailbox gave, made fit to keep: never refused (a message is always recorded), only
 * cleaned (control characters) and clipped to sizes the screens and the database can hold.
 */
export const incomingMailSchema = z.object({
  messageId: messageIdSchema,
  inReplyTo: messageIdSchema,
  references: z.array(z.string()).transform((ids) => ids.map((id) => id.trim().replace(/^<|>$/g, "")).filter(Boolean).slice(-100).map(clip(998))),
  fromName: header(200),
  fromAddress: z.string().nullable().transform((value) => value?.trim().toLowerCase().slice(0, 254) || null),
  subject: header(998),
  sentAt: z.date().nullable().transform((value) => (value && !Number.isNaN(value.getTime()) ? value : null)),
  text: z.string().transform((value) => clip(1_000_000)(value.replace(CONTROL_CHARACTERS, ""))),
  attachments: z.array(z.object({ filename: header(255), contentType: header(255), size: z.number().int().nonnegative(), content: z.instanceof(Uint8Array) })),
  automatic: z.boolean(),
}) satisfies z.ZodType<IncomingMail, IncomingMail>;
