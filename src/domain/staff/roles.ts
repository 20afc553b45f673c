export const ROLES = ["admin", "caseworker", "manager", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** A registered member of staff, as the rules need them. */
export interface Actor {
  id: number;
  name: string;
  roles: readonly Role[];
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((role) => actor.roles.includes(role));
}

/** Who may change cases at all: anyone but a pure viewer. */
export function canWork(actor: Actor): boolean {
  return hasRole(actor, "admin", "caseworker", "manager");
}

/** Who may hold cases (be a case's assignee): caseworkers and managers. */
export function canHoldCases(person: Pick<Actor, "roles">): boolean {
  return person.roles.includes("caseworker") || person.roles.includes("manager");
}

/**
 * Postbag itself, acting for the office by the office's own choice (an automatic acknowledgement,
 * POSTBAG_AUTO_ACK): not a member of staff, so its timeline entries name nobody (id 0), and what
 * it sends is recorded as sent by "Postbag on behalf of the office".
 */
export const OFFICE_SENDER: Actor = { id: 0, name: "Postbag on behalf of the office", roles: ["admin"] };

/** Whether an act is Postbag's own, for the office (OFFICE_SENDER). */
export function actsForOffice(actor: Pick<Actor, "id">): boolean {
  return actor.id === OFFICE_SENDER.id;
}
