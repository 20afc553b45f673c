import type { CaseView, DeadlineView } from "../../domain/cases/case-view.ts";
import type { DigestStep } from "../../domain/digest/digest.ts";

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

/** Button labels for a digest line's next step. */
export const DIGEST_STEP_LABELS: Record<DigestStep, string> = {
  acknowledge: "Acknowledge",
  assign_to_me: "Assign to me",
  chase: "Chase",
  open: "Open",
};

/**
 * A deadline in words, and how urgent it is: each platform adds its own emphasis.
 * "Wed 30 Dec 2026 — 2 working days late", "… — today", "… ✓", "–".
 */
export function deadlineWords(deadline: DeadlineView): { text: string; urgency: "late" | "today" | "none" } {
  switch (deadline.state) {
    case "met":
      return { text: `${deadline.dueText} ✓`, urgency: "none" };
    case "not_applicable":
      return { text: "–", urgency: "none" };
    case "overdue":
      return { text: `${deadline.dueText} — ${lateWords(deadline)}`, urgency: "late" };
    case "due_today":
      return { text: `${deadline.dueText} — today`, urgency: "today" };
    default:
      return { text: deadline.dueText, urgency: "none" };
  }
}
