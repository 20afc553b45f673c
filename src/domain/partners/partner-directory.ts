import { DomainError } from "../errors.ts";
import type { PartnerRecord } from "./partner-store.ts";

/**
 * The directory's rules, pure: which entry a typed name means, and that every name and alias
 * means one partner only. A typed name matches ignoring case and extra spaces, against the
 * partner's name and its aliases (`NYP`, `north  yorkshire police` → North Yorkshire Police).
 */

/** How names are compared: compatibility-normalised, spaces collapsed, without case. */
export function partnerKey(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLocaleLowerCase("en-GB");
}

/** How a form's choice names a partner (`#12`): exact, whatever the name's length or later renaming. */
export function partnerChoiceValue(partner: Pick<PartnerRecord, "id">): string {
  return `#${partner.id}`;
}

const CHOICE = /^#(\d{1,9})$/;

/** The entry a typed name (or a form's `#id`) means: by name first, then by alias; undefined when none. */
export function findPartner(directory: readonly PartnerRecord[], typed: string): PartnerRecord | undefined {
  const choice = CHOICE.exec(typed.trim());
  if (choice) return directory.find((partner) => partner.id === Number(choice[1]));
  const key = partnerKey(typed);
  if (!key) return undefined;
  const byId = [...directory].sort((a, b) => a.id - b.id);
  return byId.find((partner) => partnerKey(partner.name) === key) ?? byId.find((partner) => partner.aliases.some((alias) => partnerKey(alias) === key));
}

/** Refuses a name or alias that already means another partner: an alias belongs to one partner only. */
export function assertNamesFree(directory: readonly PartnerRecord[], names: readonly string[], exceptId?: number): void {
  for (const name of names) {
    const holder = directory.find((partner) => partner.id !== exceptId && [partner.name, ...partner.aliases].some((other) => partnerKey(other) === partnerKey(name)));
    if (!holder) continue;
    const what = partnerKey(holder.name) === partnerKey(name) ? "the name of a partner already in the directory" : `already an alias of ${holder.name}`;
    throw new DomainError("already_exists", `“${name}” is ${what}: a name or alias may belong to one partner only. See them with: partner list`, "aliases");
  }
}

/** Aliases without repeats (by the comparison rule) and without the partner's own name. */
export function distinctAliases(name: string, aliases: readonly string[]): string[] {
  const seen = new Set([partnerKey(name)]);
  return aliases.filter((alias) => {
    const key = partnerKey(alias);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How a manager adds a partner, as every refusal about an unknown partner says it. */
export const ADD_PARTNER_HINT = 'A manager adds one with: partner add "<name>" [--alias <other name>] [--reply-days N] [--contact C]';

/** What a referral form says when the directory has no partner to offer. */
export const NO_PARTNERS = `No partners are in the directory yet: ask a manager to add them (partner add "<name>").`;

const LISTED = 10;

/** The refusal for a typed partner the directory does not know: the partners it does know, and how to add one. */
export function unknownPartner(directory: readonly PartnerRecord[], typed: string): DomainError {
  const known = directory.filter((partner) => partner.active).map((partner) => partner.name);
  const shown = known.slice(0, LISTED).join(", ");
  const more = known.length > LISTED ? ` and ${known.length - LISTED} more (partner list)` : "";
  const listing = known.length ? `Known partners: ${shown}${more}.` : "The directory has no partners yet.";
  return new DomainError("invalid_input", `No partner “${typed.trim().slice(0, 120)}” in the directory. ${listing} ${ADD_PARTNER_HINT}`, "partner");
}

/**
 * The directory name a report counts a referral or reply under: the entry it was recorded
 * against (by id) as the directory names it now, else the entry its recorded name means,
 * else the recorded name itself (history from before the directory).
 */
export function partnerNamer(directory: readonly PartnerRecord[]): (detail: Record<string, unknown>) => string {
  const byId = new Map(directory.map((partner) => [partner.id, partner.name]));
  return (detail) => {
    const recorded = byId.get(Number(detail.partnerId));
    if (recorded !== undefined) return recorded;
    const typed = typeof detail.partner === "string" ? detail.partner : "";
    return (CHOICE.test(typed) ? undefined : findPartner(directory, typed)?.name) ?? typed;
  };
}
