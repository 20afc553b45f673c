import { DomainError } from "../errors.ts";
import { canHoldCases, canWork, hasRole, type Actor } from "../staff/roles.ts";
import type { CaseRecord } from "./case-record.ts";
import { FINISHED } from "./vocabulary.ts";

/** Who may see and do what to a case. Pure: the core calls these before any write. */

/** Sensitive cases are shown in full only to their assignee and to managers. */
export function canSeeInFull(actor: Actor, record: Pick<CaseRecord, "sensitive" | "assignee">): boolean {
  return !record.sensitive || hasRole(actor, "manager") || record.assignee?.id === actor.id;
}

/**
 * The admin acknowledges every case, sensitive ones too, and cannot without the constituent's
 * name and address: while a sensitive case awaits acknowledgement they may read its contact
 * details on a card of that case — those alone. Subject, summary, themes and timeline stay
 * with its assignee and managers (special-category data the acknowledgement does not need).
 */
export function canSeeContactToAcknowledge(actor: Actor, record: Pick<CaseRecord, "sensitive" | "acknowledgedAt" | "status">): boolean {
  return record.sensitive && hasRole(actor, "admin") && !record.acknowledgedAt && !FINISHED.includes(record.status);
}

/**
 * What of a case one person may read, for every surface alike: everything, its contact
 * details alone (an admin acknowledging it, on a card of that one case), or neither.
 * Shown to a channel, a sensitive case is always withheld.
 */
export function caseAccess(
  actor: Actor,
  record: Pick<CaseRecord, "sensitive" | "assignee" | "acknowledgedAt" | "status">,
  audience: "private" | "shared",
  purpose: "card" | "list",
): "full" | "contact" | "none" {
  if (!record.sensitive) return "full";
  if (audience === "shared") return "none";
  if (canSeeInFull(actor, record)) return "full";
  return purpose === "card" && canSeeContactToAcknowledge(actor, record) ? "contact" : "none";
}

export function assertCanWork(actor: Actor): void {
  if (!canWork(actor)) {
    throw new DomainError("not_permitted", "Viewers can read cases but not change them. Ask a manager if you need more.");
  }
}

/** Logging and acknowledging are the correspondence officer's job, so admins may do them on any case. */
export function assertCanHandleIntake(actor: Actor): void {
  assertCanWork(actor);
}

/** Progressing a case: any worker, but on a sensitive case only its assignee or a manager. */
export function assertCanProgress(actor: Actor, record: CaseRecord): void {
  assertCanWork(actor);
  if (!canSeeInFull(actor, record)) {
    throw new DomainError(
      "not_permitted",
      `${record.reference} is sensitive: only its assignee or a manager can work on it.`,
    );
  }
}

/**
 * Assignment: managers assign and reassign anyone; admins may give an unassigned case
 * to anyone; a caseworker may take an unassigned case for themselves.
 */
export function assertCanAssign(actor: Actor, record: CaseRecord, assignee: Actor): void {
  assertCanWork(actor);
  if (!canHoldCases(assignee)) {
    throw new DomainError("invalid_input", `${assignee.name} is not a caseworker or manager, so cannot own cases.`, "assignee");
  }
  if (record.assignee?.id === assignee.id) {
    throw new DomainError("invalid_transition", `${record.reference} is already assigned to ${assignee.name}.`);
  }
  if (hasRole(actor, "manager")) return;
  if (record.assignee) {
    throw new DomainError(
      "not_permitted",
      `Only managers can reassign: ${record.reference} is assigned to ${record.assignee.name}.`,
    );
  }
  if (hasRole(actor, "admin")) return;
  if (assignee.id !== actor.id) {
    throw new DomainError("not_permitted", "Caseworkers can take a case for themselves; only managers and admins assign to others.");
  }
}

/** Whether the actor may give this case to someone else (assertCanAssign's rule): managers any case, admins one not yet assigned. */
export function canAssignOthers(actor: Actor, record: Pick<CaseRecord, "assignee">): boolean {
  return canWork(actor) && (hasRole(actor, "manager") || (hasRole(actor, "admin") && !record.assignee));
}

/**
 * Editing what was logged (names, contact, subject…): managers on any case; a caseworker
 * on a case assigned to them; an admin (who logs the post) on a case not yet assigned.
 */
export function canEditDetails(actor: Actor, record: Pick<CaseRecord, "assignee">): boolean {
  if (!canWork(actor)) return false;
  if (hasRole(actor, "manager")) return true;
  if (record.assignee) return record.assignee.id === actor.id && hasRole(actor, "caseworker");
  return hasRole(actor, "admin");
}

export function assertCanEditDetails(actor: Actor, record: CaseRecord): void {
  assertCanWork(actor);
  if (canEditDetails(actor, record)) return;
  throw new DomainError(
    "not_permitted",
    record.assignee
      ? `Only ${record.assignee.name} (its assignee) or a manager can edit the details of ${record.reference}.`
      : `Only admins and managers can edit the details of ${record.reference} while it is unassigned.`,
  );
}

/** Correcting the date received, the sensitive marker, or voiding: the manager's. */
export function assertCanCorrect(actor: Actor, doing: string): void {
  assertCanWork(actor);
  if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", `Only managers can ${doing}.`);
}
