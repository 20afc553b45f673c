import { afterAll, beforeAll, expect, it } from "vitest";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/** Leavers lose access and roles can be revoked, from the person's next request, on every platform. */
describeEachDatabase("staff changes", (database) => {
  let slack: SlackHarness;
  let teams: TeamsHarness;
  beforeAll(async () => {
    [slack, teams] = await Promise.all([SlackHarness.start(database), TeamsHarness.start(database)]);
  });
  afterAll(async () => {
    await Promise.all([slack?.stop(), teams?.stop()]);
  });

  async function say(core: SlackHarness["postbag"]["core"], who: StaffRecord, text: string): Promise<string> {
    try {
      return resultText(await executeCommand(core, who, parseCommand(text), { audience: "private", request: { platform: "cli" } }));
    } catch (error) {
      if (isDomainError(error)) return `refused: ${error.message}`;
      throw error;
    }
  }

  it("a leaver is refused on Slack from their next request; their open case is unowned; it is in the audit log", async () => {
    const { core } = slack.postbag;
    const { office } = slack;
    const logged = await core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-11-24", constituent: { name: "Lee Leaver" }, subject: "Left behind", assignee: office.caseworker.id }, { platform: "cli" });
    expect(blockText((await slack.ask("mine", "UCARL")).blocks)).toContain(logged.reference);

    expect(await say(core, office.caseworker, 'staff deactivate "Carl Caseworker" left')).toBe("refused: Only managers can deactivate staff.");
    expect(await say(core, office.manager, 'staff deactivate "Carl Caseworker"')).toMatch(/refused: Say who and why\./);
    expect(await say(core, office.manager, 'staff deactivate "Carl Caseworker" left the office')).toContain("Carl Caseworker is deactivated");

    expect((await slack.ask("mine", "UCARL")).text).toMatch(/not registered as Postbag staff/);
    expect(await say(core, office.manager, "staff list")).toContain("Carl Caseworker — caseworker (carl@pfcc.example, Slack UCARL) [deactivated]");
    expect((await core.cases.listUnassigned(office.manager)).map((v) => v.reference)).toContain(logged.reference);
    expect((await core.cases.officeCounts(office.manager)).unassigned).toBeGreaterThanOrEqual(1);
    // Their history stays theirs.
    expect((await core.cases.showCase(office.manager, logged.reference)).assignee?.name).toBe("Carl Caseworker");
    const log = await core.accessLog.list(office.manager, 50);
    expect(log.find((e) => e.action === "staff_change")).toMatchObject({ actorName: "Maya Manager", subject: `staff #${office.caseworker.id}`, detail: "deactivated: left the office" });

    expect(await say(core, office.manager, 'staff reactivate "Carl Caseworker"')).toContain("is active again");
    expect(blockText((await slack.ask("mine", "UCARL")).blocks)).toContain(logged.reference);
  });

  it("roles are set exactly: a revoked manager role stops working on Teams at once; the last manager is kept", async () => {
    const { core } = teams.postbag;
    const { office } = teams;
    expect(JSON.stringify((await teams.message("manager", "digest")).sent)).not.toContain("Only managers can preview the office digest");
    expect(await say(core, office.manager, 'staff roles "Maya Manager" caseworker')).toBe("refused: You cannot take the manager role from Maya Manager: the office would have no manager.");
    expect(await say(core, office.manager, 'staff roles "Cora Caseworker" caseworker,manager')).toContain("Cora Caseworker now has the roles caseworker, manager");
    // Each request is made as the person is now (the CLI's --as, Slack and Teams look them up every time).
    const now = (name: string) => core.staff.resolveActor({ lookup: name });
    expect(await say(core, await now("Cora Caseworker"), 'staff roles "Maya Manager" caseworker')).toContain("Maya Manager now has the roles caseworker");
    expect(JSON.stringify((await teams.message("manager", "digest")).sent)).toContain("Only managers can preview the office digest");
    expect(await say(core, await now("Maya Manager"), "audit")).toBe("refused: Only managers can run the audit.");
    expect(await say(core, await now("Maya Manager"), 'staff deactivate "Cora Caseworker" left')).toBe("refused: Only managers can deactivate staff.");
    expect(await say(core, await now("Cora Caseworker"), 'staff deactivate "Cora Caseworker" left')).toBe("refused: You cannot deactivate yourself; ask another manager.");
  });
});
