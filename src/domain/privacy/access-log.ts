import { DomainError } from "../errors.ts";
import type { Clock, Platform } from "../ports.ts";
import { hasRole, type Actor } from "../staff/roles.ts";

/** Reads and writes of personal data the office must be able to account for. */
export type AccessAction = "sensitive_read" | "export" | "subject_access" | "erasure" | "retention_review" | "correction" | "staff_change" | "partner_change" | "constituent_merge" | "audit_run";

export interface AccessEvent {
  at: Date;
  actorId: number | null;
  actorName: string;
  platform: Platform;
  action: AccessAction;
  /** A case reference, `constituent #<id>` or a period; never a name. */
  subject: string;
  detail: string;
}

export interface AccessLogStore {
  record(event: AccessEvent): Promise<void>;
  list(options: { limit: number; action?: AccessAction }): Promise<AccessEvent[]>;
}

/**
 * The audit log of sensitive reads, corrections, exports, subject access requests and erasures.
 * Entries name cases and constituent ids, never people, so an erasure leaves the log whole.
 */
export class AccessLog {
  constructor(
    private readonly store: AccessLogStore,
    private readonly clock: Clock,
  ) {}

  record(actor: Pick<Actor, "id" | "name"> | null, platform: Platform, action: AccessAction, subject: string, detail = ""): Promise<void> {
    return this.store.record({
      at: this.clock.now(),
      actorId: actor && actor.id > 0 ? actor.id : null,
      actorName: actor?.name ?? "Postbag",
      platform,
      action,
      subject,
      detail,
    });
  }

  /** `audit-log`: managers only. */
  async list(actor: Actor, limit = 50): Promise<AccessEvent[]> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can read the audit log.");
    return this.store.list({ limit: Math.min(Math.max(limit, 1), 500) });
  }
}
