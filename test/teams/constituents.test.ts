import { afterAll, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/** In Teams: the log form asks who the person is rather than guess, and a card opens the person's earlier cases. */
describeEachDatabase("Teams: one person, one record", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());

  it("the log form asks whether the person is someone on record, keeps what was typed, and logs with the answer; the card opens the earlier cases", async () => {
    const first = await teams.message("admin", 'log letter 2026-11-20 "Seán Ó Briain" Burglary --email sean@example.com');
    const firstReference = cardText(first.card).match(/PFCC-2026-\d{4}/)![0];
    const known = (await teams.postbag.db.prisma.case.findUniqueOrThrow({ where: { reference: firstReference } })).constituentId;

    const opened = await teams.message("admin", "log");
    const formId = opened.card.actions[0].data.formId;
    const cardActivityId = opened.sent[0]!.id;
    const values = { formId, channel: "phone", receivedOn: "2026-11-24", "constituent.name": "Sean O Briain", "constituent.phone": "07700 900888", subject: "Burglary follow-up", sensitive: "false" };
    const before = await teams.postbag.db.prisma.case.count();
    const asked = await teams.press("admin", "case.log", values, { cardActivityId });
    const choice = asked.card.body.find((element: any) => element.id === "constituentChoice");
    expect(choice).toMatchObject({ type: "Input.ChoiceSet", style: "expanded", isRequired: true });
    expect(choice.choices.map((c: any) => c.value)).toEqual([`C${known}`, "new"]);
    expect(choice.choices[0].title).toBe(`Yes: C${known} Seán Ó Briain (s…@example.com; 1 case)`);
    expect(asked.card.body.find((element: any) => element.id === "subject").value).toBe("Burglary follow-up");
    expect(await teams.postbag.db.prisma.case.count()).toBe(before);

    const logged = await teams.press("admin", "case.log", { ...values, constituentChoice: `C${known}` }, { cardActivityId });
    const reference = cardText(logged.card).match(/Logged (PFCC-2026-\d{4})/)![1]!;
    expect((await teams.postbag.db.prisma.case.findUniqueOrThrow({ where: { reference } })).constituentId).toBe(known);
    expect(cardText(logged.card)).toContain(`1 earlier case from this person: ${firstReference} (New: Burglary)`);

    const actions = (card: any): any[] => (card?.actions ?? []).flatMap((action: any) => [action, ...actions(action.card)]);
    const earlier = actions(logged.card).find((action: any) => action.title === "Earlier cases");
    expect(earlier).toMatchObject({ type: "Action.Execute", verb: "case.person" });
    const record = await teams.press("admin", "case.person", earlier.data, { cardActivityId });
    expect(cardText(record.card)).toContain(`C${known} Seán Ó Briain`);
    expect(cardText(record.card)).toContain("Phone: 07700 900888");
    expect(teams.cardProblems).toEqual([]);
  });
});
