import type { App, GlobalShortcut } from "@slack/bolt";
import { CALLBACKS } from "../../ids.ts";
import { actorFor, errorReply, today, type SlackContext } from "../../slack-context.ts";
import { logModal } from "../../views/log-modal.ts";
import { noticeModal } from "../../views/notice-modal.ts";

/**
 * "Log correspondence", the global shortcut: the log form from anywhere in Slack (the shortcuts
 * menu, the search bar), as the message shortcut opens it for a message. A global shortcut comes
 * from no conversation and has no response_url, so "logged" is said in the person's direct
 * messages with Postbag, and a refusal (someone not registered) in a small modal of its own.
 */
export function registerLogCorrespondence(app: App, ctx: SlackContext): void {
  app.shortcut<GlobalShortcut>({ callback_id: CALLBACKS.logCorrespondenceShortcut, type: "shortcut" }, async ({ ack, shortcut, client }) => {
    await ack();
    try {
      await actorFor(ctx, shortcut.user.id);
      await client.views.open({ trigger_id: shortcut.trigger_id, view: logModal(today(ctx), JSON.stringify({})) });
    } catch (error) {
      const reply = errorReply(ctx, error, { shortcut: CALLBACKS.logCorrespondenceShortcut, user: shortcut.user.id });
      await client.views
        .open({ trigger_id: shortcut.trigger_id, view: noticeModal("Log correspondence", reply.text) })
        .catch(() => client.chat.postMessage({ channel: shortcut.user.id, ...reply }).catch(() => {}));
    }
  });
}
