import { DomainError, parseInput } from "../errors.ts";
import type { Platform } from "../ports.ts";
import { canHoldCases, hasRole, type Actor } from "./roles.ts";
import type { NewStaff, StaffIdentity, StaffRecord, StaffStore } from "./staff-record.ts";
import { registerStaffSchema, roleListSchema, staffChangeSchema, staffLinkSchema, staffUnlinkSchema, type RegisterStaffInput } from "./staff.schema.ts";

export const NOT_REGISTERED_HINT = "Ask a Postbag admin to register you (staff add).";

/** What a form offers in place of a choice of staff when nobody may hold cases. */
export const NO_ASSIGNABLE_STAFF = "Nobody active is a caseworker or manager yet, so there is nobody to assign it to. An admin registers them with: staff add.";

/** Where changes to staff (roles, leavers) are recorded, for managers to inspect (the audit log). */
export type StaffAudit = (actor: Actor, platform: Platform, subject: string, detail: string) => Promise<void>;

/** A person a form offers to choose: their id, and how they read. */
export interface StaffChoice {
  value: string;
  label: string;
}

/** Registering staff, changing their roles, deactivating leavers, and recognising them on every platform. */
export class StaffService {
  private readonly platformListeners: ((staffId: number) => Promise<void>)[] = [];

  constructor(
    private readonly store: StaffStore,
    private readonly audit: StaffAudit = async () => {},
  ) {}

  /** Called, and awaited, after a person's platform ids change (reachability forgets old failures). */
  whenPlatformsChange(listener: (staffId: number) => Promise<void>): void {
    this.platformListeners.push(listener);
  }

  /**
   * Gives a person a Slack id, a Teams id (their Entra object id) or an email, each replacing
   * the one they had. Managers only; an id or email someone else holds is refused, naming them.
   * The new id is recognised from its next request and the old one no longer is.
   */
  async link(actor: Actor, raw: { who: unknown; slackUserId?: unknown; teamsUserId?: unknown; email?: unknown }, platform: Platform): Promise<{ staff: StaffRecord; changes: string[] }> {
    assertManager(actor, "change staff platform ids");
    const input = parseInput(staffLinkSchema, raw);
    const person = await this.anyone(input.who);
    const everyone = await this.store.list();
    const patch: Partial<NewStaff> = {};
    const changes: string[] = [];
    for (const { field, label, fix } of LINKABLE) {
      const value = input[field];
      if (value === undefined || value === person[field]) continue;
      const holder = everyone.find((staff) => staff.id !== person.id && staff[field]?.toLowerCase() === value.toLowerCase());
      if (holder) throw new DomainError("already_exists", `${label} ${value} is already ${holder.name}'s${holder.active ? "" : " (deactivated)"}. ${fix(holder.name)}`, field);
      patch[field] = value;
      changes.push(`${label} ${person[field] ?? "none"} → ${value}`);
    }
    return this.changeLinks(actor, person, patch, changes, platform);
  }

  /** Takes a Slack or Teams id from a person: requests from it are refused from the next one. Managers only. */
  async unlink(actor: Actor, raw: { who: unknown; platforms: unknown }, platform: Platform): Promise<{ staff: StaffRecord; changes: string[] }> {
    assertManager(actor, "change staff platform ids");
    const input = parseInput(staffUnlinkSchema, raw);
    const person = await this.anyone(input.who);
    const patch: Partial<NewStaff> = {};
    const changes: string[] = [];
    for (const { field, label, platform: linked } of LINKABLE) {
      if (!linked || !input.platforms.includes(linked) || !person[field]) continue;
      patch[field] = null;
      changes.push(`${label} ${person[field]} → none`);
    }
    return this.changeLinks(actor, person, patch, changes, platform);
  }

  private async changeLinks(actor: Actor, person: StaffRecord, patch: Partial<NewStaff>, changes: string[], platform: Platform) {
    if (changes.length === 0) return { staff: person, changes };
    const staff = await this.store.update(person.id, patch);
    await this.audit(actor, platform, `staff #${person.id}`, changes.join("; "));
    for (const listener of this.platformListeners) await listener(person.id);
    return { staff, changes };
  }

  /**
   * Sets a person's roles to exactly these (granting and revoking). Managers only; the office
   * always keeps an active manager. Takes effect from the person's next request.
   */
  async setRoles(actor: Actor, raw: { who: unknown; roles: unknown }, platform: Platform): Promise<StaffRecord> {
    assertManager(actor, "change staff roles");
    const { who } = parseInput(staffChangeSchema, { who: raw.who });
    const roles = parseInput(roleListSchema, raw.roles);
    const person = await this.anyone(who);
    if (person.roles.includes("manager") && !roles.includes("manager")) await this.assertAnotherManager(person, "take the manager role from");
    const updated = await this.store.update(person.id, { roles });
    await this.audit(actor, platform, `staff #${person.id}`, `roles ${person.roles.join(",")} → ${roles.join(",")}`);
    return updated;
  }

  /**
   * A leaver: they can no longer act or read anything, on any platform, from their next
   * request; their history stays theirs; their open cases count as unowned until reassigned.
   */
  async deactivate(actor: Actor, raw: { who: unknown; reason?: unknown }, platform: Platform): Promise<StaffRecord> {
    assertManager(actor, "deactivate staff");
    const { who, reason } = parseInput(staffChangeSchema, raw);
    if (!reason) throw new DomainError("invalid_input", "Say why (for example: left the office).", "reason");
    const person = await this.anyone(who);
    if (person.id === actor.id) throw new DomainError("not_permitted", "You cannot deactivate yourself; ask another manager.");
    if (!person.active) throw new DomainError("invalid_input", `${person.name} is already deactivated.`);
    if (person.roles.includes("manager")) await this.assertAnotherManager(person, "deactivate");
    const updated = await this.store.update(person.id, { active: false });
    await this.audit(actor, platform, `staff #${person.id}`, `deactivated: ${reason}`);
    return updated;
  }

  async reactivate(actor: Actor, raw: { who: unknown }, platform: Platform): Promise<StaffRecord> {
    assertManager(actor, "reactivate staff");
    const { who } = parseInput(staffChangeSchema, raw);
    const person = await this.anyone(who);
    if (person.active) throw new DomainError("invalid_input", `${person.name} is active already.`);
    const updated = await this.store.update(person.id, { active: true });
    await this.audit(actor, platform, `staff #${person.id}`, "reactivated");
    return updated;
  }

  /** One person, active or not, by name, email or platform id. */
  private async anyone(who: string): Promise<StaffRecord> {
    const text = who.toLowerCase();
    const matches = (await this.store.list()).filter((staff) =>
      [staff.name, staff.email, staff.slackUserId, staff.teamsUserId].some((value) => value?.toLowerCase() === text),
    );
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new DomainError("invalid_input", `"${who}" matches ${matches.length} people (${matches.map((s) => s.name).join(", ")}). Use their email instead.`);
    throw new DomainError("staff_not_found", `No staff member "${who}". See who is registered with: staff list.`);
  }

  private async assertAnotherManager(person: StaffRecord, doing: string): Promise<void> {
    const others = (await this.store.list()).filter((staff) => staff.active && staff.id !== person.id && staff.roles.includes("manager"));
    if (others.length === 0) throw new DomainError("not_permitted", `You cannot ${doing} ${person.name}: the office would have no manager.`);
  }

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
    if (!staff) throw new DomainError("staff_not_found", `No staff member with id ${id}.`, "assignee");
    if (!staff.active) throw new DomainError("staff_not_found", `${staff.name} is deactivated, so cannot be given cases.`, "assignee");
    return staff;
  }

  /**
   * Whom a case may be given to, as a form offers them: the active staff who may hold cases
   * (caseworkers and managers), by name; each value is the person's id, which assignment takes.
   */
  async assignable(): Promise<StaffChoice[]> {
    const people = (await this.store.list()).filter((staff) => staff.active && canHoldCases(staff));
    const named = (name: string) => people.filter((other) => other.name.toLowerCase() === name.toLowerCase()).length;
    // Two people of one name are told apart by their email.
    return people.map((staff) => ({ value: String(staff.id), label: named(staff.name) > 1 && staff.email ? `${staff.name} (${staff.email})` : staff.name }));
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

/** What `staff link` sets, how it is named in messages and the audit log, and how a clash is resolved. */
const LINKABLE = [
  { field: "slackUserId", label: "Slack id", platform: "slack", fix: (holder: string) => `Unlink it from them first: staff unlink "${holder}" --slack` },
  { field: "teamsUserId", label: "Teams id", platform: "teams", fix: (holder: string) => `Unlink it from them first: staff unlink "${holder}" --teams` },
  { field: "email", label: "Email", platform: null, fix: (holder: string) => `Give them another first: staff link "${holder}" --email <their address>` },
] as const;

function assertManager(actor: Actor, doing: string): void {
  if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", `Only managers can ${doing}.`);
}
