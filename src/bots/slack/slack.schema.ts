import { z } from "zod";
import { isCaseAction } from "../../domain/cases/case-actions.ts";

/** Everything Slack hands back to us that we wrote earlier — button values, private_metadata — parsed again. */

/** The value one of several controls of an action carries (a template's key, a letter's number); checked again by the core. */
const controlValue = z.union([z.string().max(40), z.number().int().positive()]).optional();

export const buttonValueSchema = z.object({
  r: z.string().min(1).max(40),
  v: z.number().int().positive(),
  p: controlValue,
  /** Set when the control opens its action's form rather than acting at once. */
  f: z.literal(1).optional(),
});
export type ButtonValue = z.infer<typeof buttonValueSchema>;

/** A case card menu option: the action whose form it opens, with the case and version. */
export const menuValueSchema = buttonValueSchema.extend({ a: z.string().max(40) });

/** Where the card that started an action sits, so it can be updated in place afterwards. */
export const cardOriginSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), channel: z.string().max(40), ts: z.string().max(40) }),
  z.object({ kind: z.literal("ephemeral"), responseUrl: z.url().max(500) }),
  z.object({ kind: z.literal("home") }),
  z.object({ kind: z.literal("none") }),
]);
export type CardOrigin = z.infer<typeof cardOriginSchema>;

export const actionMetadataSchema = z.object({
  action: z.string().refine(isCaseAction),
  /** The fields the modal showed (by the core's names), so an emptied one reads as cleared. */
  asked: z.array(z.string().max(40)).max(30),
  reference: z.string().max(40),
  version: z.number().int().positive(),
  origin: cardOriginSchema,
  /** The value the control that opened the form carried (a template's key, a letter's number). */
  p: controlValue,
});
export type ActionMetadata = z.infer<typeof actionMetadataSchema>;

export const logMetadataSchema = z.object({
  /** Where to say "logged": the channel the command or shortcut came from, or the reply URL. */
  responseUrl: z.url().max(500).optional(),
  sourceLink: z.string().max(500).optional(),
});
export type LogMetadata = z.infer<typeof logMetadataSchema>;

/** The files a file_input held when the form was submitted, as Slack describes them. */
export const submittedFilesSchema = z
  .array(z.object({ id: z.string().regex(/^F[A-Z0-9]+$/), name: z.string().max(1000), url_private: z.url(), size: z.number().int().nonnegative().optional() }))
  .max(10);

/** A triage card control's value: the email's number, and the reason or person chosen. */
export const intakeValueSchema = z.object({
  i: z.number().int().positive(),
  r: z.string().max(20).optional(),
  c: z.string().max(20).optional(),
});

/** The Add to case… modal's metadata: the email. */
export const intakeAttachMetadataSchema = z.object({ i: z.number().int().positive() });

/** The Not casework modal's metadata (a reason that needs a note): the email, and the reason chosen. */
export const intakeDismissMetadataSchema = z.object({ i: z.number().int().positive(), r: z.string().max(20) });

/** Parses JSON we wrote ourselves; anything else is treated as absent, never trusted. */
export function parseJson<T>(schema: z.ZodType<T>, text: string | undefined): T | null {
  if (!text) return null;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** Slack's tokens_revoked event: whose tokens were revoked, user tokens (`oauth`) and bot tokens (`bot`), by user id. */
export const tokensRevokedSchema = z.object({
  tokens: z.object({ oauth: z.array(z.string().max(40)).max(1000).optional(), bot: z.array(z.string().max(40)).max(1000).optional() }),
});
