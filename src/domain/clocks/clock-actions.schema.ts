import { z } from "zod";
import { localDateSchema, referenceSchema, text, versionSchema } from "../cases/case.schema.ts";
import { STOP_REASONS } from "./clock.schema.ts";
import { TYPE_NAMES } from "./type-words.ts";

/**
 * What a person gives to set a case's statutory type and to stop, restart or extend its clock,
 * from any surface (a command's words, a form's inputs): parsed here once.
 */

const blankIsAbsent = (value: unknown) => (value === "" || value === null ? undefined : value);
const optionalDay = (label: string) => z.preprocess(blankIsAbsent, localDateSchema(label).optional());

/** The day it happened, when not today. */
const on = optionalDay("The date it happened");

export const setTypeSchema = z.object({
  reference: referenceSchema,
  type: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z.enum(TYPE_NAMES, { error: `Say which type: ${TYPE_NAMES.join(", ")}.` }),
  ),
  outcomeLetterOn: optionalDay("The date of the force's outcome letter"),
  misdirectedOn: optionalDay("The day the IOPC received it"),
  responseSentOn: optionalDay("The day the response was sent"),
  version: versionSchema,
});

export const stopClockSchema = z.object({
  reference: referenceSchema,
  awaiting: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z.enum(STOP_REASONS, { error: `Say what the clock waits for: ${STOP_REASONS.join(" or ")}.` }),
  ),
  reason: text("What was asked for", 1000),
  on,
  version: versionSchema,
});

export const restartClockSchema = z.object({ reference: referenceSchema, on, version: versionSchema });

export const extendClockSchema = z.object({
  reference: referenceSchema,
  /** An FOI request or review: the new due date. */
  to: optionalDay("The new due date"),
  /** A subject-access request: 1 or 2 further months. */
  months: z.preprocess(
    (value) => (value === "" || value === null || value === undefined ? undefined : typeof value === "string" ? Number(value.trim()) : value),
    z.number({ error: "Give the extension in whole months: 1 or 2." }).int("Give the extension in whole months: 1 or 2.").positive("Give the extension in whole months: 1 or 2.").optional(),
  ),
  reason: text("The reason for the extension", 1000),
  on,
  version: versionSchema,
});

export const decideLateApplicationSchema = z.object({
  reference: referenceSchema,
  decision: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z.enum(["accept", "refuse"], { error: "Say accept or refuse." }),
  ),
  reason: text("The reason for the decision", 1000),
  on,
  version: versionSchema,
});

const lowerCase = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : value);

/** A complaint review's finding. */
export const reviewOutcomeSchema = z.object({
  reference: referenceSchema,
  outcome: z.preprocess(lowerCase, z.enum(["upheld", "not-upheld"], { error: "Say upheld or not-upheld." })),
  reason: text("What the review found", 1000),
  on,
  version: versionSchema,
});

/** A recommendation an upheld review makes to the force. */
export const recommendSchema = z.object({
  reference: referenceSchema,
  reason: text("The recommendation", 1000),
  on,
  version: versionSchema,
});

/** The force's written answer to a recommendation, by its number on the case. */
export const forceAnswerSchema = z.object({
  reference: referenceSchema,
  number: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
    z.number({ error: "Say which recommendation the force answered, by its number (1, 2…)." }).int("Say which recommendation, by its number (1, 2…).").positive("Say which recommendation, by its number (1, 2…)."),
  ),
  answer: z.preprocess(lowerCase, z.enum(["accepted", "not-accepted"], { error: "Say accepted or not-accepted." })),
  reason: text("What the force said", 1000),
  on,
  version: versionSchema,
});
