import { randomUUID } from "node:crypto";
import type { Activity, TurnContext } from "botbuilder";
import { z } from "zod";
import { parseCommand, type Command } from "../../shared/commands.ts";
import { downloadShared } from "../../shared/download.ts";
import { DomainError } from "../../../domain/errors.ts";
import { executeCommand, type CommandResult } from "../../shared/execute-command.ts";
import { baseConversationId } from "../digest-publisher.ts";
import { resultText } from "../../shared/text-render.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { caseCard } from "../cards/case-card.ts";
import { logFormCard } from "../cards/log-form.ts";
import { caseListCard, helpCard } from "../cards/simple-cards.ts";
import { reportCard, textReportCard } from "../cards/report-card.ts";
import { reportLayout } from "../../shared/report-text.ts";
import { renderWeeklyChart } from "../../../charts/weekly-chart.ts";
import { commandText, mentionsAsNames, mentionsToTeamsIds } from "../mentions.ts";
import { actorOf, audienceOf, CARD_TIMELINE_ENTRIES, messageRequestKey, type TeamsDeps } from "../turn.ts";
import { isFileCommand, offerFiles, personalChatOnly } from "./file-consent.ts";
import { cardActivity, reply, replyWithSharedCard } from "./reply.ts";

/** A message to the bot (personal chat, or an @mention in a channel or group chat): one command. */
export async function handleMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = context;
  let result: CommandResult;
  let command: Command;
  try {
    const text = commandText(activity);
    const isAssign = /^assign\b/i.test(text);
    command = await withSentFile(parseCommand(isAssign ? await mentionsToTeamsIds(context, text) : mentionsAsNames(text)), activity, deps);
    // Teams takes a bot's files only by a FileConsentCard in a personal chat: elsewhere, refused before anything is read or logged.
    if (isFileCommand(command) && audienceOf(activity) !== "private") throw personalChatOnly(command);
    if (command.name === "help") {
      result = { kind: "help", unknown: command.unknown };
    } else {
      const actor = await actorOf(deps.core, activity);
      result = await executeCommand(deps.core, actor, command, {
        audience: audienceOf(activity),
        request: { platform: "teams", requestKey: messageRequestKey(activity) },
        timelineEntries: CARD_TIMELINE_ENTRIES,
        conversation: { platform: "teams", channelId: baseConversationId(activity.conversation.id) },
      });
    }
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { activityId: activity.id, conversationType: activity.conversation?.conversationType });
    await reply(context, deps, message.text, "error reply");
    return;
  }
  if (result.kind === "files" && isFileCommand(command)) {
    await offerFiles(context, deps, command, result);
    return;
  }
  if (result.kind === "case" && audienceOf(activity) === "shared") {
    await replyWithSharedCard(context, deps, await renderResult(result, deps) as Partial<Activity>, result.view);
    return;
  }
  await reply(context, deps, await renderResult(result, deps));
}

/** Teams' description of a file sent to the bot in a personal chat. */
const sentFileSchema = z.object({
  contentType: z.literal("application/vnd.microsoft.teams.file.download.info"),
  name: z.string().max(1000).default(""),
  content: z.object({ downloadUrl: z.url().max(4000), fileType: z.string().max(40).optional() }),
});

/**
 * `attach <ref>` with a file: the file Teams describes on the message is downloaded (from
 * SharePoint, where Teams keeps it) and handed to the core with the command. Teams gives
 * a bot a person's files only in a personal chat.
 */
async function withSentFile(command: Command, activity: Activity, deps: TeamsDeps): Promise<Command> {
  if (command.name !== "case-action" || command.action !== "attach") return command;
  const sent = (activity.attachments ?? []).map((attachment) => sentFileSchema.safeParse(attachment)).find((parsed) => parsed.success)?.data;
  if (!sent) {
    const where = audienceOf(activity) === "private" ? "" : " in your personal chat with Postbag";
    throw new DomainError("invalid_input", `Attach the file to the message${where}: attach ${typeof command.input.reference === "string" ? command.input.reference : "<ref>"} with the file added (the paperclip).`);
  }
  const bytes = await downloadShared(globalThis.fetch, sent.content.downloadUrl, { allowed: deps.fileSource, maxBytes: deps.core.files.maxBytes });
  return { ...command, input: { ...command.input, path: undefined, filename: sent.name, bytes } };
}

async function renderResult(result: CommandResult, deps: TeamsDeps) {
  switch (result.kind) {
    case "case":
      return cardActivity(caseCard(result.view, { message: result.message || undefined }), result.message || result.view.reference);
    case "cases":
      return cardActivity(caseListCard(result.title, result.views, result.empty), result.title);
    case "help":
      return cardActivity(helpCard(result.unknown), "Postbag commands");
    case "log-form":
      return cardActivity(logFormCard({ formId: randomUUID(), today: deps.core.cases.ruleContext().today, mode: "execute" }), "Log a new case");
    case "report": {
      const layout = reportLayout(result.report);
      const { from, to } = result.report.period;
      const chart = await renderWeeklyChart(result.report, 0.75).catch((error: unknown) => void deps.logger.error({ err: error }, "could not draw the weekly chart"));
      return cardActivity(reportCard(layout, { chart: chart ?? undefined, chartFailed: !chart, commandLine: `postbag report ${from}..${to}` }), layout.title);
    }
    case "themes":
    case "audit":
    case "audit-log":
    case "retention":
    case "intake-list":
    case "intake-message":
      // Email text is someone else's: textReportCard escapes it (teamsText), so it links and formats nothing.
      return cardActivity(textReportCard(resultText(result).split("\n")[0]!, resultText(result).split("\n").slice(1).join("\n")), "Mail intake");
    case "templates":
    case "template":
      return cardActivity(textReportCard(resultText(result).split("\n")[0]!, resultText(result).split("\n").slice(1).join("\n")), "Templates");
    case "constituent":
      return cardActivity(textReportCard(resultText(result).split("\n")[0]!, resultText(result).split("\n").slice(1).join("\n")), result.kind);
    case "files":
    case "staff":
    case "partners":
    case "digest":
    case "jobs":
    case "message":
      return resultText(result);
  }
}
