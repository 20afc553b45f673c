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

/** The path the Bot Framework posts to. */
export const TEAMS_PATH = "/api/messages";

/** The start-up line saying how Teams is connected, or what to set to connect it. */
export function teamsStatus(registration: TeamsRegistration): string {
  return registration.appId
    ? `Microsoft Teams: connected as bot ${registration.appId} (${registration.appType}) at POST ${TEAMS_PATH}`
    : `Microsoft Teams: not configured (set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID); POST ${TEAMS_PATH} accepts Bot Framework Emulator requests from this machine only`;
}
