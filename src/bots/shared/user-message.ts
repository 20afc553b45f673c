import { isDomainError } from "../../domain/errors.ts";
import type { Logger } from "../../logger.ts";

export interface UserMessage {
  text: string;
  /** The input at fault, for a form to show the message beside it. */
  field?: string;
  /** False for a bug: logged with its stack, shown as an apology. */
  expected: boolean;
}

const UNAVAILABLE = "Postbag cannot reach its database just now, so nothing was changed. Please try again in a minute.";
const APOLOGY = "Sorry — something went wrong on Postbag's side and nothing was changed. Please try again; if it keeps happening, tell your Postbag admin.";

/** SQLSTATE classes meaning "no database just now": connection exceptions, shutdowns, too many clients. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "P1001", "P1002", "P1017", "P2024"]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|is not queryable|connect ECONNREFUSED|Can't reach database|timeout exceeded when trying to connect|Unable to start a transaction|terminating connection|the database system is (starting up|shutting down)|server closed the connection|Code: `(08...|57P0[1-3]|53300)`/i;

/**
 * Recognises a lost or refused database connection, whichever layer reports it: pg
 * itself, Prisma's driver adapter (which keeps the SQLSTATE in its message), or Prisma.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const { code, message, cause, meta, originalCode } = current as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown; originalCode?: unknown };
    for (const value of [code, originalCode]) {
      if (typeof value === "string" && (UNAVAILABLE_CODES.has(value) || UNAVAILABLE_SQLSTATE.test(value))) return true;
    }
    if (typeof message === "string" && UNAVAILABLE_MESSAGE.test(message)) return true;
    queue.push(cause, meta, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return false;
}

/**
 * The one place an adapter turns a failure into words for a person. Refusals from
 * the core pass through as they are; anything else never shows its stack.
 */
export function userMessageFor(error: unknown, logger: Logger, context: Record<string, unknown> = {}): UserMessage {
  if (isDomainError(error)) return { text: error.message, field: error.field, expected: true };
  if (isDatabaseUnavailable(error)) {
    logger.warn({ ...context, err: error }, "database unavailable");
    return { text: UNAVAILABLE, expected: true };
  }
  logger.error({ ...context, err: error }, "unexpected failure");
  return { text: APOLOGY, expected: false };
}
