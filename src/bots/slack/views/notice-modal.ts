import { clip } from "./limits.ts";
import type { ModalView } from "./block-kit.ts";

/** A modal pushed over a form to say why it could not be submitted, when no single field is at fault. `text` is mrkdwn, already escaped (an `errorReply`). */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: clip(title, 24) },
    close: { type: "plain_text", text: "Back" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text, 3000) } }],
  };
}
