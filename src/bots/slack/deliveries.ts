import type { webApi } from "@slack/bolt";
import { renderWeeklyChart } from "../../charts/weekly-chart.ts";
import type { PerformanceReport } from "../../domain/reports/report.ts";
import type { CommandResult } from "../shared/execute-command.ts";
import { reportLayout } from "../shared/report-text.ts";
import { uploadFailureWords, uploadFiles, type SlackFile } from "./file-upload.ts";
import type { Reply, SlackContext } from "./slack-context.ts";
import { reportBlocks, reportFallbackText } from "./views/report.ts";
import { escapeMrkdwn } from "./views/slack-text.ts";

/** Who asked, and in which conversation. */
export interface Asker {
  userId: string;
  channelId: string;
}

/**
 * Exports, subject access files and a case's files: to the person's direct messages with
 * Postbag (personal data never goes to the channel the command was typed in), and the answer
 * says exactly what happened — the files are there, or which step Slack refused and what to do.
 */
export async function deliverFiles(ctx: SlackContext, client: webApi.WebClient, asker: Asker, result: Extract<CommandResult, { kind: "files" }>): Promise<Reply> {
  const plural = result.files.length !== 1;
  try {
    await uploadFiles(client, { dm: asker.userId }, result.files, result.message, ctx.fetch);
    return { text: `${escapeMrkdwn(result.message)} The file${plural ? "s are" : " is"} in your direct messages with Postbag.` };
  } catch (error) {
    ctx.logger.warn({ err: error, user: asker.userId }, "could not send files to a person's direct messages");
    const failed = `${uploadFailureWords(error)}, so ${plural ? "they are" : "it is"} not in your direct messages.`;
    return { text: `:warning: ${escapeMrkdwn(`${result.message} ${failed} Try again in a minute, or run the same command at the command line with --out <path>.`)}` };
  }
}

/**
 * The performance report in Block Kit, yours alone — or, with `here`, posted in the channel it
 * was asked in (the figures name no constituent). Slack shows an image block only from a public
 * address, and Postbag serves none, so the weekly chart is uploaded as a file: to your direct
 * messages, or into the thread of the posted report. The answer says where it went, or why not.
 */
export async function deliverReport(ctx: SlackContext, client: webApi.WebClient, asker: Asker, report: PerformanceReport, here: boolean): Promise<Reply> {
  const layout = reportLayout(report);
  const text = reportFallbackText(layout);
  if (here) {
    try {
      const posted = await client.chat.postMessage({ channel: asker.channelId, text, blocks: reportBlocks(layout), unfurl_links: false });
      const chart = await sendChart(ctx, client, report, { channel: asker.channelId, threadTs: posted.ts });
      return { text: escapeMrkdwn(chart.sent ? "Posted the report in this channel, with its chart in the thread." : `Posted the report in this channel. ${chart.words}`) };
    } catch (error) {
      ctx.logger.warn({ err: error, channel: asker.channelId }, "could not post a report in a channel");
      const chart = await sendChart(ctx, client, report, { dm: asker.userId });
      const reason = slackError(error);
      const refused = /not_in_channel|channel_not_found|is_archived/.test(reason)
        ? "Postbag is not in this channel, so the report was not posted here: invite it with /invite @Postbag and ask again. Here it is for you alone."
        : `Slack would not take the report in this channel (${reason}). Here it is for you alone.`;
      return { text, blocks: reportBlocks(layout, [refused, chart.words]) };
    }
  }
  const chart = await sendChart(ctx, client, report, { dm: asker.userId });
  return { text, blocks: reportBlocks(layout, [chart.words]) };
}

/** Draws the weekly chart and uploads it; never throws: what happened is in `words`. */
async function sendChart(ctx: SlackContext, client: webApi.WebClient, report: PerformanceReport, target: { dm: string } | { channel: string; threadTs?: string }): Promise<{ sent: boolean; words: string }> {
  const layout = reportLayout(report);
  const retry = `At the command line: postbag report ${report.period.from}..${report.period.to} --chart weekly.png`;
  let file: SlackFile;
  try {
    file = { filename: `postbag-weekly-${report.period.from.slice(0, 7)}.png`, title: layout.chartTitle, content: await renderWeeklyChart(report), altText: layout.chartTitle };
  } catch (error) {
    ctx.logger.error({ err: error }, "could not draw the weekly chart");
    return { sent: false, words: `The chart could not be drawn. ${retry}.` };
  }
  try {
    await uploadFiles(client, target, [file], layout.chartTitle, ctx.fetch);
    return { sent: true, words: "dm" in target ? "The weekly chart is in your direct messages with Postbag." : "The weekly chart is in the thread." };
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not upload the weekly chart");
    return { sent: false, words: `The weekly chart was not sent: ${uploadFailureWords(error)}. ${retry}.` };
  }
}

/** Slack's word for a refusal (`ok: false`), or the failure's own message. */
function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : (error as Error).message;
}
