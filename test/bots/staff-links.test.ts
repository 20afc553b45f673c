import { afterAll, beforeAll, expect, it } from "vitest";
import { TestClock } from "../support/clock.ts";
import { cliWorld } from "../support/cli-world.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { SlackHarness } from "../support/slack-harness.ts";

/** Managers change the Slack id, Teams id and email a person is known by; the change counts from the next request. */
describeEachDatabase("linking staff to their platform ids", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  const staffChanges = async () => (await h.postbag.core.accessLog.list(h.office.manager, 200)).filter((event) => event.action === "staff_change");

  it("refuses, writing nothing: a non-manager, an unknown person, an id or email someone else has, a malformed id, nothing to link", async () => {
    const staffBefore = await h.postbag.core.staff.list();
    const changesBefore = (await staffChanges()).length;
    const refusals: [string, string, RegExp][] = [
      ['staff link "Cora Caseworker" --slack UCORA2', "UCARL", /Only managers can change staff platform ids\./],
      ['staff unlink "Cora Caseworker" --slack', "UALICE", /Only managers can change staff platform ids\./],
      ['staff link "Nobody Known" --slack UNEW1', "UMAYA", /No staff member "Nobody Known"\. See who is registered with: staff list\./],
      ['staff link "Cora Caseworker" --slack <@UCARL>', "UMAYA", /Slack id UCARL is already Carl Caseworker's\. Unlink it from them first: staff unlink "Carl Caseworker" --slack/],
      ['staff link "Cora Caseworker" --email carl@pfcc.example', "UMAYA", /Email carl@pfcc\.example is already Carl Caseworker's\./],
      ['staff link "Cora Caseworker" --slack hello', "UMAYA", /A Slack user id looks like U012ABCDEF/],
      ['staff link "Cora Caseworker" --teams 29:1abc', "UMAYA", /A Teams id is the person's Microsoft Entra object id/],
      ['staff link "Cora Caseworker"', "UMAYA", /Say what to link: --slack U…, --teams &lt;Entra object id&gt; or --email E\./],
      ['staff unlink "Cora Caseworker"', "UMAYA", /Say which to unlink: --slack or --teams\./],
      ['staff unlink "Cora Caseworker" --slack UCORA', "UMAYA", /staff unlink takes no id/],
      ["staff link Cora Caseworker --slack UCORA2", "UMAYA", /Put the person's name in quotes: staff link "Cora Caseworker"/],
    ];
    for (const [text, user, expected] of refusals) expect((await h.ask(text, user)).text, text).toMatch(expected);
    expect(await h.postbag.core.staff.list()).toEqual(staffBefore);
    expect(await staffChanges()).toHaveLength(changesBefore);
  });

  it("a re-linked Slack id acts as the person from its next request; the old one and an unlinked one are refused", async () => {
    // Cora is recognised (and remembered by the embedded database's staff cache).
    expect((await h.ask("mine", "UCORA")).text).toMatch(/Your open cases/);

    expect((await h.ask('staff link "Cora Caseworker" --slack <@UCORA2>', "UMAYA")).text).toContain("Cora Caseworker: Slack id UCORA → UCORA2. Recognised that way from their next request.");
    expect((await h.ask("mine", "UCORA2")).text).toMatch(/Your open cases/);
    expect((await h.ask("mine", "UCORA")).text).toMatch(/not registered as Postbag staff/);
    expect((await h.ask('staff link "Cora Caseworker" --slack UCORA2', "UMAYA")).text).toContain("Nothing changed: Cora Caseworker already has that.");

    expect((await h.ask('staff unlink "Cora Caseworker" --slack', "UMAYA")).text).toContain("Cora Caseworker: Slack id UCORA2 → none.");
    expect((await h.ask("mine", "UCORA2")).text).toMatch(/not registered as Postbag staff/);
    expect((await h.ask("staff list", "UMAYA")).text).toContain("Cora Caseworker — caseworker (cora@pfcc.example) ⚠ no Slack or Teams id: gets no digest");

    // A Teams id is an Entra object id, kept as Teams sends it (lower case); an email likewise.
    const linked = (await h.ask('staff link "cora@pfcc.example" --teams 8C3F0E52-1B7A-4E0B-9D4A-2F6C1E0B7A31 --email Cora.C@PFCC.example --slack UCORA', "UMAYA")).text;
    expect(linked).toContain("Cora Caseworker: Slack id none → UCORA; Teams id none → 8c3f0e52-1b7a-4e0b-9d4a-2f6c1e0b7a31; Email cora@pfcc.example → cora.c@pfcc.example.");
    expect((await h.ask("mine", "UCORA")).text).toMatch(/Your open cases/);

    const audit = (await staffChanges()).map((event) => ({ actor: event.actorName, platform: event.platform, subject: event.subject, detail: event.detail }));
    const subject = `staff #${h.office.otherCaseworker.id}`;
    expect(audit).toEqual(
      expect.arrayContaining([
        { actor: "Maya Manager", platform: "slack", subject, detail: "Slack id UCORA → UCORA2" },
        { actor: "Maya Manager", platform: "slack", subject, detail: "Slack id UCORA2 → none" },
        { actor: "Maya Manager", platform: "slack", subject, detail: "Slack id none → UCORA; Teams id none → 8c3f0e52-1b7a-4e0b-9d4a-2f6c1e0b7a31; Email cora@pfcc.example → cora.c@pfcc.example" },
      ]),
    );
  });
});

describeEachDatabase("staff link at the command line", (database) => {
  const clock = new TestClock("2026-11-25T10:00:00Z");
  const postbag = cliWorld(database, clock).run;

  it("links and unlinks; the person acts by the new id, not by an unlinked one; a refusal exits 1 and changes nothing", async () => {
    await postbag("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@pfcc.example", "--slack", "UALICE");
    await postbag("staff", "add", "Nina Newton", "--role", "caseworker", "--email", "nina@pfcc.example", "--as", "alice@pfcc.example");

    const refused = await postbag("staff", "link", "Nina Newton", "--slack", "UALICE", "--as", "alice@pfcc.example");
    expect(refused).toMatchObject({ code: 1, err: 'Slack id UALICE is already Alice Admin\'s. Unlink it from them first: staff unlink "Alice Admin" --slack' });
    expect((await postbag("staff", "link", "Nina Newton", "--slack", "UNINA", "--as", "nina@pfcc.example")).err).toBe("Only managers can change staff platform ids.");

    expect((await postbag("staff", "link", "Nina Newton", "--slack", "unina", "--as", "alice@pfcc.example")).out).toContain("Nina Newton: Slack id none → UNINA.");
    expect((await postbag("mine", "--as", "UNINA")).code).toBe(0);
    const list = JSON.parse((await postbag("staff", "list", "--json", "--as", "UNINA")).out) as { name: string; slackUserId: string | null; unreachable: string | null }[];
    expect(list.find((staff) => staff.name === "Nina Newton")).toMatchObject({ slackUserId: "UNINA", unreachable: null });

    expect((await postbag("staff", "unlink", "Nina Newton", "--slack", "--as", "alice@pfcc.example")).out).toContain("Nina Newton: Slack id UNINA → none.");
    expect(await postbag("mine", "--as", "UNINA")).toMatchObject({ code: 1, err: expect.stringMatching(/No registered staff member "UNINA"/) });
    expect((await postbag("staff", "list", "--as", "alice@pfcc.example")).out).toContain("Nina Newton — caseworker (nina@pfcc.example) ⚠ no Slack or Teams id: gets no digest");
  });
});
