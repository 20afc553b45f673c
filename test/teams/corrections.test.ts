import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";

/** Corrections from the case card in Teams: its "More…" actions open each correction's form in place. */
describeEachDatabase("Teams: corrections from the case card", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  /** Every Action.Execute on a card, "More…" cards within it included. */
  const actionsOf = (card: any): any[] => (card.actions ?? []).flatMap((action: any) => (action.type === "Action.ShowCard" ? actionsOf(action.card) : [action]));
  const titles = (card: any) => actionsOf(card).map((action) => action.title);

  async function logged(text: string, where: "personal" | "channel" = "personal") {
    const { card, sent } = await teams.message("admin", text, { where });
    return { reference: cardText(card).match(/PFCC-2026-\d{4}/)![0], cardActivityId: sent[0]!.id };
  }

  /** Opens a correction's form from the person's own card, then submits it with `values`. */
  async function correct(who: "manager" | "caseworker", reference: string, title: string, values: Record<string, unknown>) {
    const shown = await teams.message(who, `show ${reference}`);
    const open = actionsOf(shown.card).find((action) => action.title === title);
    expect(open, title).toBeDefined();
    const form = await teams.press(who, open.verb, open.data);
    const save = form.card.actions[0];
    return { form: form.card, result: await teams.press(who, save.verb, { ...save.data, ...values }) };
  }

  it("viewers see no controls; managers find every correction under More…", async () => {
    const { reference } = await logged('log letter 2026-11-24 "Tess Teams" Lamps --assign "Cora Caseworker"');
    expect((await teams.message("viewer", `show ${reference}`)).card.actions).toBeUndefined();
    expect(titles((await teams.message("caseworker", `show ${reference}`)).card)).not.toContain("Edit details…");
    expect(titles((await teams.message("otherCaseworker", `show ${reference}`)).card)).toContain("Edit details…");
    expect(titles((await teams.message("manager", `show ${reference}`)).card)).toEqual(expect.arrayContaining(["Edit details…", "Correct date received…", "Sensitive marker…", "Void…"]));
  });

  it("edit details: the form starts from the case, a refusal keeps what was typed, and the card shows the new details", async () => {
    const { reference } = await logged('log email 2026-11-24 Sam "Smith Noise" --email sam@example.com');
    const base = { name: "Sam Smith", email: "", phone: "", address: "", subject: "Noise", summary: "", kind: "casework", channel: "email", themes: "" };
    const refused = await correct("manager", reference, "Edit details…", { ...base, email: "not-an-email" });
    expect(refused.form.body.find((e: any) => e.id === "name").value).toBe("Sam");
    const emailIndex = refused.result.card.body.findIndex((e: any) => e.id === "email");
    expect(refused.result.card.body[emailIndex].value).toBe("not-an-email");
    expect(refused.result.card.body[emailIndex + 1]).toMatchObject({ color: "Attention", text: "That email address does not look right." });
    const saved = await correct("manager", reference, "Edit details…", base);
    expect(cardText(saved.result.card)).toContain(`Details of ${reference} corrected`);
    const stored = await teams.postbag.core.cases.showCase(teams.office.manager, reference);
    expect([stored.constituent?.name, stored.constituent?.email, stored.subject]).toEqual(["Sam Smith", null, "Noise"]);
  });

  it("a caseworker may not correct the date received: the form says so and nothing is written", async () => {
    const { reference } = await logged('log letter 2026-11-24 "Dot Date" Dates --assign "Carl Caseworker"');
    const before = await teams.postbag.db.prisma.timelineEntry.count();
    const { version } = await teams.postbag.core.cases.showCase(teams.office.manager, reference);
    const pressed = await teams.press("caseworker", "case.correct_receipt", { reference, version, asked: "receivedOn,reason", receivedOn: "2026-11-23", reason: "typo" });
    expect(cardText(pressed.card)).toContain("Only managers can correct the date received.");
    expect(await teams.postbag.db.prisma.timelineEntry.count()).toBe(before);
  });

  it("marking a case sensitive updates the card already posted in the channel, in place", async () => {
    const { reference, cardActivityId } = await logged('log letter 2026-11-24 "Dana Private" Domestic abuse disclosure --summary "She fears her partner"', "channel");
    const posted = await teams.postbag.db.prisma.postedCard.findFirstOrThrow({ where: { platform: "teams", case: { reference } } });
    expect(posted).toMatchObject({ messageId: cardActivityId, shownSensitive: false });

    const before = teams.connector.activities.length;
    const { form } = await correct("manager", reference, "Sensitive marker…", { sensitive: "on", reason: "" });
    expect(form.body.find((e: any) => e.id === "sensitive").value).toBe("on");
    const deadline = Date.now() + 5_000;
    let update: any;
    while (!update && Date.now() < deadline) {
      update = teams.connector.activities.slice(before).find((a) => a.method === "PUT" && a.activityId === cardActivityId);
      if (!update) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(update).toBeDefined();
    const text = JSON.stringify(cardsOf(update.body));
    expect(text).toContain(`${reference} · New · Sensitive`);
    expect(text).not.toMatch(/Domestic abuse|She fears|Dana Private/);
  });
});
