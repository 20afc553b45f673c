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

/** Recognises a lost or refused database connection, whichever driver raised it. */
function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P03", "P1001", "P1017", "P2024"].includes(code)) return true;
    if (typeof message === "string" && /Connection terminated|connect ECONNREFUSED|Can't reach database|timeout exceeded when trying to connect|Unable to start a transaction/i.test(message)) return true;
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
