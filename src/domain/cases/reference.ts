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

/** What the logging statement needs to number a new case: the stem, digits and year, decided here. */
export function loggingKeys(prefix: string, today: string) {
  const year = Number(today.slice(0, 4));
  return { referenceStem: referenceStem(prefix, year), referenceDigits: REFERENCE_DIGITS, year };
}
