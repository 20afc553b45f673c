import { z } from "zod";
import type { CaseActionSpec } from "../cases/case-actions.ts";
import type { CaseChange, CaseRecord } from "../cases/case-record.ts";
import { optionalText, referenceSchema, versionSchema } from "../cases/case.schema.ts";
import { assertCanProgress } from "../cases/permissions.ts";
import { DomainError } from "../errors.ts";
import { canWork } from "../staff/roles.ts";
import type { OutgoingOnCase } from "../letters/outgoing.ts";

/**
 * The optional satisfaction question's answers: asked once a case is closed (the
 * `satisfaction` template, sent from the letters desk), the constituent's 1–5 is recorded on
 * the case by whoever reads their reply (an email threaded onto the case, a letter, a call).
 * A later answer on the same case replaces an earlier one in the figures; both stay on the
 * timeline. The quarterly statement counts them (README: "The quarterly complaints statement").
 */

/** 1 very dissatisfied … 5 very satisfied, as the question asks. */
export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;
export const SCORE_WORDS: Record<number, string> = { 1: "very dissatisfied", 2: "dissatisfied", 3: "neither satisfied nor dissatisfied", 4: "satisfied", 5: "very satisfied" };

/** How the answer came. */
export const ANSWERED_BY = ["email", "letter", "phone", "in-person"] as const;

export const recordSatisfactionSchema = z.object({
  reference: referenceSchema,
  score: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
    z.number({ error: "Give their answer as a number from 1 (very dissatisfied) to 5 (very satisfied)." }).int("Give their answer as a whole number from 1 to 5.").min(1, "Give their answer as a number from 1 to 5.").max(5, "Give their answer as a number from 1 to 5."),
  ),
  how: z.preprocess((value) => (value === "" || value === null ? undefined : typeof value === "string" ? value.trim().toLowerCase() : value), z.enum(ANSWERED_BY, { error: `Say how they answered: ${ANSWERED_BY.join(", ")}.` }).default("email")),
  comment: optionalText("What they said", 2000),
  version: versionSchema,
});

/** Whether the satisfaction question reached the person on this case (sent by email, or posted), not one that bounced. */
const asked = (letters: readonly Pick<OutgoingOnCase, "templateKey" | "status">[]) => letters.some((item) => item.templateKey === "satisfaction" && (item.status === "sent" || item.status === "posted"));

/**
 * Whether an answer may be recorded: on a closed case (the question may have gone, or they
 * volunteered it), or on one reopened after the question went — a reply to it often gets a case
 * reopened, and that answer, dissatisfied as it may be, still counts.
 */
export const answerable = (record: Pick<CaseRecord, "status">, letters: readonly Pick<OutgoingOnCase, "templateKey" | "status">[] = []) =>
  record.status === "closed" || (record.status !== "voided" && asked(letters));

/** A constituent's answer to the satisfaction question, on a closed case or one reopened after it was asked. */
export function recordSatisfaction(record: CaseRecord, input: z.output<typeof recordSatisfactionSchema>, letters: readonly OutgoingOnCase[] = []): CaseChange {
  if (record.status === "voided") throw new DomainError("invalid_transition", `${record.reference} was voided (logged in error), so nothing more is done on it.`);
  if (!answerable(record, letters)) {
    throw new DomainError("invalid_transition", `${record.reference} has not been closed, so there is no satisfaction to record: the question is asked once it is closed. Close it first if it is done.`);
  }
  const comment = input.comment?.trim();
  return {
    patch: {},
    entry: {
      type: "satisfaction_recorded",
      text: `Satisfaction ${input.score} of 5 (${SCORE_WORDS[input.score]}), by ${input.how}${comment ? `: ${comment}` : ""}`,
      detail: { score: input.score, how: input.how },
    },
    // An answer about the case, not work on it.
    countsAsAction: false,
  };
}

type InputSchema = z.ZodType<{ reference: string; version?: number }>;

function satisfactionAction<Schema extends InputSchema>(spec: CaseActionSpec<Schema>): CaseActionSpec<Schema> {
  return spec;
}

export const SATISFACTION_ACTIONS = {
  record_satisfaction: satisfactionAction({
    schema: recordSatisfactionSchema,
    announce: "Satisfaction recorded",
    readsLetters: true,
    decide: ({ actor, record, input, letters }) => {
      assertCanProgress(actor, record);
      return recordSatisfaction(record, input, letters);
    },
    confirm: (view, input) => `Recorded on ${view.reference}: satisfaction ${input.score} of 5 (${SCORE_WORDS[input.score]}).`,
    command: {
      words: ["satisfaction"],
      usage: "satisfaction <ref> <1-5> [what they said…] [--by email|letter|phone|in-person]   (their answer to the satisfaction question)",
      read: (said) => {
        said.need(2, "Say which case and their answer, 1 to 5");
        return { reference: said.words[0], score: said.words[1], comment: said.words.slice(2).join(" ") || undefined, how: said.flag("by") };
      },
    },
    form: {
      title: "Satisfaction reply",
      submit: "Record",
      fields: [
        { name: "score", label: "Their answer", kind: "choice", required: true, choices: () => SATISFACTION_SCORES.map((score) => ({ value: String(score), label: `${score}: ${SCORE_WORDS[score]}` })) },
        { name: "how", label: "They answered by", kind: "choice", choices: () => ANSWERED_BY.map((how) => ({ value: how, label: how.charAt(0).toUpperCase() + how.slice(1).replace("-", " ") })), initial: () => "email" },
        { name: "comment", label: "What they said (optional)", kind: "long_text", max: 2000 },
      ],
    },
    button: { label: "Satisfaction reply…", secondary: true },
    offer: ({ record, actor, audience, fullAccess, items }) => audience === "private" && answerable(record, items) && canWork(actor) && fullAccess,
  }),
};
