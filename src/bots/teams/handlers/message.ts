import { randomUUID } from "node:crypto";
import type { TurnContext } from "botbuilder";
import { parseCommand } from "../../shared/commands.ts";
import { executeCommand, type CommandResult } from "../../shared/execute-command.ts";
import { resultText } from "../../shared/text-render.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { caseCard } from "../cards/case-card.ts";
import { logFormCard } from "../cards/log-form.ts";
import { caseListCard, helpCard } from "../cards/simple-cards.ts";
import { commandText, mentionsAsNames, mentionsToTeamsIds } from "../mentions.ts";
import { actorOf, audienceOf, CARD_TIMELINE_ENTRIES, messageRequestKey, type TeamsDeps } from "../turn.ts";
import { cardActivity, reply } from "./reply.ts";

/** A message to the bot (personal chat, or an @mention in a channel or group chat): one command. */
export async function handleMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  let result: CommandResult;
  try {
    const text = commandText(activity);
    const isAssign = /^assign\b/i.test(text);
    const command = parseCommand(isAssign ? await mentionsToTeamsIds(context, text) : mentionsAsNames(text));
    if (command.name === "help") {
      result = { kind: "help", unknown: command.unknown };
    } else {
      const actor = await actorOf(deps.core, activity);
      result = await executeCommand(deps.core, actor, command, {
        audience: audienceOf(activity),
        request: { platform: "teams", requestKey: messageRequestKey(activity) },
        timelineEntries: CARD_TIMELINE_ENTRIES,
      });
    }
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { activityId: activity.id, conversationType: activity.conversation?.conversationType });
    await reply(context, deps, message.text, "error reply");
    return;
  }
  await reply(context, deps, renderResult(result, deps));
}

function renderResult(result: CommandResult, deps: TeamsDeps) {
  switch (result.kind) {
    case "case":
      return cardActivity(caseCard(result.view, { message: result.message || undefined }), result.message || result.view.reference);
    case "cases":
      return cardActivity(caseListCard(result.title, result.views, result.empty), result.title);
    case "help":
      return cardActivity(helpCard(result.unknown), "Postbag commands");
    case "log-form":
      return cardActivity(logFormCard({ formId: randomUUID(), today: deps.core.cases.ruleContext().today, mode: "execute" }), "Log a new case");
    case "staff":
    case "digest":
    case "jobs":
    case "report":
    case "themes":
    case "audit":
    case "audit-log":
    case "files":
    case "message":
    case "retention":
      return resultText(result);
  }
}
