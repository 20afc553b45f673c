import type { ConstituentKeys } from "./constituent-keys.ts";

/** A known constituent that shares a key with someone being logged. */
export interface ConstituentCandidate {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  keys: ConstituentKeys;
  /** How many cases they have, and whether any is sensitive (then their details are not shown to whoever logs). */
  caseCount: number;
  anySensitive: boolean;
}

/** What the person logging said: this known constituent, or a new person. */
export type ConstituentChoice = { existing: number } | "new";

export type ConstituentDecision =
  | { kind: "existing"; id: number }
  | { kind: "new" }
  /** Probably someone known, but not certainly: the person logging is asked, never guessed for. */
  | { kind: "ask"; candidates: ConstituentCandidate[] };

/**
 * Whether a person being logged is a constituent already known. The same name (compared
 * without case, spaces or accents) and the same email or phone is the same person. Anyone who
 * shares only the name, or only an email or phone, is probably them: the person logging is asked.
 * A name alone with nothing else known is asked too, since two letters from "Jane Doe" at one
 * address are the commonest duplicate. No candidates: a new constituent.
 */
export function decideConstituent(keys: ConstituentKeys, candidates: readonly ConstituentCandidate[], choice?: ConstituentChoice): ConstituentDecision {
  if (choice === "new") return { kind: "new" };
  if (choice) return { kind: "existing", id: choice.existing };
  const exact = candidates.filter((candidate) => candidate.keys.nameKey === keys.nameKey && sharesContact(keys, candidate.keys));
  if (exact.length > 0) return { kind: "existing", id: Math.min(...exact.map((candidate) => candidate.id)) };
  const probable = candidates.filter((candidate) => candidate.keys.nameKey === keys.nameKey || sharesContact(keys, candidate.keys));
  if (probable.length === 0) return { kind: "new" };
  return { kind: "ask", candidates: [...probable].sort((a, b) => a.id - b.id).slice(0, 5) };
}

/** For imports, which cannot ask: only a certain match is the same person; anything less is a new record to merge later. */
export function decideConstituentWithoutAsking(keys: ConstituentKeys, candidates: readonly ConstituentCandidate[]): { kind: "existing"; id: number } | { kind: "new" } {
  const decision = decideConstituent(keys, candidates);
  return decision.kind === "ask" ? { kind: "new" } : decision;
}

function sharesContact(a: ConstituentKeys, b: ConstituentKeys): boolean {
  return (a.emailKey !== null && a.emailKey === b.emailKey) || (a.phoneKey !== null && a.phoneKey === b.phoneKey);
}

/** A candidate as the person logging may see them: contact masked, and withheld entirely when any of their cases is sensitive. */
export function describeCandidate(candidate: ConstituentCandidate): string {
  const cases = `${candidate.caseCount} case${candidate.caseCount === 1 ? "" : "s"}`;
  if (candidate.anySensitive) return `C${candidate.id} ${candidate.name} (${cases}, details withheld: sensitive)`;
  const contact = [candidate.email && maskEmail(candidate.email), candidate.phone && maskPhone(candidate.phone)].filter(Boolean).join(", ");
  return `C${candidate.id} ${candidate.name} (${[contact, cases].filter(Boolean).join("; ")})`;
}

function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}…@${domain}`;
}

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return `…${digits.slice(-3)}`;
}
