import { calendarDaysBetween } from "../calendar/calendar-days.ts";
import { addDays, formatDate, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingDays } from "../calendar/uk-working-days.ts";
import type { ClockEvent, ClockSettings } from "./clock.schema.ts";
import { checkedEvents, dayCounter, readDeadline, refuse, refuseInput, type ClockDeadline, type ClockReading } from "./clock.ts";

/**
 * A police complaint review, where the PCC is the relevant review body (Police Reform Act 2002,
 * Schedule 3, paras 6A and 25; Police (Complaints and Misconduct) Regulations 2020, reg. 29).
 *
 * - The application is in time when made within 28 days starting with the day after the force's
 *   outcome letter (reg. 29(2)): the letter's date is day 0, day 28 the last day. An application
 *   first sent to the IOPC and forwarded counts as made when the IOPC received it (reg. 29(3)).
 *   One made later is flagged for a decision: accepted with a reason (special circumstances,
 *   reg. 29(4)) or refused with one.
 * - Acknowledgement within 5 working days and completion within 28 working days of receipt by
 *   default, counted on the office's calendar. These are the office's published targets, not the
 *   law's, so they are settings.
 * - Nothing stops or extends the clock.
 * - The review's finding is upheld or not upheld (a later finding corrects an earlier one). An
 *   upheld review may make recommendations to the force, which must answer each in writing
 *   within 56 days (Sch. 3 para 28ZA; a setting): each is tracked until its answer is recorded,
 *   even after the case is closed.
 */

/** Calendar days the force has to answer a recommendation in writing (Police Reform Act 2002, Sch. 3 para 28ZA): the law's, not a setting. */
export const FORCE_ANSWER_DAYS = 56;

export interface ComplaintReviewInput {
  /** The day the PCC received the application: day 0 of the acknowledgement and completion targets. */
  receivedOn: LocalDate;
  /** The date of the force's letter giving the outcome the complainant asks to have reviewed. */
  outcomeLetterOn: LocalDate;
  /** The day the IOPC received it, when it was sent there first and forwarded to the PCC. */
  misdirectedOn?: LocalDate | null;
  events: readonly ClockEvent[];
}

/** Whether the application was made in time, and what was decided if it was not. */
export interface ApplicationTiming {
  /** Day 28 after the outcome letter: the last day an application is in time. */
  lastDay: LocalDate;
  /** When the application counts as made: receipt by the PCC, or by the IOPC if sent there first. */
  madeOn: LocalDate;
  inTime: boolean;
  /** Calendar days after the last day; 0 when in time. */
  daysLate: number;
  /** `needed`: out of time and not yet decided. The latest decision stands (a correction is a new decision). */
  decision: "not_needed" | "needed" | "accepted" | "refused";
  decisionReason: string | null;
}

/** The review's finding, as last recorded (a correction is a new finding dated on or after the one it corrects). */
export interface ReviewOutcome {
  on: LocalDate;
  /** The day the review was first found on: a corrected finding still counts as the review's completion then. */
  firstOn: LocalDate;
  upheld: boolean;
  reason: string;
}

/** A recommendation to the force and where its answer stands. */
export interface Recommendation {
  number: number;
  madeOn: LocalDate;
  text: string;
  /** The force's answer is due by then (calendar days); `state` says where that stands while it is awaited. */
  answer: ClockDeadline;
  answered: { on: LocalDate; accepted: boolean; reason: string } | null;
}

export interface ComplaintReviewReading extends ClockReading {
  type: "complaint_review";
  application: ApplicationTiming;
  outcome: ReviewOutcome | null;
  recommendations: Recommendation[];
}

export function readComplaintReviewClock(
  input: ComplaintReviewInput,
  ctx: { asOf: LocalDate; calendar: WorkingDays; settings: ClockSettings["complaintReview"] },
): ComplaintReviewReading {
  const { receivedOn, outcomeLetterOn } = input;
  const madeOn = input.misdirectedOn ?? receivedOn;
  if (outcomeLetterOn > madeOn) {
    refuseInput(`The force's outcome letter (${formatDate(outcomeLetterOn)}) cannot be later than the application (${formatDate(madeOn)}): check both dates.`, "outcomeLetterOn");
  }
  if (madeOn > receivedOn) {
    refuseInput(`The IOPC cannot have received the application (${formatDate(madeOn)}) after the PCC did (${formatDate(receivedOn)}): check both dates.`, "misdirectedOn");
  }
  const lastDay = addDays(outcomeLetterOn, ctx.settings.applicationWindowDays);
  const inTime = madeOn <= lastDay;
  let decision: ApplicationTiming["decision"] = inTime ? "not_needed" : "needed";
  let decisionReason: string | null = null;
  let outcome: ReviewOutcome | null = null;
  let firstFoundOn: LocalDate | null = null;
  const recommendations = new Map<number, { number: number; madeOn: LocalDate; text: string; answered: Recommendation["answered"] }>();
  for (const event of checkedEvents("complaint_review", input.events, receivedOn, ctx.asOf)) {
    switch (event.kind) {
      case "late_application_decided":
        if (inTime) {
          refuse(`This application was made in time (by ${formatDate(lastDay)}, ${ctx.settings.applicationWindowDays} days after the outcome letter), so there is no late application to decide.`, "kind");
        }
        // Accepting the application is what lets the review go ahead: once it has found, the decision stands.
        if (outcome) refuse(`The review has found (${formatDate(outcome.firstOn)}), so the decision to accept the late application stands.`, "kind");
        decision = event.accepted ? "accepted" : "refused";
        decisionReason = event.reason.trim();
        break;
      case "review_outcome":
        if (decision === "refused") refuse("The late application was refused, so there is no review to find on. A manager can accept it instead if that was wrong.", "kind");
        if (decision === "needed") refuse("The application was made out of time: a manager decides whether to accept it before the review can find.", "kind");
        if (!event.upheld && [...recommendations.values()].length > 0) {
          refuse("Recommendations were made to the force on this review, so it cannot be found not upheld: only an upheld review makes recommendations.", "upheld");
        }
        firstFoundOn ??= event.on;
        outcome = { on: event.on, firstOn: firstFoundOn, upheld: event.upheld, reason: event.reason.trim() };
        break;
      case "recommendation_made":
        if (!outcome?.upheld) refuse("Only an upheld review makes recommendations to the force: record the outcome as upheld first.", "kind");
        if (recommendations.has(event.number)) refuse(`There is already a recommendation ${event.number} on this review.`, "number");
        recommendations.set(event.number, { number: event.number, madeOn: event.on, text: event.reason.trim(), answered: null });
        break;
      case "recommendation_answered": {
        const recommendation = recommendations.get(event.number);
        const madeLater = input.events.find((other) => other.kind === "recommendation_made" && other.number === event.number);
        if (!recommendation && madeLater) refuse(`Recommendation ${event.number} was made on ${formatDate(madeLater.on)}: the force's answer cannot be dated before it.`, "on");
        if (!recommendation) refuse(`There is no recommendation ${event.number} on this review${recommendations.size ? `: they are numbered ${[...recommendations.keys()].join(", ")}` : ""}.`, "number");
        if (recommendation.answered) refuse(`The force's answer to recommendation ${event.number} was recorded on ${formatDate(recommendation.answered.on)}.`, "number");
        recommendation.answered = { on: event.on, accepted: event.accepted, reason: event.reason.trim() };
        break;
      }
      default:
        break;
    }
  }
  const count = dayCounter("working_days", ctx.calendar);
  return {
    type: "complaint_review",
    asOf: ctx.asOf,
    status: "running",
    startedOn: receivedOn,
    stop: null,
    deadlines: [
      readDeadline("acknowledgement", ctx.calendar.addWorkingDays(receivedOn, ctx.settings.acknowledgeWorkingDays), "working_days", ctx.asOf, count),
      readDeadline("completion", ctx.calendar.addWorkingDays(receivedOn, ctx.settings.completeWorkingDays), "working_days", ctx.asOf, count),
    ],
    stops: [],
    extensions: [],
    application: { lastDay, madeOn, inTime, daysLate: inTime ? 0 : calendarDaysBetween(lastDay, madeOn), decision, decisionReason },
    outcome,
    recommendations: [...recommendations.values()].map((recommendation) => ({
      ...recommendation,
      answer: answerDeadline(addDays(recommendation.madeOn, FORCE_ANSWER_DAYS), recommendation.answered, ctx.asOf),
    })),
  };
}

/** A recommendation's answer as it reads on `asOf`: answered is neither due nor late. */
function answerDeadline(due: LocalDate, answered: Recommendation["answered"], asOf: LocalDate): ClockDeadline {
  const reading = readDeadline("answer", due, "calendar_days", asOf, dayCounter("calendar_days"));
  return answered ? { ...reading, state: "pending", daysRemaining: 0, daysLate: 0 } : reading;
}
