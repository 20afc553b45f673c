import { z } from "zod";
import { constituentChoiceSchema } from "../constituents/constituent.schema.ts";
import { isLocalDate } from "../calendar/local-date.ts";
import { TYPE_NAMES } from "../clocks/type-words.ts";
import { ACK_METHODS, CHANNELS, KINDS, LINK_KINDS, OUTCOMES, WORK_ENTRY_TYPES, type LinkKind } from "./vocabulary.ts";

/** Inputs of every case operation. Adapters hand these raw values; the core parses them. */

const REFERENCE = /^[A-Z][A-Z0-9]{0,9}-\d{4}-\d{4,}$/;

// Control characters (but not tab or newline) are stripped from free text: they break every platform's rendering.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g; // eslint-disable-line no-control-regex

export const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .transform((value) => value.replace(CONTROL_CHARACTERS, "").trim())
    .pipe(
      z
        .string()
        .min(1, `${label} is required.`)
        .max(max, `${label} is too long (at most ${max} characters).`),
    );

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .optional()
    .nullable()
    .transform((value) => value?.replace(CONTROL_CHARACTERS, "").trim() || undefined)
    .pipe(z.string().max(max, `${label} is too long (at most ${max} characters).`).optional());

export const referenceSchema = z
  .string({ error: "A case reference is required, like PFCC-2026-0042." })
  .transform((value) => value.trim().toUpperCase())
  .refine((value) => REFERENCE.test(value), { message: "That is not a case reference. They look like PFCC-2026-0042." });

export const localDateSchema = (label: string) =>
  z
    .string({ error: `${label} is required, as YYYY-MM-DD.` })
    .trim()
    .refine(isLocalDate, { message: `${label} must be a real date written YYYY-MM-DD, like 2026-12-24.` });

export const versionSchema = z.number().int().positive().optional();

/** When a step actually happened, if it is recorded later ("I acknowledged it by phone yesterday"). */
const happenedOnSchema = z.preprocess((value) => (value === "" || value === null ? undefined : value), localDateSchema("When it happened").optional());

/** A detail that can be cleared: absent leaves it, empty clears it (null), else the new text. */
const clearable = (label: string, max: number) =>
  z
    .string()
    .nullable()
    .optional()
    .transform((value) => (value === undefined ? undefined : value === null ? null : value.replace(CONTROL_CHARACTERS, "").trim() || null))
    .pipe(z.string().max(max, `${label} is too long (at most ${max} characters).`).nullable().optional());

export const themeSchema = z
  .string()
  .transform((value) => value.trim().toLowerCase().replace(/\s+/g, " "))
  .pipe(z.string().min(1).max(60, "A theme is at most 60 characters."));

const optionalDay = (label: string) => z.preprocess((value) => (value === "" || value === null ? undefined : value), localDateSchema(label).optional());

export const logCaseSchema = z.object({
  channel: z.enum(CHANNELS, { error: `Channel must be one of: ${CHANNELS.join(", ")}.` }),
  receivedOn: localDateSchema("Date received"),
  constituent: z.object({
    name: text("Constituent name", 200),
    email: optionalText("Email", 254).pipe(z.email("That email address does not look right.").optional()),
    phone: optionalText("Phone", 40),
    address: optionalText("Address", 500),
  }),
  subject: text("Subject", 200),
  summary: optionalText("Summary", 20_000).transform((value) => value ?? ""),
  kind: z.enum(KINDS, { error: `Kind must be one of: ${KINDS.join(", ")}.` }).default("casework"),
  themes: z.array(themeSchema).max(20, "At most 20 themes.").default([]),
  sensitive: z.boolean().default(false),
  /** Staff id, or a name, email or platform user id to look up. */
  assignee: z.union([z.number().int().positive(), text("Assignee", 200)]).optional(),
  /** When the person is probably a known constituent: which one (C12), or "new". */
  constituentChoice: constituentChoiceSchema,
  /** Its statutory type (domain/clocks), when known at logging: its clock runs from the start and it goes to that type's queue. */
  type: z.preprocess(
    (value) => (typeof value === "string" ? (value.trim() === "" ? undefined : value.trim().toLowerCase()) : value),
    z.enum(TYPE_NAMES, { error: `Say which statutory type: ${TYPE_NAMES.join(", ")}.` }).optional(),
  ),
  outcomeLetterOn: optionalDay("The date of the force's outcome letter"),
  misdirectedOn: optionalDay("The day the IOPC received it"),
  responseSentOn: optionalDay("The day the response was sent"),
});
export type LogCaseInput = z.input<typeof logCaseSchema>;

export const acknowledgeSchema = z.object({
  reference: referenceSchema,
  method: z.enum(ACK_METHODS, { error: `Acknowledgement method must be one of: ${ACK_METHODS.join(", ")}.` }).optional(),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

export const assignSchema = z.object({
  reference: referenceSchema,
  assignee: z.union([z.number().int().positive(), text("Assignee", 200)]),
  version: versionSchema,
});

export const addEntrySchema = z.object({
  reference: referenceSchema,
  type: z.enum(WORK_ENTRY_TYPES, { error: `Entry type must be one of: ${WORK_ENTRY_TYPES.join(", ")}.` }).default("note"),
  text: text("The update", 20_000),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

/**
 * A file for a case: its bytes as received (the CLI reads them from disk, Slack and Teams
 * download them) and the name it was given. The core checks size and type itself.
 */
export const attachSchema = z.object({
  reference: referenceSchema,
  filename: z.string({ error: "Say what the file is called." }).max(1000, "That filename is too long."),
  bytes: z.instanceof(Uint8Array, {
    error: "Send the file with the command: at the command line attach <ref> <file>; in Slack share it in the thread of the case's card; in Teams attach it to the message attach <ref>.",
  }),
  source: z.enum(["upload", "email"]).default("upload"),
  version: versionSchema,
});

export const referSchema = z.object({
  reference: referenceSchema,
  partner: text("Partner", 120),
  workingDays: z
    .number({ error: "Working days must be a whole number." })
    .int("Working days must be a whole number.")
    .min(1, "Working days must be at least 1.")
    .max(60, "Working days can be at most 60.")
    .optional(),
  text: optionalText("Note", 20_000),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

export const partnerReplySchema = z.object({
  reference: referenceSchema,
  partner: optionalText("Partner", 120),
  text: text("The partner's reply", 20_000),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

export const chaseSchema = z.object({
  reference: referenceSchema,
  partner: optionalText("Partner", 120),
  text: optionalText("Note", 20_000),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

export const respondSchema = z.object({
  reference: referenceSchema,
  text: text("The response", 20_000),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

export const closeSchema = z.object({
  reference: referenceSchema,
  outcome: z.enum(OUTCOMES, { error: `Outcome must be one of: ${OUTCOMES.join(", ")}.` }),
  text: optionalText("Note", 20_000),
  /** The original, when closed as a duplicate: the two are linked. */
  duplicateOf: z.preprocess((value) => (value === "" || value === null ? undefined : value), referenceSchema.optional()),
  happenedOn: happenedOnSchema,
  version: versionSchema,
});

export const reopenSchema = z.object({
  reference: referenceSchema,
  reason: text("The reason for reopening", 20_000),
  version: versionSchema,
});

const reasonSchema = (label: string) => text(label, 2_000);

/** Themes typed as one line ("noise, parking") or given as a list. */
const themesSchema = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").filter((theme) => theme.trim() !== "") : value),
  z.array(themeSchema).max(20, "At most 20 themes."),
);

/** A correction of what was logged; only the fields given change, and at least one must. */
export const editDetailsSchema = z.object({
  reference: referenceSchema,
  name: text("Constituent name", 200).optional(),
  email: clearable("Email", 254).pipe(z.email("That email address does not look right.").nullable().optional()),
  phone: clearable("Phone", 40),
  address: clearable("Address", 500),
  subject: text("Subject", 200).optional(),
  summary: clearable("Summary", 20_000),
  kind: z.enum(KINDS, { error: `Kind must be one of: ${KINDS.join(", ")}.` }).optional(),
  channel: z.enum(CHANNELS, { error: `Channel must be one of: ${CHANNELS.join(", ")}.` }).optional(),
  themes: themesSchema.optional(),
  version: versionSchema,
});
export type DetailsEdit = Omit<z.output<typeof editDetailsSchema>, "reference" | "version">;

export const correctReceiptSchema = z.object({
  reference: referenceSchema,
  receivedOn: localDateSchema("The correct date received"),
  reason: reasonSchema("The reason for the correction"),
  version: versionSchema,
});

export const setSensitiveSchema = z.object({
  reference: referenceSchema,
  sensitive: z.preprocess(
    (value) => (value === "on" || value === "true" ? true : value === "off" || value === "false" ? false : value),
    z.boolean({ error: "Say on or off." }),
  ),
  reason: optionalText("Reason", 2_000),
  version: versionSchema,
});

export const voidSchema = z.object({
  reference: referenceSchema,
  reason: reasonSchema("The reason for voiding"),
  version: versionSchema,
});

export const searchSchema = z.object({
  text: text("Search text", 200).refine((value) => value.length >= 2, "Search for at least 2 characters."),
});

/** The ways people write a link's kind. */
const LINK_WORDS: Record<string, LinkKind> = {
  same: "same_matter",
  "same-matter": "same_matter",
  same_matter: "same_matter",
  previous: "previous_correspondence",
  "previous-correspondence": "previous_correspondence",
  previous_correspondence: "previous_correspondence",
  duplicate: "duplicate_of",
  "duplicate-of": "duplicate_of",
  duplicate_of: "duplicate_of",
};

export const linkSchema = z.object({
  reference: referenceSchema,
  other: referenceSchema,
  kind: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? "same_matter" : LINK_WORDS[value.trim().toLowerCase()]))
    .pipe(z.enum(LINK_KINDS, { error: "How are they linked? same-matter, previous (the other came first) or duplicate-of." })),
  version: versionSchema,
});
