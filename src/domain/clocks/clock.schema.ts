import { z } from "zod";
import { localDateSchema, text } from "../cases/case.schema.ts";

/**
 * Clock events as a case's timeline records them, and the office's clock settings: what an
 * adapter or a stored entry hands the clocks, parsed here once (statutory-clocks.md).
 */

/** What a stopped clock waits for. Which types may stop, and for what, is in CLOCK_RULES. */
export const STOP_REASONS = ["clarification", "identity"] as const;
export type StopReason = (typeof STOP_REASONS)[number];

const on = (label: string) => localDateSchema(label);

export const clockEventSchema = z.discriminatedUnion("kind", [
  /** The clock stopped on `on`, awaiting clarification or proof of identity; `reason` says what was asked. */
  z.object({
    kind: z.literal("stopped"),
    on: on("The date the clock stopped"),
    awaiting: z.enum(STOP_REASONS, { error: `Say what the clock waits for: ${STOP_REASONS.join(" or ")}.` }),
    reason: text("What was asked for", 1000),
  }),
  /** The awaited reply arrived on `on`. */
  z.object({ kind: z.literal("restarted"), on: on("The date the reply arrived") }),
  /**
   * An extension given on `on`, with a reason: to a new date (`to`, FOI) or by whole months
   * (`months`, a subject-access request).
   */
  z.object({
    kind: z.literal("extended"),
    on: on("The date of the extension"),
    reason: text("The reason for the extension", 1000),
    to: on("The new due date").optional(),
    months: z.number({ error: "Give the extension in whole months." }).int("Give the extension in whole months.").positive("Give the extension in whole months.").optional(),
  }),
  /** The complainant was updated on `on` (a letter, email, call or meeting with them). */
  z.object({ kind: z.literal("updated"), on: on("The date of the update") }),
  /** An application made out of time was accepted or refused on `on`, with the reason. */
  z.object({
    kind: z.literal("late_application_decided"),
    on: on("The date of the decision"),
    accepted: z.boolean({ error: "Say whether the late application is accepted or refused." }),
    reason: text("The reason for the decision", 1000),
  }),
  /**
   * A complaint review's finding on `on`: upheld (the force's outcome was not reasonable and
   * proportionate) or not, with what the review found. A later one corrects it.
   */
  z.object({
    kind: z.literal("review_outcome"),
    on: on("The date of the review's outcome"),
    upheld: z.boolean({ error: "Say whether the review is upheld or not upheld." }),
    reason: text("What the review found", 1000),
  }),
  /** A recommendation the review made to the force on `on`, numbered on the case from 1; the force owes an answer. */
  z.object({
    kind: z.literal("recommendation_made"),
    on: on("The date of the recommendation"),
    number: z.number().int().positive(),
    reason: text("The recommendation", 1000),
  }),
  /** The force's answer on `on` to recommendation `number`: accepted (it will act on it) or not, and what it said. */
  z.object({
    kind: z.literal("recommendation_answered"),
    on: on("The date of the force's answer"),
    number: z.number({ error: "Say which recommendation the force answered, by its number." }).int("Say which recommendation, by its number.").positive("Say which recommendation, by its number."),
    accepted: z.boolean({ error: "Say whether the force accepted the recommendation." }),
    reason: text("What the force said", 1000),
  }),
]);
export type ClockEvent = z.output<typeof clockEventSchema>;
export type ClockEventKind = ClockEvent["kind"];

const days = (label: string, max: number) =>
  z.number({ error: `${label} must be a whole number of days.` }).int(`${label} must be a whole number of days.`).min(1, `${label} must be at least 1.`).max(max, `${label} must be at most ${max}.`);

/**
 * The figures an office publishes for itself. The statutory ones (FOI's 20 working days, a
 * subject-access request's month and two-month extension) are the law's and are not settings.
 */
export const clockSettingsSchema = z.object({
  complaintReview: z
    .object({
      /** Calendar days after the force's outcome letter within which an application is in time (reg. 29(2): 28). */
      applicationWindowDays: days("The review application window", 366).default(28),
      acknowledgeWorkingDays: days("The review acknowledgement target", 100).default(5),
      completeWorkingDays: days("The review completion target", 250).default(28),
    })
    .prefault({}),
  chiefConstableComplaint: z
    .object({
      recordWorkingDays: days("The recording decision target", 100).default(10),
      updateEveryDays: days("The update interval", 366).default(28),
    })
    .prefault({}),
  foi: z
    .object({
      /** The furthest a public-interest extension may run past the original due date (ICO: normally 20 working days). */
      publicInterestExtensionWorkingDays: days("The public-interest extension limit", 250).default(20),
      reviewWorkingDays: days("The internal review target", 100).default(20),
      /** The furthest an internal review may be extended, counted from the review request (ICO: 40 in exceptional cases). */
      reviewExceptionalWorkingDays: days("The exceptional internal review limit", 250).default(40),
      /** A review asked for more than this after the response may be refused (s.45 code of practice: 40). */
      reviewRequestWithinWorkingDays: days("The internal review request window", 250).default(40),
    })
    .prefault({}),
});
export type ClockSettings = z.output<typeof clockSettingsSchema>;

export const DEFAULT_CLOCK_SETTINGS: ClockSettings = clockSettingsSchema.parse({});
