import type { Clock, Platform } from "../ports.ts";
import type { CaseView } from "./case-view.ts";

/**
 * Case cards posted where many people read them (a Slack channel, a Teams channel or group
 * chat). When a case's sensitive marker changes, every such card is updated in place, so
 * details withheld from that moment are withheld everywhere the case is shown.
 */

export type ChatPlatform = Exclude<Platform, "cli">;

export interface PostedCard {
  id: number;
  reference: string;
  platform: ChatPlatform;
  /** Where it is: Slack `{ channel }`, or the Teams conversation reference. */
  conversation: Record<string, unknown>;
  messageId: string;
  shownSensitive: boolean;
}

export interface PostedCardStore {
  record(card: Omit<PostedCard, "id">, at: Date): Promise<void>;
  /** Cards on `platform` whose case's sensitive marker is no longer what they show. */
  outOfDate(platform: ChatPlatform, limit: number): Promise<PostedCard[]>;
  markShown(id: number, sensitive: boolean, at: Date): Promise<void>;
  /** The case of the card posted as `messageId` on `platform` (a Slack message ts), if Postbag posted one there. */
  referenceAt(platform: ChatPlatform, messageId: string): Promise<string | null>;
}

/** How a platform updates one of its posted cards to the case as a channel may now see it. */
export interface PostedCardUpdater {
  platform: ChatPlatform;
  update(card: PostedCard, view: CaseView): Promise<void>;
}

const BATCH = 50;

export class PostedCards {
  private readonly updaters: PostedCardUpdater[] = [];

  constructor(
    private readonly store: PostedCardStore,
    /** The case as anyone in a channel may see it. */
    private readonly sharedView: (reference: string) => Promise<CaseView>,
    private readonly clock: Clock,
  ) {}

  /** A platform that can update the cards it posted (each chat adapter registers one). */
  use(updater: PostedCardUpdater): void {
    this.updaters.push(updater);
  }

  /** Which case a posted card shows: a file shared in its thread is for that case. */
  referenceAt(platform: ChatPlatform, messageId: string): Promise<string | null> {
    return this.store.referenceAt(platform, messageId);
  }

  remember(card: Omit<PostedCard, "id">): Promise<void> {
    return this.store.record(card, this.clock.now());
  }

  /**
   * Updates every posted card whose case's marker changed since it was shown. A card that
   * cannot be updated now (the platform refuses, the message is gone) is left for the next
   * run and reported; this never throws.
   */
  async refresh(): Promise<{ updated: number; failures: { platform: ChatPlatform; reference?: string; error: unknown }[] }> {
    let updated = 0;
    const failures: { platform: ChatPlatform; reference?: string; error: unknown }[] = [];
    for (const updater of this.updaters) {
      const { platform } = updater;
      try {
        for (const card of await this.store.outOfDate(platform, BATCH)) {
          try {
            const view = await this.sharedView(card.reference);
            await updater.update(card, view);
            await this.store.markShown(card.id, view.sensitive, this.clock.now());
            updated += 1;
          } catch (error) {
            failures.push({ platform, reference: card.reference, error });
          }
        }
      } catch (error) {
        failures.push({ platform, error });
      }
    }
    return { updated, failures };
  }
}
