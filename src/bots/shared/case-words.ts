import type { CaseView, DeadlineStep, DeadlineView, ReferralView } from "../../domain/cases/case-view.ts";
import type { RelatedCaseView } from "../../domain/cases/related-cases.ts";
import type { DigestStep } from "../../domain/digest/digest.ts";
import type { CaseFileView } from "../../domain/files/case-files.ts";
import { UNIT_WORDS } from "../../domain/clocks/case-clock.ts";

/** Words every platform uses about a case, so Slack, Teams and text say the same thing. */

/** What is wrong with a case right now, shortest first to read. */
export function caseFlags(view: CaseView): string[] {
  return [
    view.acknowledgement.state === "overdue" ? "ack overdue" : "",
    view.response.state === "overdue" ? "response overdue" : "",
    view.stale ? "stale" : "",
    view.holdingReplyDue ? "holding reply due" : "",
    view.clock?.stopped ? `clock stopped: awaiting ${view.clock.stopped.awaiting}` : "",
    view.clock?.application?.decision === "needed" ? "late application to decide" : "",
    view.clock?.nextUpdate?.state === "overdue" ? "complainant's update owed" : "",
    view.clock?.review?.recommendations.some((item) => !item.answered && item.state === "overdue") ? "force's answer overdue" : "",
  ].filter(Boolean);
}

/** "2 working days late", or in a statutory clock's own unit: "3 calendar days late", "1 UK working day late". */
export function lateWords(deadline: Pick<DeadlineView, "daysLate" | "unit">): string {
  const unit = UNIT_WORDS[deadline.unit];
  return `${deadline.daysLate} ${deadline.daysLate === 1 ? unit.replace(/s$/, "") : unit} late`;
}

/** Button labels for a digest line's next step. */
export const DIGEST_STEP_LABELS: Record<DigestStep, string> = {
  acknowledge: "Acknowledge",
  assign_to_me: "Assign to me",
  chase: "Chase",
  open: "Open",
};

/** How each platform shows a step that was done. */
export const DONE_VERBS: Record<DeadlineStep, string> = {
  acknowledgement: "acknowledged",
  response: "responded",
  partner_reply: "replied",
};

/** "acknowledged Wed 2 Dec 2026, 10 working days late", or "acknowledged Tue 17 Nov 2026 ✓"; null while not done. */
export function doneWords(deadline: DeadlineView): string | null {
  if (!deadline.doneText) return null;
  const done = `${DONE_VERBS[deadline.step]} ${deadline.doneText}`;
  return deadline.state === "done_late" ? `${done}, ${lateWords(deadline)}` : `${done} ✓`;
}

/**
 * A deadline in words, and how urgent it is: each platform adds its own emphasis. "late"
 * is a deadline passed and still to meet; "missed" one met after it passed, a fact to show
 * but nothing left to do.
 * "Wed 30 Dec 2026 — 2 working days late", "… — today", "… — acknowledged Tue 29 Dec 2026 ✓", "–".
 */
export function deadlineWords(deadline: DeadlineView): { text: string; urgency: "late" | "today" | "missed" | "none" } {
  switch (deadline.state) {
    case "met":
      return { text: `${deadline.dueText} — ${doneWords(deadline)}`, urgency: "none" };
    case "done_late":
      return { text: `${deadline.dueText} — ${doneWords(deadline)}`, urgency: "missed" };
    case "not_applicable":
      return { text: "–", urgency: "none" };
    case "overdue":
      return { text: `${deadline.dueText} — ${lateWords(deadline)}`, urgency: "late" };
    case "due_today":
      return { text: `${deadline.dueText} — today`, urgency: "today" };
    case "stopped":
      return { text: "clock stopped: not due while the reply is awaited", urgency: "none" };
    default:
      return { text: deadline.dueText, urgency: "none" };
  }
}

/** A referral in words: "sent Mon 2 Nov 2026, replied Wed 25 Nov 2026, 3 working days late, chased 2×". */
export function referralWords(referral: ReferralView): { text: string; urgency: "late" | "today" | "missed" | "none" } {
  const reply = referral.reply;
  const chased = referral.chaseCount ? `, chased ${referral.chaseCount}×` : "";
  const state =
    reply.doneText !== null
      ? doneWords(reply)
      : reply.state === "overdue"
        ? `reply expected by ${reply.dueText}, ${lateWords(reply)}`
        : reply.state === "not_applicable"
          ? `no reply (expected by ${reply.dueText})`
          : `reply expected by ${reply.dueText}${reply.state === "due_today" ? " (today)" : ""}`;
  const urgency = reply.state === "overdue" ? "late" : reply.state === "done_late" ? "missed" : reply.state === "due_today" ? "today" : "none";
  return { text: `sent ${referral.sentOnText}, ${state}${chased}`, urgency };
}

/** A related case as every platform names it: its reference, state and (if the reader may see it) subject. */
function relatedCaseWords(related: RelatedCaseView): string {
  return `${related.reference} (${related.statusLabel}${related.subject === null ? ", sensitive" : `: ${related.subject}`})`;
}

/** "3 earlier cases: …" and each link, the same on every platform; nothing when the card has none. */
export function relatedWords(view: Pick<CaseView, "related">): { earlier: string | null; links: string[] } {
  const related = view.related;
  if (!related) return { earlier: null, links: [] };
  const more = related.earlierCount - related.earlier.length;
  const earlier =
    related.earlierCount === 0
      ? null
      : `${related.earlierCount} earlier case${related.earlierCount === 1 ? "" : "s"} from this person: ${related.earlier.map(relatedCaseWords).join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
  return { earlier, links: related.links.map((link) => `${link.label} ${relatedCaseWords(link)}`) };
}

/** The command that opens a case's person with all their cases. */
export function constituentCommand(view: Pick<CaseView, "related">): string | null {
  return view.related ? `constituent show C${view.related.constituentId}` : null;
}

/** What an admin reads on a sensitive case awaiting acknowledgement (see permissions.ts canSeeContactToAcknowledge). */
export const ACK_CONTACT_NOTE = "only the contact details are shown, so you can acknowledge it; the rest is for its assignee and managers.";

/** A file on a card, after its number and name: `PDF, 312 KB — Carl Caseworker, Wed 2 Dec 2026 14:05`. */
export function fileWords(file: CaseFileView): string {
  return `${file.typeLabel}, ${file.sizeText} — ${file.addedBy ?? (file.source === "email" ? "from an email" : "Postbag")}, ${file.addedText}`;
}

/** How many files a card lists; the rest are counted. */
export const FILES_ON_CARD = 10;

/**
 * A statutory clock in lines, the same on every platform: the type, a stop and what it waits
 * for, each extension, the next update owed (a complaint about the Chief Constable), and a
 * complaint review's late application, finding and recommendations to the force with their
 * answers. Empty on the office's own standard.
 */
export function clockLines(view: Pick<CaseView, "clock" | "response">): { text: string; urgency: "late" | "today" | "none" }[] {
  const clock = view.clock;
  if (!clock) return [];
  const lines: { text: string; urgency: "late" | "today" | "none" }[] = [{ text: `${clock.label}: ${clock.responseStep} counted in ${UNIT_WORDS[clock.unit]}`, urgency: "none" }];
  if (clock.stopped) lines.push({ text: `Clock stopped ${clock.stopped.sinceText}, awaiting ${clock.stopped.awaiting}${clock.stopped.reason ? `: ${clock.stopped.reason}` : ""}`, urgency: "none" });
  for (const extension of clock.extensions) {
    lines.push({ text: `Extended ${extension.onText} from ${extension.fromText} to ${extension.toText}${extension.reason ? `: ${extension.reason}` : ""}`, urgency: "none" });
  }
  if (clock.nextUpdate) {
    const { dueText, state, daysLate } = clock.nextUpdate;
    lines.push(
      state === "overdue"
        ? { text: `Update to the complainant owed since ${dueText} (${daysLate} calendar day${daysLate === 1 ? "" : "s"} late)`, urgency: "late" }
        : { text: `Next update to the complainant by ${dueText}`, urgency: state === "due_today" ? "today" : "none" },
    );
  }
  const application = clock.application;
  if (application && !application.inTime) {
    const late = `Application made ${application.daysLate} day${application.daysLate === 1 ? "" : "s"} out of time (last day ${application.lastDayText})`;
    lines.push(
      application.decision === "needed"
        ? { text: `${late}: a manager decides whether to accept it`, urgency: "late" }
        : { text: `${late}: ${application.decision}${application.reason ? ` — ${application.reason}` : ""}`, urgency: "none" },
    );
  }
  const outcome = clock.review?.outcome;
  if (outcome) lines.push({ text: `Review ${outcome.upheld ? "upheld" : "not upheld"} ${outcome.onText}${outcome.reason ? `: ${outcome.reason}` : ""}`, urgency: "none" });
  for (const item of clock.review?.recommendations ?? []) {
    const made = `Recommendation ${item.number} to the force (${item.madeOnText})${item.text ? `: ${item.text}` : ""}`;
    if (item.answered) {
      lines.push({ text: `${made} — ${item.answered.accepted ? "accepted" : "not accepted"} by the force ${item.answered.onText}${item.answered.reason ? `: ${item.answered.reason}` : ""}`, urgency: "none" });
    } else if (item.state === "overdue") {
      lines.push({ text: `${made} — the force's answer was due ${item.answerDueText} (${item.daysLate} calendar day${item.daysLate === 1 ? "" : "s"} late)`, urgency: "late" });
    } else {
      lines.push({ text: `${made} — the force's answer is due by ${item.answerDueText}`, urgency: item.state === "due_today" ? "today" : "none" });
    }
  }
  return lines;
}
