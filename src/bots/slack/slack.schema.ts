import { z } from "zod";

/** Everything Slack hands back to us that we wrote earlier — button values, private_metadata — parsed again. */

export const buttonValueSchema = z.object({
  r: z.string().min(1).max(40),
  v: z.number().int().positive(),
});
export type ButtonValue = z.infer<typeof buttonValueSchema>;

/** Where the card that started an action sits, so it can be updated in place afterwards. */
export const cardOriginSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), channel: z.string().max(40), ts: z.string().max(40) }),
  z.object({ kind: z.literal("ephemeral"), responseUrl: z.url().max(500) }),
  z.object({ kind: z.literal("home") }),
  z.object({ kind: z.literal("none") }),
]);
export type CardOrigin = z.infer<typeof cardOriginSchema>;

export const ACTION_MODALS = ["add_update", "refer", "partner_reply", "respond", "close", "reopen"] as const;
export type ActionModal = (typeof ACTION_MODALS)[number];

export const actionMetadataSchema = z.object({
  action: z.enum(ACTION_MODALS),
  reference: z.string().max(40),
  version: z.number().int().positive(),
  origin: cardOriginSchema,
});
export type ActionMetadata = z.infer<typeof actionMetadataSchema>;

export const logMetadataSchema = z.object({
  /** Where to say "logged": the channel the command or shortcut came from, or the reply URL. */
  responseUrl: z.url().max(500).optional(),
  sourceLink: z.string().max(500).optional(),
});
export type LogMetadata = z.infer<typeof logMetadataSchema>;

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
