import { DomainError, parseInput } from "../errors.ts";
import { hasRole, type Actor } from "./roles.ts";
import type { StaffIdentity, StaffRecord, StaffStore } from "./staff-record.ts";
import { registerStaffSchema, type RegisterStaffInput } from "./staff.schema.ts";

export const NOT_REGISTERED_HINT = "Ask a Postbag admin to register you (staff add).";

/** Registering staff and recognising them on every platform. */
export class StaffService {
  constructor(private readonly store: StaffStore) {}

  /** The registered, active staff member behind a platform identity, or `not_registered`. */
  async resolveActor(identity: StaffIdentity): Promise<StaffRecord> {
    let staff: StaffRecord | null;
    if ("slackUserId" in identity) staff = await this.store.findBySlackId(identity.slackUserId);
    else if ("teamsUserId" in identity) staff = await this.store.findByTeamsId(identity.teamsUserId);
    else staff = await this.findOne(identity.lookup, "not_registered");
    if (!staff || !staff.active) {
      throw new DomainError("not_registered", `You are not registered as Postbag staff. ${NOT_REGISTERED_HINT}`);
    }
    return staff;
  }

  /** One active member of staff by name, email or platform id; ambiguity is an error, not a guess. */
  async findOne(lookup: string, notFound: "staff_not_found" | "not_registered" = "staff_not_found"): Promise<StaffRecord> {
    const text = lookup.trim();
    const matches = text ? await this.store.findByLookup(text) : [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new DomainError("invalid_input", `"${text}" matches ${matches.length} people (${matches.map((s) => s.name).join(", ")}). Use their email instead.`, "assignee");
    }
    throw new DomainError(
      notFound,
      notFound === "not_registered" ? `No registered staff member "${text}". ${NOT_REGISTERED_HINT}` : `No staff member "${text}". See who is registered with: staff list.`,
      "assignee",
    );
  }

  async findById(id: number): Promise<StaffRecord> {
    const staff = await this.store.findById(id);
    if (!staff || !staff.active) throw new DomainError("staff_not_found", `No staff member with id ${id}.`, "assignee");
    return staff;
  }

  /**
   * Registers a person, or adds roles and platform ids to the record they already
   * have (matched by email or platform id), so one person works from any platform.
   * With no `actor`, only the very first registration is allowed: it bootstraps the office.
   */
  async registerStaff(actor: Actor | null, raw: RegisterStaffInput): Promise<{ staff: StaffRecord; created: boolean }> {
    const input = parseInput(registerStaffSchema, raw);
    const draft = {
      name: input.name,
      email: input.email?.toLowerCase() ?? null,
      slackUserId: input.slackUserId ?? null,
      teamsUserId: input.teamsUserId ?? null,
      roles: input.roles,
    };
    if (!actor) {
      const first = await this.store.create({ ...draft, roles: [...new Set([...draft.roles, "admin" as const])] }, { onlyIfEmpty: true });
      if (!first) throw new DomainError("not_permitted", "Staff are already registered: act as an admin to add more (--as <admin>).");
      return { staff: first, created: true };
    }
    if (!hasRole(actor, "admin")) throw new DomainError("not_permitted", "Only admins can register staff.");

    const existing = await this.findExisting(draft);
    if (!existing) {
      const staff = await this.store.create(draft, { onlyIfEmpty: false });
      return { staff: staff!, created: true };
    }
    const staff = await this.store.update(existing.id, {
      roles: [...new Set([...existing.roles, ...draft.roles])],
      email: existing.email ?? draft.email,
      slackUserId: existing.slackUserId ?? draft.slackUserId,
      teamsUserId: existing.teamsUserId ?? draft.teamsUserId,
    });
    return { staff, created: false };
  }

  list(): Promise<StaffRecord[]> {
    return this.store.list();
  }

  private async findExisting(draft: { email: string | null; slackUserId: string | null; teamsUserId: string | null }) {
    const found = new Map<number, StaffRecord>();
    const add = (staff: StaffRecord | null | undefined) => staff && found.set(staff.id, staff);
    if (draft.slackUserId) add(await this.store.findBySlackId(draft.slackUserId));
    if (draft.teamsUserId) add(await this.store.findByTeamsId(draft.teamsUserId));
    if (draft.email) (await this.store.findByLookup(draft.email)).forEach(add);
    if (found.size > 1) {
      throw new DomainError("already_exists", "Those details belong to different registered people; register them separately.");
    }
    const [existing] = found.values();
    if (existing) {
      const clash =
        (draft.slackUserId && existing.slackUserId && existing.slackUserId !== draft.slackUserId) ||
        (draft.teamsUserId && existing.teamsUserId && existing.teamsUserId !== draft.teamsUserId);
      if (clash) throw new DomainError("already_exists", `${existing.name} is already registered with a different platform id.`);
    }
    return existing ?? null;
  }
}
