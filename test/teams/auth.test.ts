import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { FakeOpenIdEndpoint } from "../support/fake-openid.ts";
import { BOT_APP_ID, cardActionActivity, messageActivity, TENANT_ID } from "../support/teams-activities.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

describeEachDatabase("Teams with an app id: botbuilder authenticates every request", (database) => {
  let teams: TeamsHarness;
  const openId = new FakeOpenIdEndpoint();
  let reference = "";

  beforeAll(async () => {
    await openId.start();
    teams = await TeamsHarness.start(database, {
      env: { MICROSOFT_APP_ID: BOT_APP_ID, MICROSOFT_APP_PASSWORD: "not-a-real-secret", MICROSOFT_APP_TYPE: "SingleTenant", MICROSOFT_APP_TENANT_ID: TENANT_ID },
      // Setting any override drops every public-cloud default, so all are set, to loopback.
      authOverrides: {
        ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
        ToBotFromChannelTokenIssuer: openId.issuer,
        ToChannelFromBotLoginUrl: `${openId.url}${TENANT_ID}`,
        ToChannelFromBotOAuthScope: "https://api.botframework.com",
        OAuthUrl: openId.url,
        CallerId: "urn:botframework:azure",
      },
    });
    const view = await teams.postbag.core.cases.logCase(
      teams.office.admin,
      { channel: "letter", receivedOn: "2026-11-24", constituent: { name: "Ann Auth" }, subject: "Test" },
      { platform: "cli" },
    );
    reference = view.reference;
  });
  afterAll(async () => {
    await teams?.stop();
    await openId.stop();
  });

  const token = (claims: Record<string, unknown> = {}, options = {}) => `Bearer ${openId.token({ aud: BOT_APP_ID, serviceurl: teams.serviceUrl, ...claims }, options)}`;
  const timelineTotal = async () => (await teams.postbag.core.cases.showCase(teams.office.admin, reference)).timeline!.total;

  it("accepts a request carrying a valid Bot Connector token", async () => {
    const shown = await teams.send(cardActionActivity(teams.serviceUrl, teams.users.caseworker, "case.show", { reference }), { authorization: token() });
    expect(shown.status).toBe(200);
    expect(cardText(shown.body.value)).toContain(`${reference} · New`);
  });

  it("rejects with 401, and does no work, a request with no token, a forged or expired one, or one for another bot or service", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const attempts: Record<string, string | undefined> = {
      none: undefined,
      garbage: "Bearer not.a.token",
      forged: token({}, { signWith: other }),
      expired: token({}, { expiresIn: -3600 }),
      "another bot": token({ aud: "11111111-2222-3333-4444-555555555555" }),
      "another service url": token({ serviceurl: "https://smba.trafficmanager.net/evil/" }),
      "another issuer": token({ iss: "https://attacker.example" }),
    };
    for (const [name, authorization] of Object.entries(attempts)) {
      const ack = cardActionActivity(teams.serviceUrl, teams.users.admin, "case.acknowledge", { reference, version: 1 });
      const response = await teams.send(ack, authorization ? { authorization } : {});
      expect(response.status, name).toBe(401);
      const message = await teams.send(messageActivity(teams.serviceUrl, teams.users.admin, `ack ${reference}`), authorization ? { authorization } : {});
      expect(message.status, name).toBe(401);
    }
    expect(await timelineTotal()).toBe(1);
    expect(teams.connector.activities).toHaveLength(0);
  });
});
