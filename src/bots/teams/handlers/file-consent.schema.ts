import { z } from "zod";

/**
 * What a FileConsentCard carries, and what Teams sends back with the person's answer
 * (`fileConsent/invoke`). The card holds how to make the file again, never its bytes.
 */

/** The command that made the file: the core makes it again, for whoever accepts, when they do. */
export const fileOfferSchema = z.object({
  command: z.discriminatedUnion("name", [
    z.object({ name: z.literal("export"), period: z.string().min(1).max(100).optional() }),
    z.object({ name: z.literal("sar"), who: z.string().min(1).max(300) }),
    z.object({ name: z.literal("statement"), quarter: z.string().min(1).max(20).optional() }),
    z.object({ name: z.literal("file"), reference: z.string().min(1).max(40), which: z.string().min(1).max(300) }),
  ]),
  /** Which of the command's files (a subject access request makes several). */
  filename: z.string().min(1).max(300),
  /** A case's file is the same bytes for ever: made again, it must match what was offered. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type FileOffer = z.output<typeof fileOfferSchema>;
export type FileOfferCommand = FileOffer["command"];

const address = z.url({ protocol: /^https?$/ }).max(4000);

export const fileConsentSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("accept"),
    context: fileOfferSchema,
    uploadInfo: z.object({
      name: z.string().min(1).max(400),
      uploadUrl: address,
      contentUrl: address,
      uniqueId: z.string().min(1).max(200),
      fileType: z.string().max(40).optional().default(""),
    }),
  }),
  // A decline reads nothing and sends nothing; its context only names what was not sent.
  z.object({ action: z.literal("decline"), context: fileOfferSchema.optional().catch(undefined) }),
]);
