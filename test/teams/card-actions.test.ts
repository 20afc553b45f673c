import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { cardActionActivity } from "../support/teams-activities.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

describeEachDatabase("Teams: Universal Actions on case cards", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  const timeline = async (reference: string) => (await teams.postbag.core.cases.showCase(teams.office.admin, reference)).timeline!;
  /** Logs a case from a message; returns its reference and the id of the card message the bot posted. */
  async function postedCase(where: "personal" | "channel" = "personal") {
    const { card, sent } = await teams.message("admin", 'log letter 2026-11-24 "Jane Doe" Speeding on Main Street --summary "Cars race past" --new-person', { where });
    return { reference: cardText(card).match(/PFCC-2026-\d{4}/)![0], cardActivityId: sent[0]!.id, card };
  }
  const button = (card: any, verb: string) => {
    const all = [...(card.actions ?? []), ...(card.actions ?? []).flatMap((a: any) => a.card?.actions ?? [])];
    return all.find((a: any) => a.verb === verb);
  };

  it("acknowledges from the card: the clicker gets the updated card and the message is updated for everyone", async () => {
    const { reference, cardActivityId, card } = await postedCase("channel");
    const ack = button(card, "case.acknowledge");
    expect(ack.data).toEqual({ reference, version: 1 });
    const pressed = await teams.press("caseworker", "case.acknowledge", ack.data, { where: "channel", cardActivityId });
    expect(pressed.status).toBe(200);
    expect(pressed.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(cardText(pressed.card)).toContain(`Acknowledged ${reference}.`);
    expect(cardText(pressed.card)).toContain(`${reference} · Acknowledged`);
    expect(pressed.sent).toHaveLength(1);
    expect(pressed.sent[0]).toMatchObject({ method: "PUT", activityId: cardActivityId });
    expect(cardText(pressed.sent[0]!.body.attachments[0].content)).toContain(`${reference} · Acknowledged`);
    const entry = (await timeline(reference)).entries.at(-1)!;
    expect(entry).toMatchObject({ type: "acknowledged", actor: "Carl Caseworker", platform: "teams" });
  });

  it("Respond is in the card's row, not under More…, however many other steps the case offers (the table is unchanged, so Slack's card is too)", async () => {
    // A manager's own card of a case assigned to someone else, not yet acknowledged: Acknowledge, Assign to me, Add update, Refer, Respond, Close…
    const { card } = await teams.message("manager", 'log letter 2026-11-24 "Rhea Row" Street lights out --assign carl@pfcc.example --new-person');
    const row = (card.actions as any[]).map((action) => action.title);
    expect(row).toHaveLength(5);
    expect(row.at(-1)).toBe("More…");
    expect(row).toContain("Acknowledge");
    expect(row).toContain("Respond");
    expect((card.actions as any[]).find((action) => action.title === "Respond").style).toBe("positive");
    const more = (card.actions as any[]).at(-1).card.actions.map((action: any) => action.title);
    expect(more).not.toContain("Respond");
    // Nothing is lost: every control is in the row or under More…, in the table's order otherwise.
    expect([...row.slice(0, -1), ...more.filter((title: string) => title !== "More…")]).toEqual(expect.arrayContaining(["Assign to me", "Add update", "Refer", "Close"]));
  });

  it("writes once when a button is double-clicked or its invoke delivered twice", async () => {
    const { reference, cardActivityId } = await postedCase();
    const data = { reference, version: 1 };
    const [first, second] = await Promise.all([
      teams.press("caseworker", "case.assign", data, { cardActivityId }),
      teams.press("caseworker", "case.assign", data, { cardActivityId }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(cardText(first.card)).toContain("is now with Carl Caseworker");
    expect(cardText(second.card)).toContain("is now with Carl Caseworker");
    const invoke = cardActionActivity(teams.serviceUrl, teams.users.admin, "case.acknowledge", { reference, version: 2 }, { cardActivityId });
    await teams.send(invoke);
    await teams.send(invoke);
    const types = (await timeline(reference)).entries.map((entry) => entry.type);
    expect(types).toEqual(["logged", "assigned", "acknowledged"]);
  });

  it("a button on an out-of-date card acts when it still makes sense, and answers a true conflict with the current card", async () => {
    const { reference, cardActivityId } = await postedCase();
    await teams.press("admin", "case.acknowledge", { reference, version: 1 }, { cardActivityId });
    const taken = await teams.press("caseworker", "case.assign", { reference, version: 1 }, { cardActivityId });
    expect(cardText(taken.card)).toContain(`${reference} is now with Carl Caseworker.`);
    const stale = await teams.press("caseworker", "case.acknowledge", { reference, version: 1 }, { cardActivityId });
    expect(cardText(stale.card)).toContain(`Nothing was done: ${reference} changed after your card was shown (Acknowledged by Alice Admin; Assigned by Carl Caseworker).`);
    expect(cardText(stale.card)).toContain(`${reference} · Acknowledged`);
    expect(stale.sent.some((s) => s.method === "PUT" && s.activityId === cardActivityId)).toBe(true);
    expect((await timeline(reference)).entries.map((entry) => entry.type)).toEqual(["logged", "acknowledged", "assigned"]);
  });

  it("opens a form for an update, keeps what was typed when refused, and records it when valid", async () => {
    const { reference, cardActivityId } = await postedCase();
    const form = await teams.press("caseworker", "case.form", { reference, version: 1, form: "add_entry" }, { cardActivityId });
    expect(form.sent).toHaveLength(0);
    const text = form.card.body.find((e: any) => e.id === "text");
    expect(text).toMatchObject({ type: "Input.Text", isRequired: true, errorMessage: "Details is required." });
    expect(form.card.actions[0]).toMatchObject({ verb: "case.add_entry", data: { reference, version: 1 } });
    const empty = await teams.press("caseworker", "case.add_entry", { reference, version: 1, type: "call_in", text: "   " }, { cardActivityId });
    const index = empty.card.body.findIndex((e: any) => e.id === "text");
    expect(empty.card.body[index + 1]).toMatchObject({ color: "Attention", text: "The update is required." });
    expect(empty.card.body.find((e: any) => e.id === "type").value).toBe("call_in");
    const saved = await teams.press("caseworker", "case.add_entry", { reference, version: 1, type: "call_in", text: "Rang about the camera" }, { cardActivityId });
    expect(cardText(saved.card)).toContain(`Recorded on ${reference}.`);
    expect(cardText(saved.card)).toContain("**Phone call received** — Rang about the camera");
    expect((await timeline(reference)).entries.at(-1)).toMatchObject({ type: "call_in", text: "Rang about the camera", platform: "teams" });
  });

  it("refers, records the reply, chases, responds, closes and reopens through card forms", async () => {
    const { reference, cardActivityId } = await postedCase();
    let version = 1;
    const submit = async (verb: string, data: Record<string, unknown>) => {
      const result = await teams.press("caseworker", verb, { reference, version, ...data }, { cardActivityId });
      version += 1;
      return cardText(result.card);
    };
    // The partner is a choice of the directory's entries; the card sends the chosen entry.
    const referForm = await teams.press("caseworker", "case.form", { reference, version, form: "refer" }, { cardActivityId });
    const partners = referForm.card.body.find((e: any) => e.id === "partner");
    expect(partners).toMatchObject({ type: "Input.ChoiceSet", isRequired: true });
    const choice = (title: string): string => partners.choices.find((c: any) => c.title === title).value;
    const badDays = await teams.press("caseworker", "case.refer", { reference, version, partner: choice("Police"), workingDays: "lots" }, { cardActivityId });
    const daysIndex = badDays.card.body.findIndex((e: any) => e.id === "workingDays");
    expect(badDays.card.body[daysIndex + 1].text).toBe("Working days must be a whole number.");
    expect(badDays.card.body.find((e: any) => e.id === "partner").value).toBe(choice("Police"));
    expect(await submit("case.refer", { partner: choice("Police – Roads Policing"), workingDays: "5", text: "Asked for patrols" })).toContain("referred to Police – Roads Policing; reply expected by Wed 2 Dec 2026");
    expect(await submit("case.chase", {})).toContain(`Chase recorded on ${reference}.`);
    expect(await submit("case.partner_reply", { text: "Patrols from Monday" })).toContain(`Partner reply recorded on ${reference}.`);
    expect(await submit("case.respond", { text: "Wrote back" })).toContain(`Full response recorded on ${reference}.`);
    const closeForm = await teams.press("caseworker", "case.form", { reference, version, form: "close" });
    expect(closeForm.card.body.find((e: any) => e.id === "outcome")).toMatchObject({ type: "Input.ChoiceSet", value: "responded" });
    expect(await submit("case.close", { outcome: "responded" })).toContain(`Closed ${reference} (responded).`);
    expect(await submit("case.reopen", { reason: "Still speeding" })).toContain(`Reopened ${reference}`);
    expect((await timeline(reference)).entries.map((e) => e.type)).toEqual(["logged", "partner_referral", "partner_chase", "partner_reply", "responded", "closed", "reopened"]);
  });

  it("says why a step is not allowed, on the form, without writing", async () => {
    const { reference } = await postedCase();
    const viewer = await teams.press("viewer", "case.acknowledge", { reference, version: 1 });
    expect(cardText(viewer.card)).toContain("Viewers can read cases but not change them.");
    const stranger = await teams.press("stranger", "case.acknowledge", { reference, version: 1 });
    expect(cardText(stranger.card)).toContain("You are not registered as Postbag staff.");
    const missing = await teams.press("caseworker", "case.show", { reference: "PFCC-2026-0999" });
    expect(cardText(missing.card)).toContain("No case PFCC-2026-0999.");
    const tampered = await teams.press("caseworker", "case.acknowledge", { version: "x" });
    expect(cardText(tampered.card)).toContain("This card is out of date or could not be read.");
    const unknownVerb = await teams.press("caseworker", "case.explode", { reference, version: 1 });
    expect(cardText(unknownVerb.card)).toContain("This card is out of date or could not be read.");
    expect((await timeline(reference)).total).toBe(1);
  });

  it("logs from the log form: field errors beside the input, values kept, one case however often it is submitted", async () => {
    const opened = await teams.message("admin", "log");
    const formId = opened.card.actions[0].data.formId;
    const cardActivityId = opened.sent[0]!.id;
    const values = { formId, channel: "email", receivedOn: "2026-11-24", "constituent.name": "", "constituent.email": "not-an-email", subject: "Potholes", sensitive: "false", themes: "roads, potholes" };
    const refused = await teams.press("admin", "case.log", values, { cardActivityId });
    const nameIndex = refused.card.body.findIndex((e: any) => e.id === "constituent.name");
    expect(refused.card.body[nameIndex + 1]).toMatchObject({ color: "Attention", text: "Constituent name is required." });
    expect(refused.card.body.find((e: any) => e.id === "subject").value).toBe("Potholes");
    expect(refused.card.actions[0].data.formId).toBe(formId);
    const fixed = { ...values, "constituent.name": "Pat Pothole", "constituent.email": "pat@example.com" };
    const [logged, twice] = await Promise.all([teams.press("admin", "case.log", fixed, { cardActivityId }), teams.press("admin", "case.log", fixed, { cardActivityId })]);
    expect(cardText(logged.card)).toMatch(/Logged PFCC-2026-\d{4}/);
    expect(cardText(twice.card)).toBe(cardText(logged.card));
    expect(logged.sent.some((s) => s.method === "PUT" && s.activityId === cardActivityId)).toBe(true);
    const found = await teams.postbag.core.cases.searchCases(teams.office.admin, "Pat Pothole");
    expect(found).toHaveLength(1);
    expect(found[0]!.themes).toEqual(["roads", "potholes"]);
  });

  it("logs an FOI request from the log form with its statutory type: due in the Act's working days from the start", async () => {
    const opened = await teams.message("admin", "log");
    expect(opened.card.body.find((e: any) => e.id === "type")).toMatchObject({ type: "Input.ChoiceSet", choices: expect.arrayContaining([{ title: "FOI request", value: "foi" }]) });
    const formId = opened.card.actions[0].data.formId;
    const values = { formId, channel: "email", receivedOn: "2026-11-24", "constituent.name": "Fran Foi", "constituent.email": "fran@example.com", subject: "Stop and search figures", sensitive: "false", type: "foi" };
    const logged = await teams.press("admin", "case.log", values, { cardActivityId: opened.sent[0]!.id });
    // UK working days from Tue 24 Nov 2026: 25–27 (3); Mon 30 Nov, St Andrew's Day in Scotland, out; 1–4 Dec (7), 7–11 (12), 14–18 (17), 21–23 (20).
    expect(cardText(logged.card)).toMatch(/Logged PFCC-2026-\d{4}/);
    const [found] = await teams.postbag.core.cases.searchCases(teams.office.admin, "Fran Foi");
    expect(found).toMatchObject({ respondBy: "2026-12-23", clock: { type: "foi_request", unit: "uk_working_days" } });
    const wrong = await teams.press("admin", "case.log", { ...values, formId: `${formId}-2`, type: "parking" }, { cardActivityId: opened.sent[0]!.id });
    expect(cardText(wrong.card)).toContain("Say which statutory type: review, cc-complaint, foi, foi-review, sar, none.");

    // An internal review takes the date of the response it reviews, checked beside its input; "None" takes a type back.
    expect(opened.card.body.find((e: any) => e.id === "type").choices).toContainEqual({ title: "None: the office's own standard", value: "none" });
    const review = { ...values, formId: `${formId}-3`, "constituent.name": "Rev Iew", "constituent.email": "rev@example.com", type: "foi-review", responseSentOn: "2026-11-25" };
    const refused = await teams.press("admin", "case.log", review, { cardActivityId: opened.sent[0]!.id });
    const sentIndex = refused.card.body.findIndex((e: any) => e.id === "responseSentOn");
    expect(refused.card.body[sentIndex + 1]).toMatchObject({ color: "Attention", text: "The response (Wed 25 Nov 2026) cannot be later than the request for its review (Tue 24 Nov 2026): check both dates." });
    const reviewed = await teams.press("admin", "case.log", { ...review, formId: `${formId}-4`, responseSentOn: "2026-11-02" }, { cardActivityId: opened.sent[0]!.id });
    expect(cardText(reviewed.card)).toMatch(/Logged PFCC-2026-\d{4}/);
    const [internal] = await teams.postbag.core.cases.searchCases(teams.office.admin, "Rev Iew");
    expect(internal).toMatchObject({ clock: { type: "foi_internal_review" } });
  });
});
