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
