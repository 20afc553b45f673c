import { addDays, endOfLondonDay, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";

/**
 * An email is decided within one working day: recorded on day 0 (whatever kind of day), it must
 * be logged, added to a case or dismissed by the end of working day 1. Counted as the office
 * counts its deadlines (DOMAIN.md), in London time.
 */
export const TRIAGE_WORKING_DAYS = 1;

/** The instant before which a message still undecided on `today` is past its working day: recorded on a day whose working day 1 ended before today. */
export function unaccountedBefore(today: LocalDate, calendar: WorkingCalendar): Date {
  let day = addDays(today, -1);
  while (calendar.addWorkingDays(day, TRIAGE_WORKING_DAYS) >= today) day = addDays(day, -1);
  return new Date(endOfLondonDay(day).getTime() + 1);
}

/** The first instant of a London day. */
export function startOfLondonDay(date: LocalDate): Date {
  return new Date(endOfLondonDay(addDays(date, -1)).getTime() + 1);
}

/**
 * How long a decision under way holds a message: a claim older than this was left by a process
 * that stopped mid-decision, and the next person (or Postbag) takes it over — after finishing
 * whatever that decision had already written.
 */
export const CLAIM_STALE_MS = 2 * 60 * 1000;

/**
 * Whether a reply that names a case only by the reference in its subject may be threaded onto it
 * without a person: only when it comes from the case's constituent (their email address on the
 * case) or from a partner the case was referred to. Anyone can type a reference into a subject;
 * anything else waits for a person in triage, with the case suggested.
 */
export function maySubjectThread(
  sender: string | null,
  caseEmail: string | null,
  referredPartners: readonly string[],
  senderPartner: string | undefined,
): boolean {
  if (!sender) return false;
  if (caseEmail && caseEmail.trim().toLowerCase() === sender.toLowerCase()) return true;
  return senderPartner !== undefined && referredPartners.some((partner) => partner.localeCompare(senderPartner, "en", { sensitivity: "base" }) === 0);
}

/** A mailbox that has failed to read for this long is in the manager's digest (a blip of a poll or two is not). */
export const MAILBOX_FAILING_MINUTES = 30;
