import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { Environment } from "../../config.ts";
import { registrationFrom } from "./registration.ts";

/**
 * botbuilder's own authentication. `overrides` (e.g. ToBotFromChannelOpenIdMetadataUrl)
 * exist for tests against a local OpenID endpoint; setting any of them drops every
 * public-cloud default, so a test sets all it needs.
 */
export function createAuthentication(env: Environment, overrides: Record<string, string> = {}): ConfigurationBotFrameworkAuthentication {
  const registration = registrationFrom(env);
  return new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: registration.appId ?? "",
    MicrosoftAppPassword: env.MICROSOFT_APP_PASSWORD ?? "",
    MicrosoftAppType: registration.appType,
    MicrosoftAppTenantId: registration.tenantId ?? "",
    ...overrides,
  });
}
