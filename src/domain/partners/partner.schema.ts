import { z } from "zod";

/** Inputs of the partner directory's operations. Adapters hand raw values; these parse them. */

// eslint-disable-next-line no-control-regex -- names must not carry control characters
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/;

/** A partner's name or alias as written, with its spaces collapsed. */
const partnerName = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .transform((value) => value.replace(/\s+/gu, " ").trim())
    .pipe(
      z
        .string()
        .min(1, `${label} is required.`)
        .max(120, `${label} is at most 120 characters.`)
        .refine((value) => !CONTROL_CHARACTERS.test(value), `${label} cannot contain control characters.`),
    );

const REPLY_DAYS = "Reply days must be a whole number of working days from 1 to 60";

const days = z.number({ error: `${REPLY_DAYS}.` }).int(`${REPLY_DAYS}.`).min(1, `${REPLY_DAYS}.`).max(60, `${REPLY_DAYS}.`);

/** Typed as text at the CLI and in chat, so digits are read as a number (and "default" as the office default). */
function typedDays(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  return value.trim().toLowerCase() === "default" ? null : value;
}

/** Working days a partner usually has to reply. */
const replyDays = z.preprocess(typedDays, days);

const aliases = (label: string) => z.array(partnerName(label)).max(20, "Give at most 20 aliases at once.").default([]);

const contact = z
  .string()
  .transform((value) => value.replace(/\s+/gu, " ").trim())
  .pipe(z.string().max(300, "A contact is at most 300 characters.").refine((value) => !CONTROL_CHARACTERS.test(value), "A contact cannot contain control characters."));

export const addPartnerSchema = z.object({
  name: partnerName("The partner's name"),
  aliases: aliases("An alias"),
  replyDays: replyDays.optional(),
  contact: contact.optional().transform((value) => value || undefined),
});
export type AddPartnerInput = z.input<typeof addPartnerSchema>;

export const changePartnerSchema = z.object({
  /** The partner's name or one of its aliases. */
  partner: partnerName("Which partner"),
  addAliases: aliases("An alias"),
  removeAliases: aliases("An alias to remove"),
  /** A number of working days, or "default" for the office default. */
  replyDays: z.preprocess(typedDays, days.nullable().optional()),
  /** Empty clears it. */
  contact: contact.optional().transform((value) => (value === undefined ? undefined : value || null)),
  rename: partnerName("The new name").optional(),
  active: z.boolean().optional(),
});
export type ChangePartnerInput = z.input<typeof changePartnerSchema>;
