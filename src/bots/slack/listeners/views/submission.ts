import type { AckFn, ViewResponseAction, ViewStateValue, webApi } from "@slack/bolt";
import type { SlackContext, Reply } from "../../slack-context.ts";
import { errorReply, postToResponseUrl } from "../../slack-context.ts";
import { noticeModal } from "../../views/notice-modal.ts";
import { isDomainError } from "../../../../domain/errors.ts";

/** Slack closes a modal submission after 3 seconds; we answer well before that. */
const ACK_WINDOW_MS = 2_500;

export type StateValues = Record<string, Record<string, ViewStateValue>>;

/** The plain value of a block's one element, whatever kind of element it is. */
export function stateValue(values: StateValues, blockId: string): string | undefined {
  const element = values[blockId]?.[blockId];
  if (!element) return undefined;
  return (
    element.value ??
    element.selected_date ??
    element.selected_option?.value ??
    element.selected_user ??
    (element.selected_options?.length ? element.selected_options.map((o) => o.value).join(",") : undefined) ??
    undefined
  ) ?? undefined;
}

/**
 * Runs a submission's work and answers Slack: closing the modal on success, field
 * errors on the form for bad input, a notice for other refusals. If the work outlasts
 * Slack's window the modal is closed and the outcome follows by direct message.
 */
export async function submit<T>(options: {
  ctx: SlackContext;
  /** Bolt types a view's ack as a union of two functions; it accepts either form. */
  ack: AckFn<ViewResponseAction> | AckFn<void>;
  client: webApi.WebClient;
  userId: string;
  fieldBlocks: Record<string, string>;
  work: () => Promise<T>;
  /** What to do after a success, once Slack has its answer. */
  after: (result: T) => Promise<void>;
  title: string;
  /** A refusal the form answers in its own way (asking a question), instead of a field error. */
  answer?: (error: unknown) => ViewResponseAction | undefined;
}): Promise<void> {
  const { ctx, client, userId } = options;
  const ack = options.ack as (response?: ViewResponseAction) => Promise<void>;
  let acked = false;
  const timer = setTimeout(() => {
    acked = true;
    void ack();
  }, ACK_WINDOW_MS);
  let result: T;
  try {
    result = await options.work();
  } catch (error) {
    clearTimeout(timer);
    const reply = errorReply(ctx, error, { submission: options.title, user: userId });
    if (acked) return void (await client.chat.postMessage({ channel: userId, ...reply }).catch(() => {}));
    const answered = options.answer?.(error);
    if (answered) return void (await ack(answered));
    const field = isDomainError(error) ? error.field : undefined;
    const block = field ? (options.fieldBlocks[field] ?? options.fieldBlocks[field.split(".")[0]!]) : undefined;
    if (block) await ack({ response_action: "errors", errors: { [block]: isDomainError(error) ? error.message : reply.text } });
    else await ack({ response_action: "push", view: noticeModal(options.title, reply.text) });
    return;
  }
  clearTimeout(timer);
  if (!acked) await ack();
  await options.after(result);
}

/** Sends the outcome of a modal to where the person started, or to them directly. */
export async function tellAfterSubmit(ctx: SlackContext, client: webApi.WebClient, userId: string, responseUrl: string | undefined, reply: Reply): Promise<void> {
  try {
    if (responseUrl) await postToResponseUrl(ctx, responseUrl, { response_type: "ephemeral", replace_original: false, ...reply });
    else await client.chat.postMessage({ channel: userId, ...reply });
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not confirm a submitted form");
  }
}
