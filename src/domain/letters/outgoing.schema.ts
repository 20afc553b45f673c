import { z } from "zod";
import { optionalText, referenceSchema, text } from "../cases/case.schema.ts";
import { templateFormSchema, templateKeySchema } from "./templates.ts";

/** Inputs of the letter and email actions (case-actions.ts); the core parses what adapters hand it. */

const version = z.number().int().positive().optional();

/** An item's number on its case, as typed (`send PFCC-2026-0042 2`). */
const itemNumber = z.coerce
  .number({ error: "Say which letter or email, by its number on the case (outgoing <ref> lists them)." })
  .int("Say which letter or email, by its number on the case (outgoing <ref> lists them).")
  .min(1, "Say which letter or email, by its number on the case (outgoing <ref> lists them).")
  .max(100_000, "There is no letter or email with that number.");

const MAX_WORDS = 20_000;

/**
 * Words a person wrote in a form (a card's draft, or new words for one): kept as typed, line
 * ends made plain; an empty value is refused where it is read, naming the field.
 */
const writtenWords = z.string().max(MAX_WORDS + 300, `A letter is at most ${MAX_WORDS} characters.`).optional();
const writtenSubject = z.string().max(250, "A subject is at most 200 characters.").optional();

export const draftSchema = z.object({
  reference: referenceSchema,
  template: templateKeySchema,
  /** email or letter; without it, email when the recipient has an address, else letter. */
  form: z.preprocess((value) => (value === "" || value === null ? undefined : typeof value === "string" ? value.toLowerCase() : value), templateFormSchema.optional()),
  partner: optionalText("Partner", 120),
  /** The words as a person edited them before saving (a card's draft form); without them, the template's merged words. */
  text: writtenWords,
  /** An email's subject as edited (the reference is put in front as it goes); without it, the template's. */
  subject: writtenSubject,
  version,
});

export const redraftSchema = z.object({
  reference: referenceSchema,
  item: itemNumber,
  /** The new words, read from a file at the console: for an email, a first line `Subject: …` replaces the subject. */
  text: z
    .string({ error: "New words for a letter or email come from a file, at the console: postbag redraft <ref> <n> <file>." })
    .max(MAX_WORDS + 300, `A letter is at most ${MAX_WORDS} characters.`),
  /** An email's new subject, from a card's form (at the console it is the file's first line, `Subject: …`). */
  subject: writtenSubject,
  version,
});

export const itemSchema = z.object({ reference: referenceSchema, item: itemNumber, version });

export const sendBackSchema = z.object({ reference: referenceSchema, item: itemNumber, comment: text("What needs changing", 2000), version });

export const sendSchema = z.object({
  reference: referenceSchema,
  item: itemNumber,
  /** For a sensitive case's constituent: the address typed again, to be sure it is theirs. */
  confirmAddress: optionalText("The address confirmed", 254),
  version,
});

/**
 * A draft from a template sent at once, by one act (a card's "Send acknowledgement…"): the
 * draft's inputs (its words as the form showed them, edited or not) and what sending asks.
 */
export const sendNewSchema = draftSchema.extend({
  /** For a sensitive case's constituent: the address typed again, to be sure it is theirs. */
  confirmAddress: optionalText("The address confirmed", 254),
});

export type DraftInput = z.output<typeof draftSchema>;
export type SendNewInput = z.output<typeof sendNewSchema>;
export type RedraftInput = z.output<typeof redraftSchema>;
export type SendInput = z.output<typeof sendSchema>;
