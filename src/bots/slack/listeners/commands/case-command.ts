import type { App, RespondArguments, webApi } from "@slack/bolt";
import { caseActionSpec } from "../../../../domain/cases/case-actions.ts";
import { parseCommand, type Command } from "../../../shared/commands.ts";
import { executeCommand, type CommandResult } from "../../../shared/execute-command.ts";
import { slackText } from "../../../shared/platform-text.ts";
import { auditLayout, retentionLayout, themesLayout } from "../../../shared/report-text.ts";
import { resultText } from "../../../shared/text-render.ts";
import { AckWindow } from "../../ack-window.ts";
import { SLASH_COMMAND } from "../../ids.ts";
import { actorFor, announce, CARD_TIMELINE, caseReply, errorReply, today, type Reply, type SlackContext } from "../../slack-context.ts";
import { caseListBlocks } from "../../views/case-list.ts";
import { digestMessages } from "../../views/digest-messages.ts";
import { helpBlocks } from "../../views/help.ts";
import { listingBlocks, listingFallbackText } from "../../views/listing.ts";
import { logModal } from "../../views/log-modal.ts";
import { deliverFiles, deliverReport } from "../../deliveries.ts";
import { escapeMrkdwn, slackCode } from "../../views/slack-text.ts";

/** What the case-log channel is told of a command's result: a logging, or what the core's table says of an action. */
function announcement(command: Command): string | undefined {
  if (command.name === "log") return "Logged";
  return command.name === "case-action" ? caseActionSpec(command.action).announce : undefined;
}

/**
 * `/case …`: the work is done first and its answer rides in Slack's acknowledgement,
 * privately, so that a request Slack saw acknowledged is one that was done. Work that
 * outlasts Slack's window is acknowledged empty in time and answered through the response_url.
 */
export function registerCaseCommand(app: App, ctx: SlackContext): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    const window = new AckWindow<RespondArguments>((body) => ack(body));
    const reply = async (answer: Reply) => {
      const body = { response_type: "ephemeral", ...answer } as RespondArguments;
      if (!(await window.ack(body))) await respond(body);
    };
    try {
      const parsed = parseCommand(slackText(command.text ?? ""));
      if (parsed.name === "help") return void (await reply({ text: escapeMrkdwn(resultText({ kind: "help", unknown: parsed.unknown }, `${SLASH_COMMAND} `)), blocks: helpBlocks(parsed.unknown) }));
      const actor = await actorFor(ctx, command.user_id);
      if (parsed.name === "log-form") {
        await client.views.open({ trigger_id: command.trigger_id, view: logModal(today(ctx), JSON.stringify({ responseUrl: command.response_url })) });
        await window.ack();
        return;
      }
      const resolved = parsed.name === "staff-add" ? await withSlackProfile(parsed, client) : parsed;
      const result = await executeCommand(ctx.core, actor, resolved, {
        audience: "private",
        request: { platform: "slack", requestKey: `slack:command:${command.trigger_id}` },
        timelineEntries: CARD_TIMELINE,
        conversation: { platform: "slack", channelId: command.channel_id },
      });
      // Files and the report's chart are sent before the answer, so the answer says what happened to them.
      const where = { userId: command.user_id, channelId: command.channel_id };
      if (result.kind === "files") await reply(await deliverFiles(ctx, client, where, result));
      else if (result.kind === "report") await reply(await deliverReport(ctx, client, where, result.report, parsed.name === "report" && parsed.here === true));
      else await reply(render(result));
      const announced = announcement(parsed);
      if (announced && result.kind === "case") await announce(ctx, client, actor, result.view.reference, `${announced} by ${actor.name}.`);
    } catch (error) {
      await reply(errorReply(ctx, error, { command: SLASH_COMMAND, user: command.user_id }));
    }
  });
}

/** A result as Slack shows it: every text a person typed (names, subjects, a search) escaped, in the top-level text too. */
function render(result: CommandResult): Reply {
  switch (result.kind) {
    case "case":
      return caseReply(result.view, result.message || undefined);
    case "cases":
      return { text: `${escapeMrkdwn(result.title)} (${result.views.length})`, blocks: caseListBlocks(result.title, result.views, result.empty) };
    case "digest":
      return digestMessages(result.digest, "single")[0]!;
    case "themes":
    case "audit":
    case "retention": {
      const layout = result.kind === "themes" ? themesLayout(result.themes) : result.kind === "audit" ? auditLayout(result.report) : retentionLayout(result, `${SLASH_COMMAND} `);
      return { text: listingFallbackText(layout), blocks: listingBlocks(layout) };
    }
    case "audit-log":
      return { text: `\`\`\`${slackCode(resultText(result).slice(0, 2900))}\`\`\`` };
    case "intake-list":
    case "intake-message":
    case "templates":
    case "template":
      // Text from an email (or a case merged into a template) is someone else's: in a code block, escaped (slackCode), it mentions nobody and links nowhere.
      return { text: `\`\`\`${slackCode(resultText(result, `${SLASH_COMMAND} `).slice(0, 2900))}\`\`\`` };
    default:
      return { text: escapeMrkdwn(resultText(result, `${SLASH_COMMAND} `)) };
  }
}

/**
 * `staff add <@U…> <roles>` names a Slack user, not a full name: their name and
 * email come from their Slack profile, so the record matches them on Teams too.
 */
async function withSlackProfile(command: Extract<Command, { name: "staff-add" }>, client: webApi.WebClient): Promise<Command> {
  if (!/^[UW][A-Z0-9]+$/.test(command.staffName)) return command;
  const { user } = await client.users.info({ user: command.staffName });
  const profile = user?.profile;
  return {
    ...command,
    staffName: profile?.real_name || user?.real_name || user?.name || command.staffName,
    email: command.email ?? profile?.email ?? undefined,
    slackUserId: command.staffName,
  };
}
