import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };

/**
 * Teams and their queues: a case is in the queue its type routes it to, or the one a manager
 * moved it to; a team's lead finds the queue's overdue and unowned cases in their own digest.
 */
describeEachDatabase("teams and queues", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-07T10:00:00Z"); // Mon 7 Dec 2026

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  const run = async (text: string, who: keyof Office = "manager") => executeCommand(postbag.core, office[who], parseCommand(text), { audience: "private", request: cli });
  const queue = async (team: string) => {
    const result = await run(`queue ${team}`);
    return result.kind === "cases" ? result.views.map((view) => view.reference) : [];
  };
  const logged = async (receivedOn = "2026-12-07") => (await postbag.core.cases.logCase(office.admin, letter({ receivedOn }), cli)).reference;

  it("routes a case to the queue of the team its type is routed to; a manager moves it; each queue lists what is in it", async () => {
    const added = await run('team add "Complaints" --lead cora@pfcc.example --types review,cc-complaint');
    expect(added).toMatchObject({ kind: "message", message: "Added the team. Complaints: led by Cora Caseworker; members: Cora Caseworker; routed: review, cc-complaint." });
    await run('team add "Correspondence" --lead carl@pfcc.example --types none');
    await run("team join Complaints maya@pfcc.example");

    const review = await logged();
    await postbag.core.cases.perform(office.manager, "set_type", { reference: review, type: "review", outcomeLetterOn: "2026-12-01" }, cli);
    const letterCase = await logged();
    const foi = await logged();
    await postbag.core.cases.perform(office.manager, "set_type", { reference: foi, type: "foi" }, cli);

    // A review goes to Complaints, an ordinary letter to Correspondence; an FOI no team claims is in neither.
    expect(await queue("Complaints")).toEqual([review]);
    expect(await queue("correspondence")).toEqual([letterCase]);

    // Moved by a manager: in Complaints' queue, out of Correspondence's, on the timeline.
    const moved = await postbag.core.cases.perform(office.manager, "move_team", { reference: letterCase, team: "complaints" }, cli);
    expect(moved.message).toBe(`${letterCase} is in the complaints queue now.`);
    expect(moved.view.timeline!.entries.at(-1)).toMatchObject({ label: "Moved to a team's queue", text: "Moved to Complaints's queue" });
    expect((await queue("Complaints")).sort()).toEqual([review, letterCase].sort());
    expect(await queue("Correspondence")).toEqual([]);

    // Nobody but a manager moves a case or makes a team; an unknown team is named as such.
    await expect(postbag.core.cases.perform(office.caseworker, "move_team", { reference: foi, team: "Complaints" }, cli)).rejects.toThrow("Only managers can move a case to another team's queue.");
    await expect(run('team add "Mine"', "caseworker")).rejects.toThrow("Only managers can add teams.");
    await expect(postbag.core.cases.perform(office.manager, "move_team", { reference: foi, team: "Parking" }, cli)).rejects.toThrow("There is no team called Parking. The teams: Complaints, Correspondence.");
    await expect(run('team add "complaints"')).rejects.toThrow("There is already a team called complaints.");

    const listed = await run("team list", "viewer");
    expect(listed).toMatchObject({ kind: "message" });
    expect((listed as { message: string }).message.split("\n")).toEqual([
      "Complaints: led by Cora Caseworker; members: Cora Caseworker, Maya Manager; routed: review, cc-complaint.",
      "Correspondence: led by Carl Caseworker; members: Carl Caseworker; routed: none.",
    ]);
  });

  it("gives a team's lead the queue's overdue and unassigned cases in their own digest, and nobody else", async () => {
    const review = await logged("2026-12-01");
    await postbag.core.cases.perform(office.manager, "set_type", { reference: review, type: "review", outcomeLetterOn: "2026-11-20" }, cli);
    // Received Tue 1 Dec: a review's acknowledgement is due in 5 working days, Tue 8 Dec; by Wed 9 Dec it is overdue.
    const section = (digest: { sections: { key: string; title: string; cases: { reference: string }[] }[] }, title: string) => digest.sections.find((candidate) => candidate.title === title)?.cases.map((view) => view.reference);
    const cora = await postbag.core.digests.personalDigest(office.otherCaseworker, "2026-12-09");
    expect(section(cora, "Complaints's queue: overdue")).toContain(review);
    expect(section(cora, "Complaints's queue: unassigned")).toContain(review);
    const carl = await postbag.core.digests.personalDigest(office.caseworker, "2026-12-09");
    expect(section(carl, "Complaints's queue: overdue")).toBeUndefined();
    expect(section(carl, "Correspondence's queue: overdue")).not.toContain(review);
  });
});
