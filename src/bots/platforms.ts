import type { DigestPublisher } from "../domain/digest/digest-publisher.ts";
import type { IntakePublisher } from "../domain/intake/triage.ts";
import type { AdapterDeps, PlatformAdapter } from "./adapter.ts";
import { SLACK_NOT_CONFIGURED, slackConfigured } from "./slack/slack-settings.ts";
import { registrationFrom, TEAMS_PATH, teamsStatus } from "./teams/registration.ts";

/**
 * The chat platforms' adapters, each with its SDK loaded only when that platform is used, so an
 * office on one platform does not wait at start for the other's to load (BENCHMARKS.md):
 * Bolt when Slack is configured; botbuilder when Teams is configured or, when it is not, on the
 * first request from this machine (the Bot Framework Emulator) or the first message to someone
 * who has added Postbag in Teams.
 */
export async function createPlatformAdapters(deps: AdapterDeps): Promise<PlatformAdapter[]> {
  const slack = slackConfigured(deps.config.env) ? await (await import("./slack/slack-adapter.ts")).createSlackAdapter(deps) : { name: "slack", status: SLACK_NOT_CONFIGURED };
  const registration = registrationFrom(deps.config.env);
  const teams = registration.appId ? await (await import("./teams/teams-adapter.ts")).createTeamsAdapter(deps) : teamsOnFirstUse(deps);
  return [slack, teams];
}

/** The Teams adapter's route and publishers as stand-ins that load it, once, when first used. */
function teamsOnFirstUse(deps: AdapterDeps): PlatformAdapter {
  let loading: ReturnType<typeof load> | undefined;
  const load = async () => (await import("./teams/teams-adapter.ts")).createTeamsAdapter(deps, { registered: true });
  const teams = () => (loading ??= load());
  const digests = async () => (await teams()).digestPublisher!;
  const digestPublisher: DigestPublisher = {
    platform: "teams",
    postChannelDigest: async (channelId, digest) => (await digests()).postChannelDigest(channelId, digest),
    postChannelReport: async (channelId, report) => (await digests()).postChannelReport!(channelId, report),
    // Nobody is reachable in Teams who has no Teams id: asking needs no botbuilder.
    canReach: async (person) => Boolean(person.teamsUserId) && (await digests()).canReach(person),
    postPersonalCase: async (person, view, message) => (await digests()).postPersonalCase!(person, view, message),
    postPersonalDigest: async (person, digest) => (await digests()).postPersonalDigest(person, digest),
  };
  const intakes = async () => (await teams()).intakePublisher!;
  const intakePublisher: IntakePublisher = {
    platform: "teams",
    announce: async (channelId, record) => (await intakes()).announce(channelId, record),
    update: async (card, record) => (await intakes()).update(card, record),
  };
  deps.core.notices.use(digestPublisher);
  deps.core.postedCards.use({ platform: "teams", update: async (card, view) => (await teams()).cardUpdater.update(card, view) });
  deps.core.triage.use(intakePublisher);
  return {
    name: "teams",
    mount: { path: TEAMS_PATH, handler: async (request, response) => (await teams()).mount!.handler(request, response) },
    status: teamsStatus(registrationFrom(deps.config.env)),
    digestPublisher,
    intakePublisher,
  };
}
