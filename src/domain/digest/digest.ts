import type { CaseView } from "../cases/case-view.ts";
import type { LocalDate } from "../calendar/local-date.ts";
import type { UnreachableStaff } from "../staff/reachability.ts";

/** A digest as data: what every renderer (Slack, Teams, text) shows, counts always complete. */

export type DigestSectionKey =
  | "acknowledgement_overdue"
  | "response_overdue"
  | "due_soon"
  | "stale"
  | "unassigned"
  | "partner_overdue"
  | "logged_since"
  /** Statutory clocks stopped, awaiting the requester's clarification or proof of identity. */
  | "clocks_stopped"
  /** Statutory clocks asking for a step: a late review application to decide, a complainant's update owed. */
  | "clock_decisions"
  /** Complaint reviews (closed ones too) whose recommendation the force has not answered in its time. */
  | "force_answers_overdue"
  /** A team lead's digest: their team's queue, overdue and unassigned (titled with the team's name). */
  | "team_overdue"
  | "team_unassigned"
  /** Mail intake: emails undecided past their working day, and replies on closed cases awaiting a decision to reopen. */
  | "emails_unaccounted"
  | "emails_reopen"
  /** Mailboxes Postbag has not been able to read for a while: mail sent to them is not arriving. */
  | "mailboxes_failing";

export interface DigestSection {
  key: DigestSectionKey;
  title: string;
  /** Every case in the section, however many are listed. */
  count: number;
  /** The first of them, nearest deadline first. */
  cases: CaseView[];
  /** The command that lists them all. */
  seeAll: string;
  /** The one next step each line offers: what the section asks someone to do. */
  nextStep: DigestStep;
}

export type DigestStep = "acknowledge" | "assign_to_me" | "chase" | "open";

export interface Digest {
  kind: "manager" | "personal";
  asOf: LocalDate;
  asOfText: string;
  /** Posted after its scheduled time because no process was running then. */
  late: boolean;
  /** Whom a personal digest is for. */
  recipient?: { id: number; name: string };
  sections: DigestSection[];
  /** Manager digest: the active staff Postbag cannot message, each with why; empty shows nothing. */
  unreachable?: UnreachableStaff[];
  /** Manager digest: platforms Postbag may no longer post to (the app uninstalled, its token revoked), in words; absent when none. */
  disconnected?: { platform: "slack" | "teams"; words: string }[];
}

/** The heading over the staff who cannot be reached: "2 staff can't be reached". */
export function unreachableTitle(count: number): string {
  return count === 1 ? "1 member of staff can't be reached" : `${count} staff can't be reached`;
}

/** What a manager can do about it, under the list. */
export const UNREACHABLE_HINT = 'Link them with staff link "<person>" --slack U… or --teams <Entra object id>; on Teams they must also add the Postbag app.';

export const SECTION_TITLES: Record<DigestSectionKey, { title: string; seeAll: string; nextStep: DigestStep }> = {
  acknowledgement_overdue: { title: "Acknowledgements overdue", seeAll: "overdue", nextStep: "acknowledge" },
  response_overdue: { title: "Responses overdue", seeAll: "overdue", nextStep: "open" },
  due_soon: { title: "Responses due today and next working day", seeAll: "due-soon", nextStep: "open" },
  stale: { title: "Stale: no action lately", seeAll: "stale", nextStep: "open" },
  unassigned: { title: "Unassigned", seeAll: "unassigned", nextStep: "assign_to_me" },
  partner_overdue: { title: "Partner replies overdue — chase them", seeAll: "overdue", nextStep: "chase" },
  logged_since: { title: "Logged since the last digest", seeAll: "search <name>", nextStep: "open" },
  clocks_stopped: { title: "Clocks stopped: awaiting the requester (not due meanwhile)", seeAll: "mine", nextStep: "open" },
  team_overdue: { title: "Team queue: overdue", seeAll: "queue <team>", nextStep: "open" },
  team_unassigned: { title: "Team queue: unassigned", seeAll: "queue <team>", nextStep: "assign_to_me" },
  clock_decisions: { title: "Statutory steps owed: a late review application to decide, a complainant's update", seeAll: "mine", nextStep: "open" },
  force_answers_overdue: { title: "Recommendations to the force unanswered past their time", seeAll: "force-answers", nextStep: "open" },
  emails_unaccounted: { title: "Emails not logged, added to a case or dismissed within a working day", seeAll: "intake list", nextStep: "open" },
  emails_reopen: { title: "Replies on closed cases: reopen, or keep closed", seeAll: "intake list all", nextStep: "open" },
  mailboxes_failing: { title: "Mailboxes Postbag cannot read: email sent to them is not arriving", seeAll: "intake list", nextStep: "open" },
};

/** Nothing to tell: no case in any section, and (manager digest) nobody who cannot be reached. */
export function isEmptyDigest(digest: Digest): boolean {
  return digest.sections.every((section) => section.count === 0) && !digest.unreachable?.length && !digest.disconnected?.length;
}
