import { z } from "zod";

const REFERENCE = /^[A-Z][A-Z0-9]{0,9}-\d{4}-\d{4,}$/;

/** A constituent named by their record number (C12, #12) or by one of their case references. */
export const constituentRefSchema = z
  .union([z.number().int().positive(), z.string()], { error: "Say which constituent: C12, or one of their case references." })
  .transform((value, ctx): { id: number } | { reference: string } => {
    if (typeof value === "number") return { id: value };
    const text = value.trim().toUpperCase();
    const number = /^[C#]?(\d{1,9})$/.exec(text);
    if (number) return { id: Number(number[1]) };
    if (REFERENCE.test(text)) return { reference: text };
    ctx.addIssue({ code: "custom", message: "Say which constituent: C12 (their record number), or one of their case references like PFCC-2026-0042." });
    return z.NEVER;
  });

/** Whoever logs says the person is a known constituent (C12) or a new one. */
export const constituentChoiceSchema = z
  .union([z.literal("new"), z.number().int().positive(), z.string()])
  .optional()
  .transform((value, ctx): { existing: number } | "new" | undefined => {
    if (value === undefined || value === "") return undefined;
    if (value === "new") return "new";
    if (typeof value === "number") return { existing: value };
    const number = /^[C#]?(\d{1,9})$/i.exec(value.trim());
    if (number) return { existing: Number(number[1]) };
    ctx.addIssue({ code: "custom", message: "Say which constituent (C12) or new." });
    return z.NEVER;
  });

export const mergeConstituentsSchema = z.object({
  keep: constituentRefSchema,
  other: constituentRefSchema,
  reason: z
    .string({ error: "Say why the records are one person." })
    .trim()
    .min(1, "Say why the records are one person.")
    .max(1000, "The reason is too long (at most 1000 characters)."),
});
