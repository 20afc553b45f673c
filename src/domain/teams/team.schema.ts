import { z } from "zod";
import { referenceSchema, text, versionSchema } from "../cases/case.schema.ts";
import { TYPE_WORDS } from "../clocks/case-clock.ts";

const TYPE_NAMES = Object.keys(TYPE_WORDS);

/** `foi,sar` as typed: the words of `type`, each once. */
const caseTypes = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").map((word) => word.trim().toLowerCase()).filter(Boolean) : value),
  z.array(z.enum(TYPE_NAMES as [string, ...string[]], { error: `Route case types by their words: ${TYPE_NAMES.join(", ")} (none: the office's own standard).` })).transform((words) => [...new Set(words)]),
);

export const addTeamSchema = z.object({
  name: text("The team's name", 60),
  lead: z.string().trim().min(1, "Say who leads the team (a name, an email or a Slack or Teams id).").optional(),
  caseTypes: caseTypes.optional(),
});
export type AddTeamInput = z.input<typeof addTeamSchema>;

export const changeTeamSchema = z.object({
  team: text("The team", 60),
  lead: z.string().trim().min(1, "Say who leads the team (a name, an email or a Slack or Teams id).").optional(),
  caseTypes: caseTypes.optional(),
});

export const teamMemberSchema = z.object({ team: text("The team", 60), person: text("Who", 200) });

export const moveTeamSchema = z.object({
  reference: referenceSchema,
  team: text("The team", 60),
  version: versionSchema,
});
