import type { App, MessageShortcut } from "@slack/bolt";
import { CALLBACKS } from "../../ids.ts";
import { actorFor, errorReply, postToResponseUrl, today, type SlackContext } from "../../slack-context.ts";
import { logModal } from "../../views/log-modal.ts";
import { slackText } from "../../../shared/platform-text.ts";

/** "Log as case" on any message: the log form, pre-filled with the message and a link back to it. */
export function registerLogAsCase(app: App, ctx: SlackContext): void {
  app.shortcut<MessageShortcut>({ callback_id: CALLBACKS.logAsCaseShortcut, type: "message_action" }, async ({ ack, shortcut, client }) => {
    await ack();
    try {
      await actorFor(ctx, shortcut.user.id);
      // The message's words, its links and escapes read as plain text; a colleague's mention as @U123.
      const summary = slackText(shortcut.message.text ?? "", { userMention: (id) => `@${id}` });
      // Open the form first: its trigger_id is only good for three seconds.
      const metadata = { responseUrl: shortcut.response_url };
      const opened = await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: logModal(today(ctx), JSON.stringify(metadata), { summary }),
      });
      const permalink = await client.chat
        .getPermalink({ channel: shortcut.channel.id, message_ts: shortcut.message.ts })
        .then((answer) => answer.permalink)
        .catch(() => undefined);
      if (permalink && opened.view?.id) {
        const view = logModal(today(ctx), JSON.stringify({ ...metadata, sourceLink: permalink }), { summary });
        await client.views.update({ view_id: opened.view.id, hash: opened.view.hash, view });
      }
    } catch (error) {
      const reply = errorReply(ctx, error, { shortcut: CALLBACKS.logAsCaseShortcut, user: shortcut.user.id });
      await postToResponseUrl(ctx, shortcut.response_url, { response_type: "ephemeral", ...reply }).catch(() =>
        client.chat.postMessage({ channel: shortcut.user.id, ...reply }).catch(() => {}),
      );
    }
  });
}
