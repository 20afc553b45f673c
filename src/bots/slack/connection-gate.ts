import type { PostedCardUpdater } from "../../domain/cases/posted-cards.ts";
import type { DigestPublisher } from "../../domain/digest/digest-publisher.ts";
import type { IntakePublisher } from "../../domain/intake/triage.ts";
import type { PlatformConnections } from "../../domain/platforms/connections.ts";

/**
 * Slack's publishers, refusing before they call Slack once Postbag was removed from the workspace
 * (`PlatformDisconnected`). The jobs record such a delivery failed, so it waits rather than being
 * lost; a person's own messages go by their other platform, if any (`canReach` is false).
 */
export function gatedDigestPublisher(publisher: DigestPublisher, connections: PlatformConnections): DigestPublisher {
  return {
    platform: publisher.platform,
    canReach: async (person) => !(await connections.find("slack")) && (await publisher.canReach(person)),
    postChannelDigest: async (channelId, digest) => {
      await connections.assertConnected("slack");
      await publisher.postChannelDigest(channelId, digest);
    },
    postPersonalDigest: async (person, digest) => {
      await connections.assertConnected("slack");
      await publisher.postPersonalDigest(person, digest);
    },
    ...(publisher.postPersonalCase && {
      postPersonalCase: async (person, view, message) => {
        await connections.assertConnected("slack");
        await publisher.postPersonalCase!(person, view, message);
      },
    }),
    ...(publisher.postChannelReport && {
      postChannelReport: async (channelId, report) => {
        await connections.assertConnected("slack");
        await publisher.postChannelReport!(channelId, report);
      },
    }),
  };
}

export function gatedIntakePublisher(publisher: IntakePublisher, connections: PlatformConnections): IntakePublisher {
  return {
    platform: publisher.platform,
    announce: async (channelId, record) => {
      await connections.assertConnected("slack");
      return publisher.announce(channelId, record);
    },
    update: async (card, record) => {
      await connections.assertConnected("slack");
      await publisher.update(card, record);
    },
  };
}

export function gatedCardUpdater(updater: PostedCardUpdater, connections: PlatformConnections): PostedCardUpdater {
  return {
    platform: updater.platform,
    update: async (card, view) => {
      await connections.assertConnected("slack");
      await updater.update(card, view);
    },
  };
}
