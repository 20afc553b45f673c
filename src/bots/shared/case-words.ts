import type { CaseView, DeadlineView } from "../../domain/cases/case-view.ts";

/** Words every platform uses about a case, so Slack, Teams and text say the same thing. */

/** What is wrong with a case right now, shortest first to read. */
export function caseFlags(view: CaseView): string[] {
  return [
    view.acknowledgement.state === "overdue" ? "ack overdue" : "",
    view.response.state === "overdue" ? "response overdue" : "",
    view.stale ? "stale" : "",
    view.holdingReplyDue ? "holding reply due" : "",
  ].filter(Boolean);
}

/** "2 working days late". */
export function lateWords(deadline: DeadlineView): string {
  return `${deadline.workingDaysLate} working day${deadline.workingDaysLate === 1 ? "" : "s"} late`;
}
