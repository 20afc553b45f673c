import type { Logger } from "../../logger.ts";

/**
 * Retrying the Bot Connector. Teams throttles per bot per conversation (429) and its
 * gateway occasionally answers 412/502/504. botbuilder's HTTP pipeline (Azure core)
 * already retries 429 (honouring Retry-After), 5xx and network errors three times with
 * exponential back-off and jitter; retrying those again here would multiply attempts
 * sixteenfold. This layer adds what the pipeline does not retry (412) and makes a reply
 * that finally fails a logged event: it is sent after the case change committed, so
 * the change stands.
 */

export interface RetryOptions {
  attempts: number;
  /** First back-off; doubles each attempt, with full jitter, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Statuses the SDK pipeline gives up on at once, but which are worth another try. */
const RETRYABLE = new Set([412]);

function statusOf(error: unknown): number | undefined {
  const candidate = error as { statusCode?: unknown; response?: { status?: unknown } } | null;
  if (typeof candidate?.statusCode === "number") return candidate.statusCode;
  if (typeof candidate?.response?.status === "number") return candidate.response.status;
  return undefined;
}

/** Retry-After, in seconds or as a date; absent or unreadable means "use the back-off". */
function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined | null } } } | null)?.response?.headers;
  const value = typeof headers?.get === "function" ? headers.get("retry-after") : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && RETRYABLE.has(status);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `send`, retrying throttling and gateway failures with exponential back-off and full jitter. */
export async function withRetry<T>(send: () => Promise<T>, options: RetryOptions, logger: Logger, what: string): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= options.attempts || !isRetryable(error)) throw error;
      const backoff = Math.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.min(options.maxDelayMs, Math.max(retryAfterMs(error) ?? 0, backoff));
      logger.warn({ status: statusOf(error), attempt, delayMs: Math.round(delay) }, `Teams: ${what} failed, retrying`);
      await sleep(delay);
    }
  }
}

/** Sends, retrying; a reply that cannot be delivered is logged, never thrown: the case change it reports has already been made. */
export async function deliver(send: () => Promise<unknown>, options: RetryOptions, logger: Logger, what: string): Promise<boolean> {
  return (await delivered(send, options, logger, what)).ok;
}

/** As `deliver`, with what Teams answered (for a new message, its id). */
export async function delivered<T>(send: () => Promise<T>, options: RetryOptions, logger: Logger, what: string): Promise<{ ok: true; answer: T } | { ok: false }> {
  try {
    return { ok: true, answer: await withRetry(send, options, logger, what) };
  } catch (error) {
    logger.error({ err: error, status: statusOf(error) }, `Teams: ${what} could not be delivered; the case change stands`);
    return { ok: false };
  }
}
