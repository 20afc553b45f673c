import { formatDateTime } from "../calendar/local-date.ts";
import type { Clock } from "../ports.ts";

export type ChatPlatformName = "slack" | "teams";

/** Why a platform told Postbag it may no longer post there, in the words a manager reads. */
export const DISCONNECT_REASONS = {
  app_uninstalled: "the Postbag app was uninstalled from the workspace",
  tokens_revoked: "Postbag's bot token was revoked",
} as const;
export type DisconnectReason = keyof typeof DISCONNECT_REASONS;

/** A platform Postbag may not post to, since when and why. */
export interface Disconnection {
  platform: ChatPlatformName;
  reason: DisconnectReason;
  /** The workspace it was removed from (Slack's team id), as the platform named it. */
  workspace: string | null;
  since: Date;
}

/** Where disconnections are kept, so every process stops posting and a restart remembers. Only src/db knows the table. */
export interface ConnectionStore {
  /** Records the platform disconnected, keeping the first time and reason while it stays so. */
  disconnect(disconnection: Disconnection): Promise<void>;
  /** The platform works again. */
  clear(platform: ChatPlatformName, at: Date): Promise<void>;
  /** Every platform disconnected now. */
  list(): Promise<Disconnection[]>;
}

/** Thrown instead of posting to a disconnected platform: the delivery fails, and waits. */
export class PlatformDisconnected extends Error {
  constructor(readonly disconnection: Disconnection) {
    super(`${disconnection.platform} is disconnected: ${DISCONNECT_REASONS[disconnection.reason]}`);
    this.name = "PlatformDisconnected";
  }
}

const PLATFORM_NAMES: Record<ChatPlatformName, string> = { slack: "Slack", teams: "Microsoft Teams" };

/** What the manager digest says of a disconnection: what happened, what it means, and how to end it. */
export function disconnectionWords(disconnection: Disconnection): string {
  const where = disconnection.workspace ? ` (workspace ${disconnection.workspace})` : "";
  return `${PLATFORM_NAMES[disconnection.platform]}: ${DISCONNECT_REASONS[disconnection.reason]}${where} on ${formatDateTime(disconnection.since)}. Nothing is posted there: its digests, notices and triage cards wait. To resume, a Slack admin installs the app again from manifest/slack.yaml; put the new bot token in SLACK_BOT_TOKEN and restart Postbag.`;
}

/**
 * Whether Postbag may post to each chat platform. A platform that says Postbag was removed
 * (Slack's app_uninstalled, or its bot token revoked) is recorded here: its publishers then
 * refuse before calling it — so the jobs keep their deliveries for later instead of losing
 * them — and the manager digest says so on the other platform. A start-up whose token the
 * platform accepts again clears it.
 */
export class PlatformConnections {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
  ) {}

  /** The platform told Postbag it may no longer post there. Safe to repeat (events are redelivered). */
  async disconnected(platform: ChatPlatformName, reason: DisconnectReason, workspace: string | null): Promise<Disconnection> {
    await this.store.disconnect({ platform, reason, workspace, since: this.clock.now() });
    return (await this.find(platform))!;
  }

  /** The platform accepted Postbag's token again. */
  async reconnected(platform: ChatPlatformName): Promise<void> {
    await this.store.clear(platform, this.clock.now());
  }

  list(): Promise<Disconnection[]> {
    return this.store.list();
  }

  async find(platform: ChatPlatformName): Promise<Disconnection | undefined> {
    return (await this.store.list()).find((disconnection) => disconnection.platform === platform);
  }

  /** Throws `PlatformDisconnected` when nothing may be posted to the platform. */
  async assertConnected(platform: ChatPlatformName): Promise<void> {
    const disconnection = await this.find(platform);
    if (disconnection) throw new PlatformDisconnected(disconnection);
  }
}
