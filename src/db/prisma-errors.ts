/**
 * Recognises a unique-constraint violation without importing Prisma's classes everywhere:
 * P2002 from a model query, a raw query (P2010) whose driver reported one, or the
 * driver's own SQLSTATE 23505 from a statement run on it directly.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === "P2002" || code === "23505" || (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}
