/**
 * A case reference: the office's prefix, the year of logging, and the case's number in that
 * year, gap-free, at least four digits: PFCC-2026-0042 (PFCC-2026-10000 after 9,999).
 * The number is drawn in the logging statement; the format is decided here.
 */
export const REFERENCE_DIGITS = 4;

/** What the reference starts with before its number. */
export function referenceStem(prefix: string, year: number): string {
  return `${prefix}-${year}-`;
}

export function formatReference(prefix: string, year: number, number: number): string {
  return `${referenceStem(prefix, year)}${String(number).padStart(REFERENCE_DIGITS, "0")}`;
}

/**
 * Whether a newly logged person is a constituent already known: the same name (whatever the
 * case) and the same email (whatever the case) or phone. Without an email or phone a name
 * alone proves nothing, so they are a new constituent (null: nothing to compare).
 */
export function constituentMatch(constituent: { name: string; email: string | null; phone: string | null }): { name: string; email: string | null; phone: string | null } | null {
  if (!constituent.email && !constituent.phone) return null;
  return { name: constituent.name.toLowerCase(), email: constituent.email?.toLowerCase() ?? null, phone: constituent.phone ?? null };
}

/** What the logging statement needs to number a new case and find its constituent: all decided here. */
export function loggingKeys(prefix: string, today: string, constituent: { name: string; email: string | null; phone: string | null }) {
  const year = Number(today.slice(0, 4));
  return { referenceStem: referenceStem(prefix, year), referenceDigits: REFERENCE_DIGITS, year, constituentMatch: constituentMatch(constituent) };
}
