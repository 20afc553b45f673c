import type { Core } from "../app.ts";
import type { DigestPublisher } from "../domain/digest/digest-publisher.ts";
import type { IntakePublisher } from "../domain/intake/triage.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { RequestHandler } from "../server.ts";

/** What every chat adapter needs from the composition root. */
export interface AdapterDeps {
  core: Core;
  config: Config;
  logger: Logger;
}

/** A chat platform mounted on Postbag's one HTTP server. */
export interface PlatformAdapter {
  name: string;
  /** Where it receives requests, e.g. /slack/events; absent when the platform is not configured. */
  mount?: { path: string; handler: RequestHandler };
  /** One start-up line saying how it is connected, or what to set to connect it. */
  status: string;
  /** How this platform delivers the daily digests, when connected. */
  digestPublisher?: DigestPublisher;
  /** How this platform posts and updates triage cards for new emails, when connected. */
  intakePublisher?: IntakePublisher;
  close?(): Promise<void>;
}
