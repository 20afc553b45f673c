import { CardFactory, type MessagingExtensionAttachment, type MessagingExtensionResponse, type TurnContext } from "botbuilder";
import { executeCommand } from "../../shared/execute-command.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { caseCard } from "../cards/case-card.ts";
import { casePreview } from "../cards/case-preview.ts";
import { messageExtensionQuerySchema } from "../teams.schema.ts";
import { actorOf, type TeamsDeps } from "../turn.ts";
import { FIND_CASE_COMMAND, FIND_CASE_PARAMETER } from "../verbs.ts";

/**
 * "Find a case" from the compose box (`composeExtension/query`): the cases matching what is
 * typed, found as the search command finds them, or with nothing typed the person's own open
 * cases, nearest deadline first. Each result is the case card to insert, with a preview.
 *
 * The card goes into a conversation others read, whoever searched: it is rendered for a shared
 * audience, so a sensitive case is inserted with its details withheld, exactly as a card shown
 * in a channel. Buttons pressed on it are checked against whoever presses them.
 */

/** Teams asks for 25 at a time; more would make a large answer for a list nobody scrolls. */
const PAGE = 25;

function notice(text: string): MessagingExtensionResponse {
  return { composeExtension: { type: "message", text } };
}

export async function handleFindCase(context: TurnContext, query: unknown, deps: TeamsDeps): Promise<MessagingExtensionResponse> {
  const parsed = messageExtensionQuerySchema.safeParse(query);
  if (!parsed.success || parsed.data.commandId !== FIND_CASE_COMMAND) return notice("Postbag could not read that search. Close the search and try again.");
  const { parameters, queryOptions } = parsed.data;
  const text = (parameters.find((parameter) => parameter.name === FIND_CASE_PARAMETER)?.value ?? "").trim();
  try {
    const actor = await actorOf(deps.core, context.activity);
    const result = await executeCommand(deps.core, actor, text ? { name: "search", text } : { name: "list", which: "mine" }, {
      audience: "shared",
      request: { platform: "teams" },
    });
    if (result.kind !== "cases") throw new Error(`a search answered ${result.kind}`);
    if (result.views.length === 0) return notice(result.empty);
    const skip = queryOptions?.skip ?? 0;
    const page = result.views.slice(skip, skip + Math.min(queryOptions?.count ?? PAGE, PAGE));
    const attachments: MessagingExtensionAttachment[] = page.map((view) => ({ ...CardFactory.adaptiveCard(caseCard(view)), preview: casePreview(view) }));
    return { composeExtension: { type: "result", attachmentLayout: "list", attachments } };
  } catch (error) {
    return notice(userMessageFor(error, deps.logger, { activityId: context.activity.id, invoke: "composeExtension/query" }).text);
  }
}
