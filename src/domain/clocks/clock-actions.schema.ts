import { z } from "zod";
import { localDateSchema, referenceSchema, text, versionSchema } from "../cases/case.schema.ts";
import { STOP_REASONS } from "./clock.schema.ts";
import { TYPE_WORDS } from "./case-clock.ts";

/**
 * What a person gives to set a case's statutory type and to stop, restart or extend its clock,
 * from any surface (a command's words, a form's inputs): parsed here once.
 */

const blankIsAbsent = (value: unknown) => (value === "" || value === null ? undefined : value);
const optionalDay = (label: string) => z.preprocess(blankIsAbsent, localDateSchema(label).optional());

/** The day it happened, when not today. */
const on = optionalDay("The date it happened");

const TYPE_NAMES = Object.keys(TYPE_WORDS);

export const setTypeSchema = z.object({
  reference: referenceSchema,
  type: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z.enum(TYPE_NAMES as [string, ...string[]], { error: `Say which type: ${TYPE_NAMES.join(", ")}.` }),
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
