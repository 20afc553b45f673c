import type { z } from "zod";
import { formatDate } from "../calendar/local-date.ts";
import { DomainError } from "../errors.ts";
import type { CaseActionSpec, FormField, OfferContext } from "../cases/case-actions.ts";
import type { CaseView } from "../cases/case-view.ts";
import { assertCanCorrect, assertCanHandleIntake, assertCanProgress, canSeeInFull } from "../cases/permissions.ts";
import { FINISHED } from "../cases/vocabulary.ts";
import { deadlinesForReceipt } from "../cases/lifecycle.ts";
import { canWork, hasRole } from "../staff/roles.ts";
import { lateApplicationUndecided, recordClockEvent, setCaseType, TYPE_CHOICES, TYPE_WORDS, UNIT_WORDS, type RecommendationView } from "./case-clock.ts";
import { decideLateApplicationSchema, extendClockSchema, forceAnswerSchema, recommendSchema, restartClockSchema, reviewOutcomeSchema, setTypeSchema, stopClockSchema } from "./clock-actions.schema.ts";
import { CLOCK_RULES } from "./clock.ts";
import { STOP_REASONS } from "./clock.schema.ts";

/**
 * The statutory clocks' entries of the one table of case actions (case-actions.ts spreads them
 * in): give a case its type, stop and restart its clock, extend it, decide a late application.
 * Each is offered only where its type's rules allow it (CLOCK_RULES), and the clock refuses
 * anything else when asked anyway.
 */

type InputSchema = z.ZodType<{ reference: string; version?: number }>;

function clockAction<Schema extends InputSchema>(spec: CaseActionSpec<Schema>): CaseActionSpec<Schema> {
  return spec;
}

const rest = (words: readonly string[], from: number) => words.slice(from).join(" ");

/** A command's words `<ref> <choice> <reason…> [--on date]`: the choice given as `field`. */
const choiceAndReason =
  (field: string, need: string): NonNullable<CaseActionSpec<InputSchema>["command"]>["read"] =>
  (said) => {
    said.need(3, need);
    return { reference: said.words[0], [field]: said.words[1], reason: rest(said.words, 2), on: said.flag("on") };
  };
const REASON = (label: string): FormField => ({ name: "reason", label, kind: "long_text", required: true, max: 1000 });
const ON: FormField = { name: "on", label: "When", kind: "date", hint: "Leave empty for today." };

/** Worked on from a person's own screen while open, by whoever may work the case in full. */
function onOwnScreen({ record, actor, audience }: OfferContext): boolean {
  return audience === "private" && !FINISHED.includes(record.status) && canWork(actor) && canSeeInFull(actor, record);
}

/** A review's finding, the force's answers and a late application's decision may come after closing: on a closed case too, never on a voided one. */
function onOwnScreenOrClosed({ record, actor, audience }: OfferContext): boolean {
  return audience === "private" && record.status !== "voided" && canWork(actor) && canSeeInFull(actor, record);
}

const reviewEvents = (record: OfferContext["record"]) => (record.clock?.type === "complaint_review" ? record.clock.events : []);
const reviewOutcomeOf = (record: OfferContext["record"]) => reviewEvents(record).filter((event) => event.kind === "review_outcome").at(-1);
const lateDecisionOf = (record: OfferContext["record"]) => reviewEvents(record).filter((event) => event.kind === "late_application_decided").at(-1);
const lateApplicationRefused = (record: OfferContext["record"]) => lateDecisionOf(record)?.accepted === false;
const unansweredRecommendations = (record: OfferContext["record"]) => {
  const events = reviewEvents(record);
  const answered = new Set(events.flatMap((event) => (event.kind === "recommendation_answered" ? [event.number] : [])));
  return events.flatMap((event) => (event.kind === "recommendation_made" && !answered.has(event.number) ? [event.number] : []));
};

const rulesOf = (record: OfferContext["record"]) => (record.clock ? CLOCK_RULES[record.clock.type] : null);

const wordOf = (view: CaseView) => Object.entries(TYPE_WORDS).find(([, type]) => type === view.clock?.type)?.[0];

export const CLOCK_ACTIONS = {
  set_type: clockAction({
    schema: setTypeSchema,
    announce: "Statutory type set",
    restsOn: ["case_type_set", "receipt_corrected"],
    decide: ({ actor, record, input, rules }) => {
      assertCanHandleIntake(actor);
      assertCanProgress(actor, record);
      const type = TYPE_WORDS[input.type] ?? null;
      // Its stops, extensions and decisions are the record of a statutory clock: changing the type under them is a manager's correction.
      if (record.clock?.events.length && type !== record.clock.type) assertCanCorrect(actor, "change the type of a case whose clock has been stopped, extended or decided on");
      return setCaseType(
        record,
        type,
        { outcomeLetterOn: input.outcomeLetterOn ?? record.clock?.outcomeLetterOn, misdirectedOn: input.misdirectedOn ?? record.clock?.misdirectedOn, responseSentOn: input.responseSentOn ?? record.clock?.responseSentOn },
        { ...rules, standardDates: deadlinesForReceipt(record.receivedOn, rules) },
      );
    },
    confirm: (view) => {
      if (!view.clock) return `${view.reference} runs on the office's own standard: respond by ${view.response.dueText}.`;
      const late = view.clock.application && !view.clock.application.inTime ? ` The application was made ${view.clock.application.daysLate} day${view.clock.application.daysLate === 1 ? "" : "s"} out of time: a manager decides whether to accept it.` : "";
      return `${view.reference}: ${view.clock.label}. ${capitalised(view.clock.responseStep)} due ${view.response.dueText} (${UNIT_WORDS[view.clock.unit]}).${late}`;
    },
    command: {
      words: ["type"],
      usage: "type <ref> foi|foi-review|sar|review|cc-complaint|none [--outcome-letter YYYY-MM-DD] [--iopc YYYY-MM-DD] [--response-sent YYYY-MM-DD]   (its statutory clock)",
      read: (said) => {
        said.need(2, "Say which case and which type");
        return {
          reference: said.words[0],
          type: said.words[1],
          outcomeLetterOn: said.flag("outcome-letter"),
          misdirectedOn: said.flag("iopc"),
          responseSentOn: said.flag("response-sent"),
        };
      },
    },
    form: {
      title: "Statutory type",
      submit: "Save",
      fields: [
        { name: "type", label: "Type", kind: "choice", required: true, choices: () => TYPE_CHOICES, initial: (view) => wordOf(view) },
        { name: "outcomeLetterOn", label: "Force's outcome letter dated (a complaint review)", kind: "date", hint: "A review must be asked for within 28 days of it." },
        { name: "misdirectedOn", label: "IOPC received it on (a review sent there first)", kind: "date" },
        { name: "responseSentOn", label: "Response under review sent on (an FOI internal review)", kind: "date" },
      ],
    },
    button: { label: "Statutory type…", secondary: true },
    offer: onOwnScreen,
  }),
  stop_clock: clockAction({
    schema: stopClockSchema,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return recordClockEvent(record, { kind: "stopped", on: input.on ?? rules.today, awaiting: input.awaiting, reason: input.reason }, rules);
    },
    confirm: (view, input) => `The clock of ${view.reference} is stopped, awaiting ${input.awaiting === "identity" ? "proof of identity" : "clarification"}. When the reply comes: restart-clock ${view.reference}.`,
    command: {
      words: ["stop-clock"],
      usage: "stop-clock <ref> clarification|identity <what was asked for…> [--on YYYY-MM-DD]   (FOI and subject-access requests)",
      read: (said) => {
        said.need(3, "Say which case, what the clock waits for (clarification or identity) and what was asked for");
        return { reference: said.words[0], awaiting: said.words[1], reason: rest(said.words, 2), on: said.flag("on") };
      },
    },
    form: {
      title: "Stop the clock",
      submit: "Stop the clock",
      fields: [
        {
          name: "awaiting",
          label: "Awaiting",
          kind: "choice",
          required: true,
          // The type's reasons (a form opened on a case without one lists both, and the core refuses).
          choices: (view) => (view.clock ? CLOCK_RULES[view.clock.type].stops : STOP_REASONS).map((reason) => ({ value: reason, label: reason === "identity" ? "Proof of identity" : "Clarification" })),
        },
        REASON("What was asked for"),
        ON,
      ],
    },
    button: { label: "Stop the clock…", secondary: true },
    offer: (ctx) => onOwnScreen(ctx) && !ctx.record.clockStopped && (rulesOf(ctx.record)?.stops.length ?? 0) > 0,
  }),
  restart_clock: clockAction({
    schema: restartClockSchema,
    restsOn: ["clock_stopped", "clock_restarted"],
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return recordClockEvent(record, { kind: "restarted", on: input.on ?? rules.today }, rules);
    },
    confirm: (view) => `The clock of ${view.reference} runs again: ${view.clock?.responseStep ?? "response"} due ${view.response.dueText}.`,
    command: {
      words: ["restart-clock"],
      usage: "restart-clock <ref> [--on YYYY-MM-DD]   (the clarification or proof of identity arrived)",
      read: (said) => {
        said.need(1, "Say which case");
        return { reference: said.words[0], on: said.flag("on") };
      },
    },
    form: { title: "Restart the clock", submit: "Restart", fields: [{ ...ON, label: "The reply arrived on" }] },
    button: { label: "Reply arrived: restart clock", style: "primary", atOnce: {} },
    offer: (ctx) => onOwnScreen(ctx) && ctx.record.clockStopped,
  }),
  extend_clock: clockAction({
    schema: extendClockSchema,
    restsOn: ["clock_extended", "clock_stopped", "clock_restarted"],
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return recordClockEvent(record, { kind: "extended", on: input.on ?? rules.today, reason: input.reason, to: input.to, months: input.months }, rules);
    },
    confirm: (view) => `${view.reference} is extended: ${view.clock?.responseStep ?? "response"} due ${view.response.dueText}.`,
    command: {
      words: ["extend"],
      usage: "extend <ref> <YYYY-MM-DD | 1 month | 2 months> <reason…> [--on YYYY-MM-DD]   (FOI: to a new date; subject access: by months)",
      read: (said) => {
        said.need(3, "Say which case, the new date (or how many months) and why");
        const byMonths = /^\d+$/.test(said.words[1] ?? "") && /^months?$/i.test(said.words[2] ?? "");
        return byMonths
          ? { reference: said.words[0], months: said.words[1], reason: rest(said.words, 3), on: said.flag("on") }
          : { reference: said.words[0], to: said.words[1], reason: rest(said.words, 2), on: said.flag("on") };
      },
    },
    form: {
      title: "Extend",
      submit: "Extend",
      fields: [
        { name: "to", label: "The new due date", kind: "date", required: true, asked: (view) => !view.clock || CLOCK_RULES[view.clock.type].extension === "to_date" },
        { name: "months", label: "Further months (1 or 2)", kind: "number", required: true, min: 1, max: 2, asked: (view) => !view.clock || CLOCK_RULES[view.clock.type].extension === "by_months" },
        REASON("The reason (told to the requester)"),
      ],
    },
    button: { label: "Extend…", secondary: true },
    offer: (ctx) => onOwnScreen(ctx) && !ctx.record.clockStopped && (rulesOf(ctx.record)?.extension ?? "none") !== "none",
  }),
  decide_late_application: clockAction({
    schema: decideLateApplicationSchema,
    correction: "late application decided",
    decide: ({ actor, record, input, rules }) => {
      assertCanCorrect(actor, "decide a late application");
      const on = input.on ?? rules.today;
      // Accepting the application is what let the review go ahead: once it has found, the decision stands, however dated.
      const found = reviewEvents(record).filter((event) => event.kind === "review_outcome").map((event) => event.on).sort()[0];
      if (found) throw new DomainError("invalid_transition", `The review has found (${formatDate(found)}), so the decision to accept the late application stands.`);
      // The clock reads its events in date order: a new decision dated before the one it replaces would not replace it.
      const earlier = lateDecisionOf(record);
      if (earlier && on < earlier.on) throw new DomainError("invalid_input", `The decision being changed is dated ${formatDate(earlier.on)}: date the new one then or later.`, "on");
      return recordClockEvent(record, { kind: "late_application_decided", on, accepted: input.decision === "accept", reason: input.reason }, rules);
    },
    confirm: (view, input) => `The late application on ${view.reference} is ${input.decision === "accept" ? "accepted" : "refused"}.`,
    command: {
      words: ["late-application"],
      usage: "late-application <ref> accept|refuse <reason…>   (managers: a complaint review asked for out of time)",
      read: choiceAndReason("decision", "Say which case, accept or refuse, and why"),
    },
    form: {
      title: "Late application",
      submit: "Decide",
      fields: [
        { name: "decision", label: "Decision", kind: "choice", required: true, choices: () => [{ value: "accept", label: "Accept (special circumstances)" }, { value: "refuse", label: "Refuse" }] },
        REASON("The reason"),
      ],
    },
    button: { label: "Decide late application…", style: "primary" },
    offer: (ctx) => onOwnScreenOrClosed(ctx) && hasRole(ctx.actor, "manager") && lateApplicationUndecided(ctx.record),
  }),
  review_outcome: clockAction({
    schema: reviewOutcomeSchema,
    announce: "Review outcome recorded",
    restsOn: ["review_outcome", "late_application_decided"],
    // A first finding is the review's work; one that replaces it changes what the office publishes.
    correction: (entry) => (entry.detail?.corrects ? "review finding corrected" : null),
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      // The finding is what the office publishes: changing one already recorded is a manager's correction.
      const earlier = reviewOutcomeOf(record);
      if (earlier) assertCanCorrect(actor, "change a review's recorded outcome");
      const on = input.on ?? rules.today;
      // The clock reads its events in date order: a correction dated before the finding it corrects would not correct it.
      if (earlier && on < earlier.on) {
        throw new DomainError("invalid_input", `The finding being corrected is dated ${formatDate(earlier.on)}: date the correction then or later.`, "on");
      }
      // Nor can a review find before its late application was accepted.
      const decided = lateDecisionOf(record);
      if (decided && on < decided.on) throw new DomainError("invalid_input", `The late application was decided on ${formatDate(decided.on)}: the review's finding cannot be dated before it.`, "on");
      const change = recordClockEvent(record, { kind: "review_outcome", on, upheld: input.outcome === "upheld", reason: input.reason }, rules);
      return earlier ? { ...change, entry: { ...change.entry, detail: { ...change.entry.detail, corrects: earlier.on } } } : change;
    },
    confirm: (view, input) =>
      input.outcome === "upheld"
        ? `The review of ${view.reference} is upheld. Record each recommendation to the force with: recommend ${view.reference} <recommendation…>`
        : `The review of ${view.reference} is not upheld.`,
    command: {
      words: ["review-outcome"],
      usage: "review-outcome <ref> upheld|not-upheld <what the review found…> [--on YYYY-MM-DD]   (a police complaint review's finding)",
      read: choiceAndReason("outcome", "Say which case, upheld or not-upheld, and what the review found"),
    },
    form: {
      title: "Review outcome",
      submit: "Record",
      fields: [
        { name: "outcome", label: "Outcome", kind: "choice", required: true, choices: () => [{ value: "upheld", label: "Upheld: the force's outcome was not reasonable and proportionate" }, { value: "not-upheld", label: "Not upheld" }] },
        REASON("What the review found"),
        ON,
      ],
    },
    button: { label: "Review outcome…", style: "primary" },
    offer: (ctx) => onOwnScreenOrClosed(ctx) && ctx.record.clock?.type === "complaint_review" && !reviewOutcomeOf(ctx.record) && !lateApplicationRefused(ctx.record) && !lateApplicationUndecided(ctx.record),
  }),
  recommend: clockAction({
    schema: recommendSchema,
    announce: "Recommendation to the force recorded",
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      const number = reviewEvents(record).filter((event) => event.kind === "recommendation_made").length + 1;
      return recordClockEvent(record, { kind: "recommendation_made", on: input.on ?? rules.today, number, reason: input.reason }, rules);
    },
    confirm: (view) => {
      // Numbered in the order recorded, listed in date order: the newest is the highest number, whatever its date.
      const made = (view.clock?.review?.recommendations ?? []).reduce<RecommendationView | undefined>((newest, item) => (newest && newest.number > item.number ? newest : item), undefined);
      return made ? `Recommendation ${made.number} on ${view.reference} is recorded: the force's answer is due by ${made.answerDueText}.` : `The recommendation on ${view.reference} is recorded.`;
    },
    command: {
      words: ["recommend"],
      usage: "recommend <ref> <the recommendation to the force…> [--on YYYY-MM-DD]   (an upheld complaint review)",
      read: (said) => {
        said.need(2, "Say which case and the recommendation");
        return { reference: said.words[0], reason: rest(said.words, 1), on: said.flag("on") };
      },
    },
    form: { title: "Recommendation to the force", submit: "Record", fields: [REASON("The recommendation"), ON] },
    button: { label: "Recommendation…", secondary: true },
    offer: (ctx) => onOwnScreenOrClosed(ctx) && reviewOutcomeOf(ctx.record)?.upheld === true,
  }),
  force_answer: clockAction({
    schema: forceAnswerSchema,
    announce: "The force's answer recorded",
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return recordClockEvent(record, { kind: "recommendation_answered", on: input.on ?? rules.today, number: input.number, accepted: input.answer === "accepted", reason: input.reason }, rules);
    },
    confirm: (view, input) => {
      const left = view.clock?.review?.recommendations.filter((item) => !item.answered).length ?? 0;
      return `The force's answer to recommendation ${input.number} on ${view.reference} is recorded.${left ? ` ${left} still awaits an answer.` : " Every recommendation is answered."}`;
    },
    command: {
      words: ["force-answer"],
      usage: "force-answer <ref> <recommendation number> accepted|not-accepted <what the force said…> [--on YYYY-MM-DD]",
      read: (said) => {
        said.need(4, "Say which case, which recommendation (its number), accepted or not-accepted, and what the force said");
        return { reference: said.words[0], number: said.words[1], answer: said.words[2], reason: rest(said.words, 3), on: said.flag("on") };
      },
    },
    form: {
      title: "The force's answer",
      submit: "Record",
      fields: [
        {
          name: "number",
          label: "Recommendation",
          kind: "choice",
          required: true,
          // Asked only where one awaits its answer (a form opened from an older card otherwise; the core refuses it).
          asked: (view) => (view.clock?.review?.recommendations ?? []).some((item) => !item.answered),
          choices: (view) =>
            (view.clock?.review?.recommendations ?? []).filter((item) => !item.answered).map((item) => ({ value: String(item.number), label: `${item.number}${item.text ? `: ${item.text.slice(0, 60)}` : ""}` })),
        },
        { name: "answer", label: "The force", kind: "choice", required: true, choices: () => [{ value: "accepted", label: "Accepted it" }, { value: "not-accepted", label: "Did not accept it" }] },
        REASON("What the force said"),
        { ...ON, label: "The answer is dated" },
      ],
    },
    button: { label: "Force answered…", secondary: true },
    offer: (ctx) => onOwnScreenOrClosed(ctx) && unansweredRecommendations(ctx.record).length > 0,
  }),
};

const capitalised = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);
