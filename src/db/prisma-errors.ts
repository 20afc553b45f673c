/** Recognises Prisma's unique-constraint error (P2002) without importing its classes everywhere. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
