import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured logs. Constituents' names, contact details and case summaries are
 * never logged: log references and ids, not content.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: "postbag" }, redact: ["constituent", "summary", "text", "*.constituent", "*.summary"] }, destination as never);
}
