import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import type { Office } from "../support/office.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/**
 * One rule for who sees a sensitive case, on every surface: its assignee and managers in full;
 * the admin, while it awaits acknowledgement, its contact details alone (they send the
 * acknowledgement), each such read in the audit log; anyone else, and any channel, nothing.
 */
async function sensitiveCase(postbag: Postbag, office: Office): Promise<string> {
  const view = await postbag.core.cases.logCase(
    office.manager,
    {
      channel: "email",
      receivedOn: "2026-11-24",
      constituent: { name: "Rob Private", email: "rob@example.org", address: "1 High Street, Aylesbury" },
      constituentChoice: "new",
      subject: "Stalking",
      summary: "Followed home from work twice.",
      sensitive: true,
      assignee: office.caseworker.id,
    },
    { platform: "cli" },
  );
  return view.reference;
}

async function contactReads(postbag: Postbag, reference: string) {
  const events = await postbag.core.accessLog.list({ id: 0, name: "test", roles: ["manager"] }, 500);
  return events.filter((event) => event.subject === reference && event.detail === "contact details shown to acknowledge it").map((event) => `${event.actorName} (${event.platform})`);
}

describeEachDatabase("who sees a sensitive case", (database) => {
  describe("Slack", () => {
    let h: SlackHarness;
    let reference: string;
    beforeAll(async () => {
      h = await SlackHarness.start(database);
      reference = await sensitiveCase(h.postbag, h.office);
    });
    afterAll(() => h?.stop());

    it("the admin's card shows the contact details and says why, without the subject, summary or timeline", async () => {
      const text = blockText((await h.ask(`show ${reference}`, "UALICE")).blocks);
      expect(text).toContain("Rob Private\nrob@example.org · 1 High Street, Aylesbury");
      expect(text).toContain("only the contact details are shown, so you can acknowledge it");
      expect(text).not.toMatch(/Stalking|Followed home/);
      expect(await contactReads(h.postbag, reference)).toEqual(["Alice Admin (slack)"]);
    });

    it("another caseworker sees neither, and nothing is logged for them", async () => {
      const text = blockText((await h.ask(`show ${reference}`, "UCORA")).blocks);
      expect(text).not.toMatch(/Rob Private|rob@example.org|Stalking/);
      expect(await contactReads(h.postbag, reference)).toEqual(["Alice Admin (slack)"]);
    });

    it("once acknowledged, the admin sees no more than anyone else", async () => {
      const acknowledged = blockText((await h.ask(`ack ${reference}`, "UALICE")).blocks);
      expect(acknowledged).toContain(`Acknowledged ${reference}`);
      expect(acknowledged).not.toContain("Rob Private");
      expect(blockText((await h.ask(`show ${reference}`, "UALICE")).blocks)).not.toContain("Rob Private");
    });
  });

  describe("Teams", () => {
    let teams: TeamsHarness;
    let reference: string;
    beforeAll(async () => {
      teams = await TeamsHarness.start(database);
      reference = await sensitiveCase(teams.postbag, teams.office);
    });
    afterAll(() => teams?.stop());

    it("the admin's card in their personal chat shows the contact details alone; in a channel, nothing", async () => {
      const personal = cardText((await teams.message("admin", `show ${reference}`)).card);
      expect(personal).toContain("Constituent: Rob Private (rob@example.org · 1 High Street, Aylesbury)");
      expect(personal).not.toMatch(/Stalking|Followed home/);
      const channel = cardText((await teams.message("admin", `show ${reference}`, { where: "channel" })).card);
      expect(channel).not.toContain("Rob Private");
      expect(await contactReads(teams.postbag, reference)).toEqual(["Alice Admin (teams)"]);
    });
  });
});
