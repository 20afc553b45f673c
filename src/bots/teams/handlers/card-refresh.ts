import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { caseCard } from "../cards/case-card.ts";
import { actorOf, audienceOf, CARD_TIMELINE_ENTRIES, type TeamsDeps } from "../turn.ts";
import { VERBS } from "../verbs.ts";
import { refreshDataSchema, refreshInvokeSchema } from "./card-refresh.schema.ts";
import { cardResponse } from "./reply.ts";

/**
 * Universal Actions' refresh: Teams asks for a case card again when someone opens it (the
 * card's `refresh`, verb `case.refresh`), and the answer is the case as it is now, as that
 * person may see it there — in a channel as the channel may (a sensitive case's details
 * withheld), in their own chat as their role allows. It never changes anything: an automatic
 * trigger is answered as a refresh whatever verb it names.
 */

/** Whether an `adaptiveCard/action` invoke asks for a card again rather than for an action. */
export function isRefresh(invokeValue: unknown): boolean {
  const parsed = refreshInvokeSchema.safeParse(invokeValue);
  return parsed.success && (parsed.data.trigger === "automatic" || parsed.data.action?.verb === VERBS.refresh);
}

export async function handleCardRefresh(context: TurnContext, deps: TeamsDeps): Promise<AdaptiveCardInvokeResponse> {
  const invoke = refreshInvokeSchema.safeParse(context.activity.value);
  const data = refreshDataSchema.safeParse(invoke.success ? invoke.data.action?.data : undefined);
  // Unreadable: the card stays as it is (an error answer replaces nothing).
  if (!data.success) return notRefreshed(400, "BadRequest", "This card could not be read, so it was left as it was.");
  try {
    const view = await currentView(context, deps, data.data.reference);
    return cardResponse(caseCard(view, { refreshFor: await refreshUserIds(context, deps, view) }));
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { verb: VERBS.refresh, activityId: context.activity.id });
    if (!isDomainError(error)) return notRefreshed(500, "InternalError", message.text);
    return error.code === "case_not_found" ? notRefreshed(404, "NotFound", message.text) : notRefreshed(403, "Forbidden", message.text);
  }
}

/**
 * The case for whoever opened the card, as their role and the place allow. Someone who is not
 * staff is refused (they keep the card as it was posted): the refresh names its case itself, so
 * answering them would show any case to anyone able to forge one.
 */
async function currentView(context: TurnContext, deps: TeamsDeps, reference: string): Promise<CaseView> {
  const actor = await actorOf(deps.core, context.activity);
  return deps.core.cases.showCase(actor, reference, { audience: audienceOf(context.activity), timelineEntries: CARD_TIMELINE_ENTRIES, platform: "teams" });
}

/**
 * The people a case card is refreshed for wherever it is (Teams user ids): whoever asked for
 * it, and the case's assignee where Postbag has a personal chat with them (whose reference
 * holds their Teams id). Anyone else in a chat of up to 60 gets it refreshed by Teams anyway.
 */
export async function refreshUserIds(context: TurnContext, deps: TeamsDeps, view: Pick<CaseView, "assignee">): Promise<string[]> {
  const ids = [context.activity.from?.id].filter((id): id is string => typeof id === "string" && id.length > 0);
  const assigneeId = view.assignee ? await teamsIdOf(deps, view.assignee.id) : undefined;
  return [...new Set(assigneeId ? [...ids, assigneeId] : ids)];
}

async function teamsIdOf(deps: TeamsDeps, staffId: number): Promise<string | undefined> {
  const staff = await deps.core.staff.findById(staffId).catch(() => null);
  if (!staff?.teamsUserId) return undefined;
  const chat = (await deps.core.conversations.list()).find(
    (conversation) => conversation.conversationType === "personal" && (conversation.reference as { user?: { aadObjectId?: string } }).user?.aadObjectId === staff.teamsUserId,
  );
  const id = (chat?.reference as { user?: { id?: unknown } } | undefined)?.user?.id;
  return typeof id === "string" && id ? id : undefined;
}

/** Universal Actions' error answer: the card is left as it was, and the person may be told why. */
function notRefreshed(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: "application/vnd.microsoft.error", value: { code, message } };
}
