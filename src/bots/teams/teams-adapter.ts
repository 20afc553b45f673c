import { sharePointOnly } from "./turn.ts";
import { CloudAdapter, type Activity } from "botbuilder";
import { teamsCardUpdater } from "./card-updater.ts";
import type { AdapterDeps, PlatformAdapter } from "../adapter.ts";
import type { PostedCardUpdater } from "../../domain/cases/posted-cards.ts";
import { sendJson, type RequestHandler } from "../../server.ts";
import { createAuthentication } from "./auth.ts";
import { registrationFrom, TEAMS_PATH, teamsStatus } from "./registration.ts";
import { PostbagTeamsBot } from "./bot.ts";
import { botRequest, botResponse, HttpError, isLocalRequest, readJsonBody } from "./http.ts";
import { teamsDigestPublisher } from "./digest-publisher.ts";
import { teamsIntakePublisher } from "./intake-publisher.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./send.ts";
import { DEFAULT_UPLOAD } from "./onedrive-upload.ts";

/**
 * Microsoft Teams, through botbuilder's CloudAdapter at POST /api/messages.
 *
 * Everything botbuilder-specific lives in this folder: Microsoft archived the Bot
 * Framework SDK at the end of 2025 and names the Microsoft 365 Agents SDK as its
 * successor, so moving means changing this folder alone.
 */


export interface TeamsAdapterOptions {
  /** botbuilder authentication overrides; tests point these at a local OpenID endpoint. */
  authOverrides?: Record<string, string>;
  retry?: RetryOptions;
  /** Where files sent to the bot may be downloaded from besides SharePoint (tests: a loopback server). */
  fileOrigins?: readonly string[];
  /** How long one PUT of a file into a person's OneDrive may take (tests: short). */
  uploadTimeoutMs?: number;
  /** Its publishers are registered with the core already (stand-ins that load it on first use): not again. */
  registered?: true;
}

export async function createTeamsAdapter(deps: AdapterDeps, options: TeamsAdapterOptions = {}): Promise<PlatformAdapter & { cardUpdater: PostedCardUpdater }> {
  const { env } = deps.config;
  const registration = registrationFrom(env);
  const authenticated = Boolean(registration.appId);
  const logger = deps.logger.child({ platform: "teams" });
  const authentication = createAuthentication(env, options.authOverrides);
  const adapter = new CloudAdapter(authentication);
  adapter.onTurnError = async (context, error) => {
    // Handlers turn every expected failure into words; reaching here is a bug or an outage.
    logger.error({ err: error, activityType: context.activity.type, activityId: context.activity.id }, "Teams: turn failed");
  };
  const fileSource = (url: URL) => sharePointOnly(url) || (options.fileOrigins ?? []).includes(url.origin);
  const upload = { ...DEFAULT_UPLOAD, ...(options.uploadTimeoutMs ? { timeoutMs: options.uploadTimeoutMs } : {}) };
  const bot = new PostbagTeamsBot({ core: deps.core, logger, retry: options.retry ?? DEFAULT_RETRY, fileSource, upload });

  const handler: RequestHandler = async (request, response) => {
    if (!authenticated && !isLocalRequest(request)) {
      sendJson(response, 401, { error: "unauthorized", reason: "MICROSOFT_APP_ID is not set, so only requests from this machine are accepted" });
      return;
    }
    let body: Record<string, unknown> | undefined;
    if (request.method === "POST") {
      try {
        body = await readJsonBody(request);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        sendJson(response, error.status, { error: error.message });
        request.resume();
        return;
      }
    }
    if (authenticated && body) {
      // botbuilder answers 500 when the token's signature or expiry is wrong (the JWT
      // library's errors are not its AuthenticationError), so the token is checked
      // first, by botbuilder itself, and any failure is the caller's: 401, no work.
      const refusal = await checkToken(authentication, body, request.headers.authorization ?? "");
      if (refusal) {
        logger.warn({ reason: refusal.reason }, "Teams: request refused");
        sendJson(response, refusal.status, { error: refusal.status === 401 ? "unauthorized" : "unavailable" });
        return;
      }
    }
    try {
      await adapter.process(botRequest(request, body), botResponse(response), (context) => bot.run(context));
    } catch (error) {
      // CloudAdapter validates the activity's shape by throwing; that is the sender's fault.
      logger.warn({ err: error }, "Teams: request rejected");
      if (!response.headersSent) sendJson(response, 400, { error: "bad_request" });
      else if (!response.writableEnded) response.end();
    }
  };

  const digestPublisher = teamsDigestPublisher(adapter, registration.appId ?? "", deps.core, logger, options.retry ?? DEFAULT_RETRY);
  const cardUpdater = teamsCardUpdater(adapter, registration.appId ?? "", logger, options.retry ?? DEFAULT_RETRY);
  const intakePublisher = teamsIntakePublisher(adapter, registration.appId ?? "", deps.core, logger, options.retry ?? DEFAULT_RETRY);
  // Loaded on first use (lazy-platforms.ts), its stand-ins are registered with the core already.
  if (!options.registered) {
    deps.core.notices.use(digestPublisher);
    deps.core.postedCards.use(cardUpdater);
    deps.core.triage.use(intakePublisher);
  }
  return { name: "teams", mount: { path: TEAMS_PATH, handler }, status: teamsStatus(registration), digestPublisher, intakePublisher, cardUpdater };
}

/** Why a token was refused, or nothing when it is valid. Not being able to fetch the signing keys is ours, not the caller's. */
async function checkToken(
  authentication: ReturnType<typeof createAuthentication>,
  body: Record<string, unknown>,
  header: string,
): Promise<{ status: 401 | 503; reason: string } | undefined> {
  try {
    await authentication.authenticateRequest(body as unknown as Activity, header);
    return undefined;
  } catch (error) {
    const { name, message, statusCode } = error as { name?: string; message?: string; statusCode?: number };
    const keysUnavailable = statusCode !== undefined && statusCode >= 500 && /load keys|metadata/i.test(message ?? "");
    return { status: keysUnavailable ? 503 : 401, reason: `${name ?? "Error"}: ${message ?? ""}` };
  }
}
