import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/** Teams: the referral form picks a partner of the directory; `partner …` keeps it. */
describeEachDatabase("Teams: the partner directory", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  /** A case of Carl's logged from a message, and its referral form opened from the card. */
  async function referForm() {
    const { card, sent } = await teams.message("admin", 'log letter 2026-11-24 "Rhea Referral" Speeding --assign "Carl Caseworker" --new-person');
    const reference = cardText(card).match(/PFCC-2026-\d{4}/)![0];
    const cardActivityId = sent[0]!.id;
    const form = await teams.press("caseworker", "case.form", { reference, version: 2, form: "refer" }, { cardActivityId });
    return { reference, cardActivityId, form: form.card };
  }

  it("with no partners in the directory the referral form says to ask a manager to add them", async () => {
    await teams.postbag.db.prisma.partner.deleteMany(); // nothing refers to them yet
    const { form } = await referForm();
    expect(form.body.find((e: any) => e.id === "partner")).toBeUndefined();
    expect(cardText(form)).toContain('No partners are in the directory yet: ask a manager to add them (partner add "<name>").');
    expect(form.actions[0].data.asked.split(",")).not.toContain("partner");
  });

  it("a manager adds partners by message; anyone lists them", async () => {
    expect((await teams.message("caseworker", 'partner add "North Yorkshire Police" --alias NYP --reply-days 15')).text).toMatch(/Only managers can add partners/);
    expect((await teams.message("manager", 'partner add "North Yorkshire Police" --alias NYP --reply-days 15')).text).toMatch(/^Added North Yorkshire Police to the partner directory\./);
    expect((await teams.message("manager", 'partner add "County Council"')).text).toMatch(/^Added County Council/);
    expect((await teams.message("viewer", "partner list")).text).toContain("North Yorkshire Police · also NYP · replies within 15 working days");
  });

  it("the referral form offers the directory as a choice set; the choice is recorded under the partner's name and usual reply time", async () => {
    const { reference, cardActivityId, form } = await referForm();
    const partners = form.body.find((e: any) => e.id === "partner");
    expect(partners).toMatchObject({ type: "Input.ChoiceSet", style: "compact", isRequired: true });
    expect(partners.choices.map((c: any) => c.title)).toEqual(["County Council", "North Yorkshire Police (NYP)"]);
    const nyp = partners.choices.find((c: any) => c.title === "North Yorkshire Police (NYP)").value;
    expect(form.actions[0]).toMatchObject({ verb: "case.refer", data: { reference, asked: "partner,workingDays,text,happenedOn" } });

    const done = await teams.press("caseworker", "case.refer", { ...form.actions[0].data, partner: nyp }, { cardActivityId });
    // 15 working days from Wed 25 Nov 2026 (day 0): Wed 16 Dec.
    expect(cardText(done.card)).toContain(`${reference} referred to North Yorkshire Police; reply expected by Wed 16 Dec 2026.`);
    const referral = await teams.postbag.db.prisma.referral.findFirstOrThrow({ where: { case: { reference } }, include: { partner: true } });
    expect(referral.partner.name).toBe("North Yorkshire Police");
  });
});
