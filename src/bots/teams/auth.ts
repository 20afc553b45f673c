import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { ConfigError, type Environment } from "../../config.ts";

/**
 * The Bot Framework registration, from the environment. With no app id botbuilder
 * authenticates nothing (the Bot Framework Emulator's local mode); the adapter then
 * only accepts requests from this machine.
 */

export type AppType = "SingleTenant" | "MultiTenant" | "UserAssignedMSI";

export interface TeamsRegistration {
  appId?: string;
  appType: AppType;
  tenantId?: string;
}

export function registrationFrom(env: Environment): TeamsRegistration {
  const appId = env.MICROSOFT_APP_ID;
  // Azure stopped creating multi-tenant bots in 2025: a tenant id alone implies SingleTenant.
  const appType = env.MICROSOFT_APP_TYPE ?? (env.MICROSOFT_APP_TENANT_ID ? "SingleTenant" : "MultiTenant");
  if (appId) {
    if (appType !== "UserAssignedMSI" && !env.MICROSOFT_APP_PASSWORD) {
      throw new ConfigError(`Configuration is not valid:\n  MICROSOFT_APP_PASSWORD is required for a ${appType} bot (or set MICROSOFT_APP_TYPE=UserAssignedMSI).\nSee .env.example.`);
    }
    if (appType !== "MultiTenant" && !env.MICROSOFT_APP_TENANT_ID) {
      throw new ConfigError(`Configuration is not valid:\n  MICROSOFT_APP_TENANT_ID is required for a ${appType} bot.\nSee .env.example.`);
    }
  }
  return { appId, appType, tenantId: env.MICROSOFT_APP_TENANT_ID };
}

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
