import { randomUUID } from "node:crypto";
import { CardFactory, type MessagingExtensionActionResponse, type TurnContext } from "botbuilder";
import { londonDateOf } from "../../../domain/calendar/local-date.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { teamsHtmlText } from "../../shared/platform-text.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { clip } from "../cards/adaptive-card.ts";
import { caseCard } from "../cards/case-card.ts";
import { logFormCard } from "../cards/log-form.ts";
import { messageActionSchema, submitActionSchema, logFormSchema } from "../teams.schema.ts";
import { actorOf, audienceOf, CARD_TIMELINE_ENTRIES, type TeamsDeps } from "../turn.ts";
import { LOG_AS_CASE_COMMAND } from "../verbs.ts";
import { constituentChoices, formValues, logInputFromForm } from "./log-form-input.ts";
import { cardActivity, post } from "./reply.ts";

/**
 * The "Log as case" message action: on any Teams message, opens the log form filled in
 * from that message (`composeExtension/fetchTask`), then logs the case when the form is
 * submitted (`composeExtension/submitAction`).
 */

const DIALOG = { title: "Log as case", height: "large", width: "medium" } as const;

function dialog(card: ReturnType<typeof logFormCard>): MessagingExtensionActionResponse {
  return { task: { type: "continue", value: { ...DIALOG, card: CardFactory.adaptiveCard(card) } } };
}

function notice(text: string): MessagingExtensionActionResponse {
  return { task: { type: "message", value: text } };
}

export async function handleFetchTask(context: TurnContext, action: unknown, deps: TeamsDeps): Promise<MessagingExtensionActionResponse> {
  const parsed = messageActionSchema.safeParse(action);
  if (!parsed.success || parsed.data.commandId !== LOG_AS_CASE_COMMAND) return notice("Postbag does not know that action.");
  try {
    await actorOf(deps.core, context.activity);
  } catch (error) {
    return notice(userMessageFor(error, deps.logger).text);
  }
  const today = deps.core.cases.ruleContext().today;
  const payload = parsed.data.messagePayload;
  // Teams gives the message as HTML; the form wants its words.
  const content = payload?.body?.content ?? "";
  const text = payload?.body?.contentType === "text" ? content.trim() : teamsHtmlText(content);
  const posted = payload?.createdDateTime ? new Date(payload.createdDateTime) : undefined;
  const postedOn = posted && !Number.isNaN(posted.getTime()) ? londonDateOf(posted) : today;
  const firstLine = text.split("\n").find((line) => line.trim()) ?? "";
  return dialog(
    logFormCard({
      formId: randomUUID(),
      today,
      mode: "submit",
      values: {
        subject: clip(firstLine.trim(), 200) || undefined,
        summary: clip(text, 20_000) || undefined,
        receivedOn: postedOn > today ? today : postedOn,
      },
    }),
  );
}

export async function handleSubmitAction(context: TurnContext, action: unknown, deps: TeamsDeps): Promise<MessagingExtensionActionResponse> {
  const parsed = submitActionSchema.safeParse(action);
  const form = parsed.success ? logFormSchema.safeParse(parsed.data.data) : undefined;
  if (!parsed.success || parsed.data.commandId !== LOG_AS_CASE_COMMAND || !form?.success) return notice("That form could not be read. Please start again.");
  const values = form.data;
  const today = deps.core.cases.ruleContext().today;
  try {
    const actor = await actorOf(deps.core, context.activity);
    const view = await deps.core.cases.logCase(
      actor,
      logInputFromForm(values),
      { platform: "teams", requestKey: `teams:log:${values.formId}` },
      { audience: audienceOf(context.activity), timelineEntries: CARD_TIMELINE_ENTRIES },
    );
    const message = `Logged ${view.reference}. Acknowledge by ${view.acknowledgement.dueText}; respond by ${view.response.dueText}.`;
    // Post the case where the message was; if the bot cannot post there (it is not in that chat), say so in the dialog.
    const posted = await post(context, deps, cardActivity(caseCard(view, { message }), message), "case card after message action");
    return posted ? {} : notice(message);
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { activityId: context.activity.id });
    if (!isDomainError(error) || error.code === "not_registered" || error.code === "not_permitted") return notice(message.text);
    return dialog(logFormCard({ formId: values.formId, today, mode: "submit", values: formValues(values), error: { message: message.text, input: error.field }, constituentChoices: constituentChoices(error) }));
  }
}
