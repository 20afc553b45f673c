import { DomainError, parseInput } from "../errors.ts";
import type { Platform } from "../ports.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import type { z } from "zod";
import { assertNamesFree, distinctAliases, findPartner, partnerChoiceValue, partnerKey, unknownPartner } from "./partner-directory.ts";
import { addPartnerSchema, changePartnerSchema, type AddPartnerInput, type ChangePartnerInput } from "./partner.schema.ts";
import type { NewPartner, PartnerRecord, PartnerStore } from "./partner-store.ts";

/** Where changes to the directory are recorded (the audit log, as staff changes are). */
export type PartnerAudit = (actor: Actor, platform: Platform, subject: string, detail: string) => Promise<void>;

/** A partner a form offers: its `#id` and how it reads. */
export interface PartnerChoice {
  value: string;
  label: string;
}

/**
 * The partner directory: managers add and change partners; anyone reads it; referrals,
 * replies and chases find their partner in it by name or alias.
 */
export class PartnerService {
  constructor(
    private readonly store: PartnerStore,
    private readonly audit: PartnerAudit = async () => {},
  ) {}

  /** `partner list`: every partner, retired ones marked. */
  list(): Promise<PartnerRecord[]> {
    return this.store.list();
  }

  /** The partners a referral form offers (active ones, by name). */
  async choices(): Promise<PartnerChoice[]> {
    return (await this.store.list())
      .filter((partner) => partner.active)
      .map((partner) => ({ value: partnerChoiceValue(partner), label: partner.aliases.length ? `${partner.name} (${partner.aliases.join(", ")})` : partner.name }));
  }

  /**
   * The partner a typed name means. `strict` (a new referral) refuses a name the directory
   * does not know, or a retired partner, naming the partners it knows; otherwise an unknown
   * name gives undefined, for the case to say which partners it awaits.
   */
  async find(typed: string, options: { strict: boolean }): Promise<PartnerRecord | undefined> {
    const directory = await this.store.list();
    const partner = findPartner(directory, typed);
    if (!options.strict) return partner;
    if (!partner) throw unknownPartner(directory, typed);
    if (!partner.active) {
      throw new DomainError("invalid_input", `${partner.name} is retired from the partner directory. A manager can bring it back: partner change "${partner.name}" --active`, "partner");
    }
    return partner;
  }

  /** `partner add`: managers. Its name and aliases must mean no other partner. */
  async add(actor: Actor, raw: AddPartnerInput, platform: Platform): Promise<PartnerRecord> {
    assertManager(actor, "add partners");
    const input = parseInput(addPartnerSchema, raw);
    const partner: NewPartner = { name: input.name, aliases: distinctAliases(input.name, input.aliases), replyDays: input.replyDays ?? null, contact: input.contact ?? null, active: true };
    const added = await this.store.write((directory) => {
      assertNamesFree(directory, [partner.name, ...partner.aliases]);
      return { kind: "create", partner };
    });
    await this.audit(actor, platform, `partner #${added.id}`, `added ${describe(added)}`);
    return added;
  }

  /** `partner change`: managers; aliases added or removed, reply days, contact, a new name, retired or back. */
  async change(actor: Actor, raw: ChangePartnerInput, platform: Platform): Promise<{ partner: PartnerRecord; changes: string[] }> {
    assertManager(actor, "change partners");
    const input = parseInput(changePartnerSchema, raw);
    let changes: string[] = [];
    const changed = await this.store.write((directory) => {
      const partner = findPartner(directory, input.partner);
      if (!partner) throw unknownPartner(directory, input.partner);
      const plan = planChange(directory, partner, input);
      changes = plan.changes;
      return { kind: "update", id: partner.id, patch: plan.patch };
    });
    await this.audit(actor, platform, `partner #${changed.id}`, changes.join("; "));
    return { partner: changed, changes };
  }
}

const CHANGE_USAGE = 'partner change "<name or alias>" [--alias A]… [--remove-alias A]… [--reply-days N|default] [--contact C] [--rename "<new name>"] [--inactive | --active]';

/** What a change writes, and how each part reads in the answer and the audit log; refuses what cannot be. */
function planChange(directory: readonly PartnerRecord[], partner: PartnerRecord, input: z.output<typeof changePartnerSchema>): { patch: Partial<NewPartner>; changes: string[] } {
  const name = input.rename ?? partner.name;
  const owned = (alias: string) => partner.aliases.some((own) => partnerKey(own) === partnerKey(alias));
  const notOwned = input.removeAliases.find((alias) => !owned(alias));
  if (notOwned !== undefined) {
    throw new DomainError("invalid_input", `“${notOwned}” is not an alias of ${partner.name}; its aliases are: ${partner.aliases.join(", ") || "none"}.`, "removeAliases");
  }
  const removing = new Set(input.removeAliases.map(partnerKey));
  const kept = distinctAliases(name, partner.aliases.filter((alias) => !removing.has(partnerKey(alias))));
  const known = new Set([name, ...kept].map(partnerKey));
  const added = distinctAliases(name, input.addAliases).filter((alias) => !known.has(partnerKey(alias)));
  assertNamesFree(directory, [name, ...added], partner.id);
  const aliases = [...kept, ...added];
  const renamed = name !== partner.name;
  // The old name keeps meaning the partner, so what people type out of habit still finds it.
  if (renamed && !aliases.some((alias) => partnerKey(alias) === partnerKey(partner.name)) && partnerKey(name) !== partnerKey(partner.name)) aliases.push(partner.name);

  const patch: Partial<NewPartner> = {};
  const changes: string[] = [];
  if (renamed) {
    patch.name = name;
    changes.push(`renamed “${partner.name}” → “${name}”`);
  }
  if (aliases.join("\n") !== partner.aliases.join("\n")) patch.aliases = aliases;
  if (added.length) changes.push(`aliases added: ${added.join(", ")}`);
  if (input.removeAliases.length) changes.push(`aliases removed: ${input.removeAliases.join(", ")}`);
  if (input.replyDays !== undefined && input.replyDays !== partner.replyDays) {
    patch.replyDays = input.replyDays;
    changes.push(`reply days ${days(partner.replyDays)} → ${days(input.replyDays)}`);
  }
  if (input.contact !== undefined && input.contact !== partner.contact) {
    patch.contact = input.contact;
    changes.push(input.contact === null ? "contact cleared" : "contact changed");
  }
  if (input.active !== undefined && input.active !== partner.active) {
    patch.active = input.active;
    changes.push(input.active ? "back in use" : "retired: offered for no new referral");
  }
  if (changes.length === 0) throw new DomainError("invalid_input", `Nothing to change for ${partner.name}. Usage: ${CHANGE_USAGE}`);
  return { patch, changes };
}

function days(value: number | null): string {
  return value === null ? "office default" : String(value);
}

/** What the audit log keeps of a new entry: names and days, not the contact (it may name a person). */
function describe(partner: PartnerRecord): string {
  const parts = [`“${partner.name}”`];
  if (partner.aliases.length) parts.push(`aliases ${partner.aliases.join(", ")}`);
  parts.push(`reply days ${days(partner.replyDays)}`);
  if (partner.contact) parts.push("contact given");
  return parts.join("; ");
}

function assertManager(actor: Actor, doing: string): void {
  if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", `Only managers can ${doing}: ask a manager. Anyone can see the directory with: partner list`);
}
