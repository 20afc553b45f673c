import { DomainError } from "../errors.ts";
import type { CaseChange, CaseRecord } from "../cases/case-record.ts";
import { emailKey, phoneKey } from "./constituent-keys.ts";
import type { ConstituentProfileRecord, MergeFill } from "./constituent-store.ts";

/** How a record's details read on the timeline, so both records stay visible after a merge. */
export function recordDetails(person: Pick<ConstituentProfileRecord, "id" | "name" | "email" | "phone" | "address">): string {
  const contact = [person.email, person.phone, person.address].filter(Boolean).join(", ");
  return `C${person.id} ${person.name}${contact ? ` (${contact})` : ""}`;
}

/**
 * A case moving from one record of a person to another. Personal details are in the entry's
 * text only (erasure clears it); its detail keeps the record numbers. Not progress on the case.
 */
export function mergedCaseChange(record: CaseRecord, from: ConstituentProfileRecord, into: ConstituentProfileRecord, reason: string): CaseChange {
  if (record.constituent.id !== from.id) throw new DomainError("changed_meanwhile", `${record.reference} moved meanwhile; run the merge again.`);
  return {
    patch: { constituentId: into.id },
    entry: {
      type: "constituent_merged",
      text: `Constituent record ${recordDetails(from)} merged into ${recordDetails(into)}: ${reason}`,
      detail: { from: from.id, to: into.id },
    },
    countsAsAction: false,
  };
}

/** What the kept record takes from the merged one: only details it lacks, so nothing it holds is overwritten. */
export function mergeFill(keep: Pick<ConstituentProfileRecord, "email" | "phone" | "address">, other: Pick<ConstituentProfileRecord, "email" | "phone" | "address">): MergeFill {
  const fill: MergeFill = {};
  if (!keep.email && other.email) Object.assign(fill, { email: other.email, emailKey: emailKey(other.email) });
  if (!keep.phone && other.phone) Object.assign(fill, { phone: other.phone, phoneKey: phoneKey(other.phone) });
  if (!keep.address && other.address) fill.address = other.address;
  return fill;
}

/**
 * A case logged for a known person with details given: those the record lacks fill it; those that
 * differ from it are named (the record keeps its own until someone corrects it).
 */
export function detailsGiven(
  known: Pick<ConstituentProfileRecord, "email" | "phone" | "address">,
  given: { email: string | null; phone: string | null; address: string | null },
): { fill: MergeFill; differs: string[] } {
  const fill = mergeFill(known, given);
  const differs: string[] = [];
  if (known.email && given.email && emailKey(known.email) !== emailKey(given.email)) differs.push(`email ${given.email}`);
  if (known.phone && given.phone && phoneKey(known.phone) !== phoneKey(given.phone)) differs.push(`phone ${given.phone}`);
  if (known.address && given.address && known.address.trim() !== given.address.trim()) differs.push(`address ${given.address}`);
  return { fill, differs };
}
