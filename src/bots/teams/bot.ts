import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type FileConsentCardResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  type TurnContext,
} from "botbuilder";
import { handleCardAction } from "./handlers/card-action.ts";
import { handleConversationUpdate, handleInstallationUpdate } from "./handlers/conversation.ts";
import { acceptFile, declineFile } from "./handlers/file-consent.ts";
import { handleFindCase } from "./handlers/find-case.ts";
import { handleMessage } from "./handlers/message.ts";
import { handleFetchTask, handleSubmitAction } from "./handlers/message-extension.ts";
import type { TeamsDeps } from "./turn.ts";

/** Routes each kind of Teams activity to its handler; the handlers hold the behaviour. */
export class PostbagTeamsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (context, next) => {
      await handleMessage(context, deps);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await handleConversationUpdate(context, deps);
      await next();
    });
    this.onInstallationUpdate(async (context, next) => {
      await handleInstallationUpdate(context, deps);
      await next();
    });
  }

  protected override onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return handleCardAction(context, invokeValue, this.deps);
  }

  protected override handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return handleFetchTask(context, action, this.deps);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return handleSubmitAction(context, action, this.deps);
  }

  protected override handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    return handleFindCase(context, query, this.deps);
  }

  /**
   * `fileConsent/invoke`: botbuilder reads `action` unguarded (no value is a 500, another action a
   * bare 400), so anything but accept or decline goes to `acceptFile`, whose zod check answers it in words.
   */
  protected override handleTeamsFileConsent(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const action = (response as Partial<FileConsentCardResponse> | undefined)?.action;
    return action === "decline" ? this.handleTeamsFileConsentDecline(context, response) : this.handleTeamsFileConsentAccept(context, response);
  }

  /** The person accepted a file Postbag offered; the handler validates what Teams sent. */
  protected override handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    return acceptFile(context, response, this.deps);
  }

  protected override handleTeamsFileConsentDecline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    return declineFile(context, response, this.deps);
  }
}
