import { afterEach, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";

describeEachDatabase("registering staff", (database) => {
  let postbag: Postbag | undefined;
  afterEach(async () => {
    await postbag?.close();
    postbag = undefined;
  });

  it("the first registration bootstraps an admin, exactly once even when two race", async () => {
    postbag = await openTestPostbag(database);
    const staff = postbag.core.staff;
    const results = await Promise.allSettled([
      staff.registerStaff(null, { name: "First Person", roles: "caseworker" }),
      staff.registerStaff(null, { name: "Second Person", roles: "caseworker" }),
    ]);
    const created = results.filter((r) => r.status === "fulfilled");
    expect(created).toHaveLength(1);
    expect((created[0] as PromiseFulfilledResult<{ staff: { roles: string[] } }>).value.staff.roles).toEqual(["caseworker", "admin"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as DomainError).code).toBe("not_permitted");
    expect(await staff.list()).toHaveLength(1);
  });

  it("only admins add staff; roles are validated", async () => {
    postbag = await openTestPostbag(database);
    const staff = postbag.core.staff;
    const { staff: admin } = await staff.registerStaff(null, { name: "Ann Admin", roles: "admin" });
    const { staff: worker } = await staff.registerStaff(admin, { name: "Wes Worker", roles: "caseworker" });
    await expect(staff.registerStaff(worker, { name: "Someone Else", roles: "viewer" })).rejects.toMatchObject({ code: "not_permitted" });
    await expect(staff.registerStaff(admin, { name: "Bad Role", roles: "overlord" })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringMatching(/Roles are: admin, caseworker, manager, viewer/) });
    await expect(staff.registerStaff(admin, { name: "Bad Slack", roles: "viewer", slackUserId: "not-an-id" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("one person is one record across Slack and Teams: registering again adds the other platform and roles", async () => {
    postbag = await openTestPostbag(database);
    const staff = postbag.core.staff;
    const { staff: admin } = await staff.registerStaff(null, { name: "Ann Admin", roles: "admin" });
    const slack = await staff.registerStaff(admin, { name: "Pat Person", roles: "caseworker", email: "pat@pfcc.example", slackUserId: "UPAT" });
    const teams = await staff.registerStaff(admin, { name: "Pat Person", roles: "manager", email: "PAT@pfcc.example", teamsUserId: "aad-object-id-pat" });
    expect(teams.created).toBe(false);
    expect(teams.staff.id).toBe(slack.staff.id);
    expect(teams.staff.roles).toEqual(["caseworker", "manager"]);
    const viaSlack = await staff.resolveActor({ slackUserId: "UPAT" });
    const viaTeams = await staff.resolveActor({ teamsUserId: "aad-object-id-pat" });
    expect(viaTeams.id).toBe(viaSlack.id);
    await expect(staff.resolveActor({ teamsUserId: "stranger" })).rejects.toMatchObject({ code: "not_registered" });
  });

  it("a change to someone's record counts from their very next request, though the sender's record is remembered", async () => {
    postbag = await openTestPostbag(database);
    const staff = postbag.core.staff;
    const admin = (await staff.registerStaff(null, { name: "Ada Admin", roles: "admin", email: "ada@pfcc.example" })).staff;
    await staff.registerStaff(admin, { name: "Carl Caseworker", roles: "viewer", email: "carl@pfcc.example", slackUserId: "UCARL" });
    expect((await staff.resolveActor({ slackUserId: "UCARL" })).roles).toEqual(["viewer"]);
    await expect(staff.resolveActor({ teamsUserId: "teams-carl" })).rejects.toMatchObject({ code: "not_registered" });
    await staff.registerStaff(admin, { name: "Carl Caseworker", roles: "caseworker", email: "carl@pfcc.example", teamsUserId: "teams-carl" });
    expect((await staff.resolveActor({ slackUserId: "UCARL" })).roles).toEqual(expect.arrayContaining(["viewer", "caseworker"]));
    expect((await staff.resolveActor({ teamsUserId: "teams-carl" })).name).toBe("Carl Caseworker");
  });
});
