import type { LocalDate } from "../calendar/local-date.ts";
import type { WorkingDays } from "../calendar/uk-working-days.ts";
import { readChiefConstableComplaintClock, type ChiefConstableComplaintInput, type ChiefConstableComplaintReading } from "./chief-constable-complaint-clock.ts";
import type { ClockSettings } from "./clock.schema.ts";
import { readComplaintReviewClock, type ComplaintReviewInput, type ComplaintReviewReading } from "./complaint-review-clock.ts";
import { readFoiInternalReviewClock, readFoiRequestClock, type FoiInternalReviewInput, type FoiInternalReviewReading, type FoiRequestInput, type FoiRequestReading } from "./foi-clock.ts";
import { readSarClock, type SarInput, type SarReading } from "./sar-clock.ts";

/** A case's clock input, tagged with its type: what the wiring builds from a case and its timeline. */
export type CaseClockInput =
  | ({ type: "complaint_review" } & ComplaintReviewInput)
  | ({ type: "chief_constable_complaint" } & ChiefConstableComplaintInput)
  | ({ type: "foi_request" } & FoiRequestInput)
  | ({ type: "foi_internal_review" } & FoiInternalReviewInput)
  | ({ type: "subject_access_request" } & SarInput);

export type CaseClockReading = ComplaintReviewReading | ChiefConstableComplaintReading | FoiRequestReading | FoiInternalReviewReading | SarReading;

export interface ClockContext {
  /** The day asked about, normally today in London. No event may be dated after it. */
  asOf: LocalDate;
  /** The office's working days: its nation's bank holidays and its closure days (WorkingCalendar). */
  officeCalendar: WorkingDays;
  /** The Freedom of Information Act's working days: a bank holiday anywhere in the UK (UkWorkingDays). */
  ukCalendar: WorkingDays;
  settings: ClockSettings;
}

/**
 * A case's statutory clock as it stands on `ctx.asOf`. Throws a DomainError for an event the
 * type's rules do not allow, so recording an event is: read the clock with it added, and keep
 * it only if that does not throw.
 */
export function readCaseClock(input: CaseClockInput, ctx: ClockContext): CaseClockReading {
  switch (input.type) {
    case "complaint_review":
      return readComplaintReviewClock(input, { asOf: ctx.asOf, calendar: ctx.officeCalendar, settings: ctx.settings.complaintReview });
    case "chief_constable_complaint":
      return readChiefConstableComplaintClock(input, { asOf: ctx.asOf, calendar: ctx.officeCalendar, settings: ctx.settings.chiefConstableComplaint });
    case "foi_request":
      return readFoiRequestClock(input, { asOf: ctx.asOf, calendar: ctx.ukCalendar, settings: ctx.settings.foi });
    case "foi_internal_review":
      return readFoiInternalReviewClock(input, { asOf: ctx.asOf, calendar: ctx.ukCalendar, settings: ctx.settings.foi });
    case "subject_access_request":
      return readSarClock(input, { asOf: ctx.asOf });
  }
}
