import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { AdapterDeps, PlatformAdapter } from "../adapter.ts";
import type { Logger } from "../../logger.ts";
import { registerCaseButtons } from "./listeners/actions/case-buttons.ts";
import { registerCaseCommand } from "./listeners/commands/case-command.ts";
import { registerAppHomeOpened } from "./listeners/events/app-home-opened.ts";
import { registerAppRemoved } from "./listeners/events/app-removed.ts";
import { gatedCardUpdater, gatedDigestPublisher, gatedIntakePublisher } from "./connection-gate.ts";
import { registerFileShared } from "./listeners/events/file-shared.ts";
import { registerLogAsCase } from "./listeners/shortcuts/log-as-case.ts";
import { registerLogCorrespondence } from "./listeners/shortcuts/log-correspondence.ts";
import { registerCaseActionSubmitted } from "./listeners/views/case-action-submitted.ts";
import { registerLogCaseSubmitted } from "./listeners/views/log-case-submitted.ts";
import { slackDigestPublisher } from "./digest-publisher.ts";
import { slackIntakePublisher } from "./intake-publisher.ts";
import { registerIntakeButtons } from "./listeners/actions/intake-buttons.ts";
import { registerIntakeAttachSubmitted } from "./listeners/views/intake-attach-submitted.ts";
import { registerIntakeDismissSubmitted } from "./listeners/views/intake-dismiss-submitted.ts";
import { slackCardUpdater, type SlackContext } from "./slack-context.ts";
import { SLACK_NOT_CONFIGURED } from "./slack-settings.ts";

export const SLACK_PATH = "/slack/events";

/** Slack sends small payloads; anything bigger is refused before it is parsed. */
const BODY_LIMIT_BYTES = 512 * 1024;

/**
 * The Slack adapter: Bolt's HTTP receiver mounted on Postbag's own server at
 * /slack/events, signatures always verified. With no Slack settings it is not mounted.
 */
export async function createSlackAdapter({ core, config, logger }: AdapterDeps): Promise<PlatformAdapter> {
  const {
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: token,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: apiUrl,
    SLACK_CASE_LOG_CHANNEL: caseLogChannel,
  } = config.env;
  if (!signingSecret || !token) return { name: "slack", status: SLACK_NOT_CONFIGURED };
  const slackLogger = logger.child({ adapter: "slack" });
  const clientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    // Back off and retry on rate limits and network failures; the Web API calls Postbag makes are safe to repeat.
    retryConfig: { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 4_000, randomize: true },
  };
  const context: SlackContext = {
    core,
    logger: slackLogger,
    caseLogChannel,
    responseUrlOrigins: ["https://hooks.slack.com", ...(apiUrl ? [new URL(apiUrl).origin] : [])],
    fileOrigins: ["https://files.slack.com", ...(apiUrl ? [new URL(apiUrl).origin] : [])],
    fetch: globalThis.fetch,
  };

  if (appToken) {
    // Socket Mode: Slack delivers over a WebSocket Postbag opens, so no public URL is needed.
    const app = new App({ token, appToken, socketMode: true, logger: boltLogger(slackLogger), clientOptions, convoStore: false });
    registerListeners(app, context);
    const publishers = usePublishers(core, app);
    await app.start();
    context.botUserId = (await app.client.auth.test()).user_id;
    await core.connections.reconnected("slack");
    return { name: "slack", status: "Slack: connected by Socket Mode", ...publishers, close: () => app.stop().then(() => undefined) };
  }

  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: SLACK_PATH,
    processBeforeResponse: false,
    bodyLimit: BODY_LIMIT_BYTES,
    logger: boltLogger(slackLogger),
  });
  // No conversation store: Postbag keeps its state in the database, and Bolt's in-memory
  // store builds a "not found" error for every request that has none.
  const app = new App({ receiver, token, logger: boltLogger(slackLogger), deferInitialization: true, clientOptions, convoStore: false });
  registerListeners(app, context);
  try {
    await app.init();
    // Bolt checked the token with auth.test and keeps the answer to itself: asked again, for whose token a tokens_revoked event names.
    context.botUserId = (await app.client.auth.test()).user_id;
  } catch (error) {
    // A refused token is a configuration fault: say so once, and run on without Slack.
    slackLogger.error({ err: error }, "Slack refused the bot token");
    return { name: "slack", status: "Slack: NOT connected — Slack refused SLACK_BOT_TOKEN (auth.test failed); fix it and restart" };
  }

  // Slack accepted the token (auth.test): if it was removed from the workspace before, it is back.
  await core.connections.reconnected("slack");
  return {
    name: "slack",
    mount: { path: SLACK_PATH, handler: receiver.requestListener },
    ...usePublishers(core, app),
    status: `Slack: connected at POST ${SLACK_PATH}${caseLogChannel ? `, announcing to ${caseLogChannel}` : ""}`,
  };
}

/** Slack's publishers, each refusing once Postbag was removed from the workspace; the core's notices, card updates and triage use them too. */
function usePublishers(core: AdapterDeps["core"], app: App): Pick<PlatformAdapter, "digestPublisher" | "intakePublisher"> {
  const digestPublisher = gatedDigestPublisher(slackDigestPublisher(app.client), core.connections);
  const intakePublisher = gatedIntakePublisher(slackIntakePublisher(app.client), core.connections);
  core.postedCards.use(gatedCardUpdater(slackCardUpdater(app.client), core.connections));
  core.notices.use(digestPublisher);
  core.triage.use(intakePublisher);
  return { digestPublisher, intakePublisher };
}

function registerListeners(app: App, context: SlackContext): void {
  registerCaseCommand(app, context);
  registerCaseButtons(app, context);
  registerLogCaseSubmitted(app, context);
  registerCaseActionSubmitted(app, context);
  registerLogAsCase(app, context);
  registerLogCorrespondence(app, context);
  registerAppHomeOpened(app, context);
  registerAppRemoved(app, context);
  registerFileShared(app, context);
  registerIntakeButtons(app, context);
  registerIntakeAttachSubmitted(app, context);
  registerIntakeDismissSubmitted(app, context);
  app.error(async (error) => {
    context.logger.error({ err: error }, "unhandled Slack listener error");
  });
}

/** Bolt's logger interface over pino, so every log line is structured the same way. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    // The Slack SDKs' debug lines print whole request and response bodies (case cards with
    // constituents' names, commands as typed), so only their first words are kept.
    debug: (...message) => {
      // Checked first: the SDKs debug-log every request, and formatting them costs even when unused.
      if (logger.isLevelEnabled("debug")) logger.debug(sdkDebugLine(message.map(String).join(" ")));
    },
    info: (...message) => logger.info(message.map(String).join(" ")),
    warn: (...message) => logger.warn(message.map(String).join(" ")),
    error: (...message) => logger.error(message.map(String).join(" ")),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}

/** An SDK debug message cut before anything that may carry a payload (a colon, a brace, a quote). */
export function sdkDebugLine(text: string): string {
  const cut = text.search(/[:{"'[]/);
  return cut < 0 ? text.slice(0, 120) : `${text.slice(0, Math.min(cut, 120))} [payload omitted]`;
}
