import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  type TurnContext,
} from "botbuilder";
import { handleCardAction } from "./handlers/card-action.ts";
import { handleConversationUpdate, handleInstallationUpdate } from "./handlers/conversation.ts";
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
}
