import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import type { Office } from "../support/office.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, menuIn, SlackHarness } from "../support/slack-harness.ts";
import { installationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";

/** Who the picker should list in the seeded office: the active caseworkers and managers, by name (not Alice, an admin; not Victor, a viewer; not Dan, who left). */
const ASSIGNABLE = ["Carl Caseworker", "Cora Caseworker", "Maya Manager"];

/** A caseworker who has left: registered, then deactivated. */
async function leaver(postbag: Postbag, office: Office) {
  const { staff } = await postbag.core.staff.registerStaff(office.admin, { name: "Dan Departed", roles: "caseworker", email: "dan@pfcc.example", slackUserId: "UDAN" });
  await postbag.core.staff.deactivate(office.manager, { who: "Dan Departed", reason: "left the office" }, "cli");
  return staff;
}

describeEachDatabase("Slack: Assign to… from the case card", (database) => {
  let h: SlackHarness;
  let dan: { id: number };
  beforeAll(async () => {
    h = await SlackHarness.start(database);
    dan = await leaver(h.postbag, h.office);
  });
  afterAll(() => h?.stop());

  async function logged(text: string): Promise<string> {
    return blockText((await h.ask(text, "UALICE")).blocks).match(/PFCC-2026-\d{4}/)![0];
  }

  /** Chooses Assign to… on the person's card: the modal Slack was asked to open, and where the card came from. */
  async function openPicker(reference: string, userId: string) {
    const option = menuIn((await h.ask(`show ${reference}`, userId)).blocks).find((o) => o.label === "Assign to…");
    expect(option).toBeDefined();
    const cardUrl = h.slack.responseUrl();
    const triggerId = `assign-${reference}-${userId}-${Math.random()}`;
    await h.click({ userId, actionId: option!.actionId, value: option!.value, responseUrl: cardUrl, triggerId });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === triggerId));
    return { view: opened.body.view, cardUrl };
  }
  const choose = (userId: string, view: any, viewId: string, value: string) =>
    h.submitView({ userId, callbackId: "postbag_case_action", viewId, privateMetadata: view.private_metadata, values: { action_assignee: { type: "static_select", selected_option: { value } } } });
  const menuLabels = async (reference: string, userId: string) => menuIn((await h.ask(`show ${reference}`, userId)).blocks).map((o) => o.label);

  it("is offered to managers, and to the admin while the case is unassigned; a caseworker keeps Assign to me", async () => {
    const reference = await logged('log letter 2026-11-24 "Una Unassigned" Potholes');
    expect(await menuLabels(reference, "UMAYA")).toContain("Assign to…");
    expect(await menuLabels(reference, "UALICE")).toContain("Assign to…");
    expect(await menuLabels(reference, "UCARL")).not.toContain("Assign to…");
    expect(buttonsIn((await h.ask(`show ${reference}`, "UCARL")).blocks).map((b) => b.action_id)).toContain("postbag_assign");
    expect(await menuLabels(reference, "UVICTOR")).toEqual([]);

    await h.ask(`assign ${reference} me`, "UCARL");
    expect(await menuLabels(reference, "UALICE")).not.toContain("Assign to…");
    expect(await menuLabels(reference, "UMAYA")).toContain("Assign to…");
  });

  it("lists exactly the active caseworkers and managers; choosing one assigns it, the card shows it and they are told", async () => {
    const reference = await logged('log letter 2026-11-24 "Pip Picker" Street lights');
    const { view, cardUrl } = await openPicker(reference, "UMAYA");
    const select = view.blocks.find((b: any) => b.block_id === "action_assignee").element;
    expect(select.type).toBe("static_select");
    expect(select.options.map((o: any) => o.text.text)).toEqual(ASSIGNABLE);
    const cora = select.options.find((o: any) => o.text.text === "Cora Caseworker").value;

    expect((await choose("UMAYA", view, "VASSIGN1", cora)).status).toBe(200);
    const refreshed = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(blockText(refreshed.blocks)).toContain(`${reference} is now with Cora Caseworker.`);
    expect((await h.postbag.core.cases.showCase(h.office.manager, reference)).assignee?.name).toBe("Cora Caseworker");
    const told = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === "UCORA" && blockText(c.body.blocks).includes(reference)));
    expect(blockText(told.body.blocks)).toContain(`Maya Manager assigned ${reference} to you.`);
  });

  it("a forged choice naming a viewer or someone who has left is refused beside the picker, and nothing is written", async () => {
    const reference = await logged('log letter 2026-11-24 "Fay Forged" Forged');
    const { view } = await openPicker(reference, "UMAYA");
    const before = await h.postbag.db.prisma.timelineEntry.count();
    const viewer = await choose("UMAYA", view, "VFORGE1", String(h.office.viewer.id));
    expect(await viewer.json()).toEqual({ response_action: "errors", errors: { action_assignee: "Victor Viewer is not a caseworker or manager, so cannot own cases." } });
    const left = await choose("UMAYA", view, "VFORGE2", String(dan.id));
    expect(await left.json()).toEqual({ response_action: "errors", errors: { action_assignee: "Dan Departed is deactivated, so cannot be given cases." } });
    expect(await h.postbag.db.prisma.timelineEntry.count()).toBe(before);
    expect((await h.postbag.core.cases.showCase(h.office.manager, reference)).assignee).toBeNull();
  });
});

describeEachDatabase("Teams: Assign to… from the case card", (database) => {
  let teams: TeamsHarness;
  let dan: { id: number };
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
    dan = await leaver(teams.postbag, teams.office);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  /** Every Action.Execute on a card, "More…" cards within it included. */
  const actionsOf = (card: any): any[] => (card.actions ?? []).flatMap((action: any) => (action.type === "Action.ShowCard" ? actionsOf(action.card) : [action]));

  async function logged(name: string): Promise<string> {
    const { card } = await teams.message("admin", `log letter 2026-11-24 "${name}" Bus stop`);
    return cardText(card).match(/PFCC-2026-\d{4}/)![0];
  }
  async function openPicker(reference: string) {
    const open = actionsOf((await teams.message("manager", `show ${reference}`)).card).find((action) => action.title === "Assign to…");
    expect(open).toBeDefined();
    const form = await teams.press("manager", open.verb, open.data);
    return { form: form.card, save: form.card.actions[0] };
  }

  it("is offered to a manager, not to a caseworker, who keeps Assign to me", async () => {
    const reference = await logged("Olive Offered");
    expect(actionsOf((await teams.message("manager", `show ${reference}`)).card).map((a) => a.title)).toContain("Assign to…");
    const caseworker = actionsOf((await teams.message("caseworker", `show ${reference}`)).card).map((a) => a.title);
    expect(caseworker).toContain("Assign to me");
    expect(caseworker).not.toContain("Assign to…");
  });

  it("lists exactly the active caseworkers and managers; choosing one assigns it, the card shows it and they are told", async () => {
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.otherCaseworker, "personal", "add"));
    const reference = await logged("Pam Picker");
    const { form, save } = await openPicker(reference);
    const picker = form.body.find((element: any) => element.id === "assignee");
    expect(picker).toMatchObject({ type: "Input.ChoiceSet", isRequired: true });
    expect(picker.choices.map((choice: any) => choice.title)).toEqual(ASSIGNABLE);
    const cora = picker.choices.find((choice: any) => choice.title === "Cora Caseworker").value;

    const before = teams.connector.activities.length;
    const saved = await teams.press("manager", save.verb, { ...save.data, assignee: cora });
    expect(cardText(saved.card)).toContain(`${reference} is now with Cora Caseworker.`);
    expect(cardText(saved.card)).toContain("Assignee: Cora Caseworker");
    const personal = `a:1personal-${teams.users.otherCaseworker.aadObjectId}`;
    const deadline = Date.now() + 5_000;
    let told: any;
    while (!told && Date.now() < deadline) {
      told = teams.connector.activities.slice(before).find((a) => a.conversationId === personal && JSON.stringify(cardsOf(a.body)).includes(reference));
      if (!told) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(cardText(cardsOf(told.body)[0])).toContain(`Maya Manager assigned ${reference} to you.`);
  });

  it("a forged choice naming a viewer or someone who has left is refused beside the picker, and nothing is written", async () => {
    const reference = await logged("Fred Forged");
    const { save } = await openPicker(reference);
    const before = await teams.postbag.db.prisma.timelineEntry.count();
    for (const [id, refusal] of [
      [teams.office.viewer.id, "Victor Viewer is not a caseworker or manager, so cannot own cases."],
      [dan.id, "Dan Departed is deactivated, so cannot be given cases."],
    ] as const) {
      const refused = await teams.press("manager", save.verb, { ...save.data, assignee: String(id) });
      const at = refused.card.body.findIndex((element: any) => element.id === "assignee");
      expect(refused.card.body[at + 1 + (refused.card.body[at + 1]?.isSubtle ? 1 : 0)]).toMatchObject({ color: "Attention", text: refusal });
    }
    expect(await teams.postbag.db.prisma.timelineEntry.count()).toBe(before);
    expect((await teams.postbag.core.cases.showCase(teams.office.manager, reference)).assignee).toBeNull();
  });
});
