import { z } from "zod";
import { CHANNELS, KINDS, OUTCOMES } from "./vocabulary.ts";
import { localDateSchema, themeSchema } from "./case.schema.ts";

/**
 * One row of the office's casework spreadsheet (the columns `postbag export` writes).
 * Headers are matched without regard to case, spaces or underscores.
 */
export const IMPORT_COLUMNS = [
  "reference",
  "received_on",
  "channel",
  "constituent_name",
  "constituent_email",
  "constituent_phone",
  "constituent_address",
  "subject",
  "summary",
  "kind",
  "themes",
  "sensitive",
  "assignee",
  "assigned_on",
  "acknowledged_on",
  "responded_on",
  "closed_on",
  "outcome",
] as const;

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalDate = (label: string) => z.preprocess(blank, localDateSchema(label).optional());
const optionalText = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());

export const importRowSchema = z
  .object({
    /** A reference from the old spreadsheet, kept on the timeline; Postbag gives the case its own. */
    reference: optionalText(60),
    received_on: localDateSchema("received_on"),
    channel: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(CHANNELS, { error: `channel must be one of: ${CHANNELS.join(", ")}` })),
    constituent_name: z.string().trim().min(1, "constituent_name is required").max(200),
    constituent_email: z.preprocess(blank, z.email("constituent_email does not look like an email address").optional()),
    constituent_phone: optionalText(40),
    constituent_address: optionalText(500),
    subject: z.string().trim().min(1, "subject is required").max(200),
    summary: optionalText(20_000),
    kind: z.preprocess((v) => blank(typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(KINDS, { error: `kind must be one of: ${KINDS.join(", ")}` }).default("casework")),
    themes: z.preprocess(
      (v) => (typeof v === "string" ? v.split(/[;|]/).map((t) => t.trim()).filter(Boolean) : []),
      z.array(themeSchema).max(20),
    ),
    sensitive: z.preprocess(
      (v) => (typeof v === "string" ? ["yes", "y", "true", "1"].includes(v.trim().toLowerCase()) : false),
      z.boolean(),
    ),
    assignee: optionalText(200),
    /** When the assignee took the case; the receipt date when not given. */
    assigned_on: optionalDate("assigned_on"),
    acknowledged_on: optionalDate("acknowledged_on"),
    responded_on: optionalDate("responded_on"),
    closed_on: optionalDate("closed_on"),
    outcome: z.preprocess((v) => blank(typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(OUTCOMES, { error: `outcome must be one of: ${OUTCOMES.join(", ")}` }).optional()),
  })
  .superRefine((row, ctx) => {
    const order: [string, string | undefined][] = [
      ["assigned_on", row.assigned_on],
      ["acknowledged_on", row.acknowledged_on],
      ["responded_on", row.responded_on],
      ["closed_on", row.closed_on],
    ];
    for (const [name, date] of order) {
      if (date && date < row.received_on) ctx.addIssue({ code: "custom", path: [name], message: `${name} is before received_on` });
    }
    if (row.closed_on && !row.outcome) ctx.addIssue({ code: "custom", path: ["outcome"], message: "a closed case needs an outcome" });
    if (row.outcome && !row.closed_on) ctx.addIssue({ code: "custom", path: ["closed_on"], message: "an outcome needs closed_on" });
    if (row.assigned_on && !row.assignee) ctx.addIssue({ code: "custom", path: ["assigned_on"], message: "assigned_on needs an assignee" });
    if (row.outcome === "responded" && !row.responded_on) ctx.addIssue({ code: "custom", path: ["responded_on"], message: "outcome responded needs responded_on" });
  });

export type ImportRow = z.output<typeof importRowSchema>;
