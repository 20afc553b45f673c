import type { App } from "@slack/bolt";
import { z } from "zod";
import { downloadShared } from "../../../shared/download.ts";
import { actorFor, CARD_TIMELINE, errorReply, refreshCard, type SlackContext } from "../../slack-context.ts";
import { escapeMrkdwn } from "../../views/slack-text.ts";

/** What Postbag reads of a message with files (Slack's `file_share`); anything else is not ours. */
const fileShareSchema = z.object({
  channel: z.string().max(40),
  user: z.string().max(40),
  ts: z.string().max(40),
  thread_ts: z.string().max(40),
  files: z
    .array(
      z.object({
        id: z.string().max(40),
        name: z.string().max(1000).default(""),
        size: z.number().int().nonnegative().optional(),
        url_private: z.url().max(2000),
      }),
    )
    .min(1)
    .max(10),
});

/**
 * A file shared in the thread of a case card Postbag posted is attached to that case, as
 * the person who shared it (who must be allowed to, as for adding a note). The answer is
 * theirs alone (ephemeral, in the thread); the card is refreshed so it lists the file — by
 * name only where the channel may see the case's details. Each file is attached once
 * however often Slack delivers the event (its file id is the request key).
 */
export function registerFileShared(app: App, ctx: SlackContext): void {
  app.event("message", async ({ event, client, context }) => {
    const parsed = fileShareSchema.safeParse(event);
    if (!parsed.success) return;
    const { channel, user, thread_ts: threadTs, files } = parsed.data;
    const reference = await ctx.core.postedCards.referenceAt("slack", threadTs);
    if (!reference) return;
    const tell = (text: string) => client.chat.postEphemeral({ channel, user, thread_ts: threadTs, text });
    try {
      const actor = await actorFor(ctx, user);
      for (const file of files) {
        const bytes = await downloadShared(ctx.fetch, file.url_private, {
          allowed: (url) => ctx.fileOrigins.includes(url.origin),
          maxBytes: ctx.core.files.maxBytes,
          declaredSize: file.size,
          headers: { authorization: `Bearer ${context.botToken ?? ""}` },
        });
        const { message } = await ctx.core.cases.perform(
          actor,
          "attach",
          { reference, filename: file.name, bytes },
          { platform: "slack", requestKey: `slack:file:${file.id}:${reference}` },
          { audience: "shared", timelineEntries: CARD_TIMELINE },
        );
        // The confirmation names the file, whose name came from outside.
        await tell(escapeMrkdwn(message));
      }
      await refreshCard(ctx, client, actor, reference, { kind: "message", channel, ts: threadTs });
    } catch (error) {
      await tell(errorReply(ctx, error, { event: "file_share", reference }).text).catch((failure: unknown) => ctx.logger.warn({ err: failure }, "could not answer a file shared in a case thread"));
    }
  });
}
