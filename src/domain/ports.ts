/** Where the core learns the time. Injected so deadlines and jobs can be tested on any day. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Which door a change came through; recorded on every timeline entry. */
export type Platform = "cli" | "slack" | "teams" | "import" | "system";

/**
 * How a request reached the core. `requestKey` is the platform's own delivery id
 * (Slack event id, Teams activity id…): a request repeated with the same key
 * returns its first result instead of writing again.
 */
export interface RequestContext {
  platform: Platform;
  requestKey?: string;
}
