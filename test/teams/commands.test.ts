import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { messageActivity } from "../support/teams-activities.ts";
import { TeamsHarness, type Person } from "../support/teams-harness.ts";

describeEachDatabase("Teams: commands in a chat with the bot", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  const timeline = async (reference: string) => (await teams.postbag.core.cases.showCase(teams.office.admin, reference)).timeline!;
  async function logCase(who: Person = "admin", extra = ""): Promise<string> {
    const { card } = await teams.message(who, `log letter 2026-11-24 "Jane Doe" Speeding on Main Street --new-person ${extra}`);
    return cardText(card).match(/PFCC-2026-\d{4}/)![0];
  }

  it("answers help, and unknown commands, with the command list", async () => {
    const help = await teams.message("caseworker", "help");
    expect(help.response.status).toBe(200);
    expect(cardText(help.card)).toContain("ack <ref>");
    // Each command once, a line each.
    const words = help.card.body.filter((element: any) => element.fontType === "Monospace").map((element: any) => element.text.split(/\s/)[0]);
    expect(words.length).toBeGreaterThan(30);
    expect(words.filter((word: string, index: number) => words.indexOf(word) !== index)).toEqual([]);
    const unknown = await teams.message("stranger", "frobnicate PFCC-2026-0001");
    expect(cardText(unknown.card)).toContain("I don't know “frobnicate”");
  });

  it("logs a case from the one-line form and replies with its card, in the chat the message came from", async () => {
    const { card, sent, activity } = await teams.message("admin", 'log email 2026-11-24 "John Smith" Noise at night --kind complaint --theme "anti-social behaviour"');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(activity.conversation.id);
    expect(sent[0]!.activityId).toBe(activity.id);
    const text = cardText(card);
    expect(text).toMatch(/Logged PFCC-2026-\d{4}\. Acknowledge by Thu 26 Nov 2026; respond by Tue 8 Dec 2026\./);
    expect(text).toContain("Constituent: John Smith");
    expect(card.actions.map((a: any) => a.verb)).toContain("case.acknowledge");
  });

  it("answers `log` on its own with the log form", async () => {
    const { card } = await teams.message("admin", "log");
    const ids = JSON.stringify(card);
    for (const id of ["channel", "receivedOn", "constituent.name", "subject", "summary", "kind", "themes", "sensitive", "assignee"]) expect(ids).toContain(`"id":"${id}"`);
    expect(card.body.find((e: any) => e.id === "receivedOn")).toMatchObject({ type: "Input.Date", value: "2026-11-25" });
    // The first drop-down starts on a real choice, in words people use, not an empty box of command words.
    const channel = card.body.find((e: any) => e.id === "channel");
    expect(channel).toMatchObject({ type: "Input.ChoiceSet", label: "How it arrived", value: "letter" });
    expect(channel.choices.map((c: any) => c.title)).toEqual(["Letter", "Hand-delivered letter", "Email", "Social media message", "Phone call", "In person", "Web form"]);
    expect(card.body.find((e: any) => e.id === "kind")).toMatchObject({ value: "casework", choices: expect.arrayContaining([{ title: "Casework", value: "casework" }]) });
    expect(card.actions[0]).toMatchObject({ type: "Action.Execute", verb: "case.log" });
  });

  it("works a case through every command, each step on the timeline as from Teams", async () => {
    const ref = await logCase();
    expect(cardText((await teams.message("caseworker", `show ${ref}`)).card)).toContain(`${ref} · New`);
    expect(cardText((await teams.message("admin", `ack ${ref} email`)).card)).toContain(`Acknowledged ${ref}.`);
    expect(cardText((await teams.message("caseworker", `assign ${ref} me`)).card)).toContain(`${ref} is now with Carl Caseworker.`);
    for (const [command, label] of [
      ["note", "Note"],
      ["call --in", "Phone call received"],
      ["email", "Email sent"],
      ["letter", "Letter sent"],
      ["meeting", "Meeting"],
      ["holding", "Holding reply"],
    ]) {
      const [word = "", flag = ""] = command!.split(" ");
      const { card } = await teams.message("caseworker", `${word} ${ref} spoke about the speed camera ${flag}`);
      expect(cardText(card)).toContain(`Recorded on ${ref}.`);
      expect(cardText(card)).toContain(`**${label}**`);
    }
    expect(cardText((await teams.message("caseworker", `refer ${ref} "Police – Roads Policing" 5`)).card)).toMatch(/referred to Police – Roads Policing; reply expected by Wed 2 Dec 2026/);
    expect(cardText((await teams.message("caseworker", `chase ${ref}`)).card)).toContain(`Chase recorded on ${ref}.`);
    expect(cardText((await teams.message("caseworker", `partner-reply ${ref} Extra patrols agreed`)).card)).toContain(`Partner reply recorded on ${ref}.`);
    expect(cardText((await teams.message("caseworker", `respond ${ref} Wrote to explain the patrols`)).card)).toContain(`Full response recorded on ${ref}.`);
    expect(cardText((await teams.message("caseworker", `close ${ref} responded`)).card)).toContain(`Closed ${ref} (responded).`);
    expect(cardText((await teams.message("caseworker", `reopen ${ref} Constituent says nothing changed`)).card)).toMatch(new RegExp(`Reopened ${ref}; respond by`));
    const entries = (await timeline(ref)).entries;
    expect(entries.every((entry) => entry.platform === "teams")).toBe(true);
    expect(entries.map((entry) => entry.type)).toEqual([
      "logged", "acknowledged", "assigned", "note", "call_in", "email_out", "letter_out", "meeting", "holding_reply",
      "partner_referral", "partner_chase", "partner_reply", "responded", "closed", "reopened",
    ]);
  });

  it("lists and searches cases", async () => {
    const ref = await logCase("admin", "--assign carl@pfcc.example");
    const mine = await teams.message("caseworker", "mine");
    expect(cardText(mine.card)).toContain("Your open cases");
    expect(cardText(mine.card)).toContain(ref);
    expect(mine.card.body.some((e: any) => e.selectAction?.verb === "case.show")).toBe(true);
    for (const list of ["overdue", "due-soon", "stale", "unassigned"]) expect((await teams.message("manager", list)).card).toBeDefined();
    expect(cardText((await teams.message("caseworker", "search Jane Doe")).card)).toContain(ref);
    expect(cardText((await teams.message("caseworker", "search Nobody Atall")).card)).toContain("No case matches");
  });

  it("registers staff with a Teams id and lists them, as an admin", async () => {
    const added = await teams.message("admin", 'staff add "Nia New" --role caseworker --email nia@pfcc.example --teams 6f1c2d3e-0000-4000-8000-000000000001');
    expect(added.text).toContain("Registered Nia New (caseworker).");
    expect((await teams.postbag.core.staff.resolveActor({ teamsUserId: "6f1c2d3e-0000-4000-8000-000000000001" })).name).toBe("Nia New");
    expect((await teams.message("admin", "staff list")).text).toContain("Nia New — caseworker");
  });

  it("tells an unregistered person how to get registered, and changes nothing", async () => {
    const { text, card } = await teams.message("stranger", 'log letter 2026-11-24 "Jane Doe" Something');
    expect(card).toBeUndefined();
    expect(text).toBe("You are not registered as Postbag staff. Ask a Postbag admin to register you (staff add).");
  });

  it("names the fix for unknown references, invalid input, role violations and wrong steps, writing nothing", async () => {
    expect((await teams.message("caseworker", "show PFCC-2026-0999")).text).toBe("No case PFCC-2026-0999. Find it with: search <name or subject>.");
    expect((await teams.message("caseworker", "ack nonsense")).text).toContain("That is not a case reference");
    expect((await teams.message("admin", 'log letter 2026-13-45 "Jane Doe" Speeding')).text).toContain("Date received must be a real date");
    expect((await teams.message("admin", "log letter")).text).toContain("Usage: log <channel>");
    const ref = await logCase();
    const before = (await timeline(ref)).total;
    expect((await teams.message("viewer", `ack ${ref}`)).text).toBe("Viewers can read cases but not change them. Ask a manager if you need more.");
    expect((await teams.message("caseworker", `close ${ref} sideways`)).text).toContain("Outcome must be one of");
    expect((await teams.message("admin", 'staff add "Someone" --role wizard')).text).toContain("Roles are");
    expect((await teams.message("caseworker", 'staff add "Someone Else" --role viewer')).text).toBe("Only admins can register staff.");
    expect((await timeline(ref)).total).toBe(before);
    const staff = await teams.postbag.core.staff.list();
    expect(staff.some((s) => s.name.startsWith("Someone"))).toBe(false);
  });

  it("never writes twice when Teams delivers the same message again", async () => {
    const log = messageActivity(teams.serviceUrl, teams.users.admin, 'log phone 2026-11-25 "Rita Repeat" Bins not collected');
    const first = await teams.send(log);
    const again = await teams.send(log);
    expect([first.status, again.status]).toEqual([200, 200]);
    const found = await teams.postbag.core.cases.searchCases(teams.office.admin, "Rita Repeat");
    expect(found).toHaveLength(1);
    const note = messageActivity(teams.serviceUrl, teams.users.admin, `note ${found[0]!.reference} Called back`);
    await Promise.all([teams.send(note), teams.send(note)]);
    expect((await timeline(found[0]!.reference)).entries.filter((e) => e.type === "note")).toHaveLength(1);
  });

  it("in a channel, strips its own @mention and assigns to the colleague @mentioned", async () => {
    const ref = await logCase();
    const viaRoster = await teams.message("manager", `assign ${ref} @Cora Caseworker`, { where: "channel", mentions: ["otherCaseworker"] });
    expect(viaRoster.activity.text).toBe(`<at>Postbag</at> assign ${ref} <at>Cora Caseworker</at>`);
    expect(cardText(viaRoster.card)).toContain(`${ref} is now with Cora Caseworker.`);
    const viaEntity = await teams.message("manager", `assign ${ref} @Carl Caseworker`, { where: "groupChat", mentions: ["caseworker"], mentionAadIds: true });
    expect(cardText(viaEntity.card)).toContain(`${ref} is now with Carl Caseworker.`);
    const notStaff = await teams.message("manager", `assign ${ref} @Sam Stranger`, { where: "channel", mentions: ["stranger"] });
    expect(notStaff.text).toMatch(/could not look up Sam Stranger|No staff member/);
    const mentionedInNote = await teams.message("manager", `note ${ref} Discussed with @Carl Caseworker`, { where: "channel", mentions: ["caseworker"] });
    expect(cardText(mentionedInNote.card)).toContain("Discussed with Carl Caseworker");
  });

  it("never shows a sensitive case's summary or contact details in a channel or group chat", async () => {
    const { card } = await teams.message(
      "manager",
      'log letter 2026-11-24 "Sally Private" Mental health crisis --sensitive --summary "Detained under s136 twice" --email sally@example.com --assign me',
    );
    const ref = cardText(card).match(/PFCC-2026-\d{4}/)![0];
    expect(cardText(card)).toContain("Sally Private");
    for (const where of ["channel", "groupChat"] as const) {
      const shown = cardText((await teams.message("manager", `show ${ref}`, { where })).card);
      expect(shown).toContain(`${ref} · New · Sensitive`);
      for (const secret of ["Sally Private", "sally@example.com", "s136", "Mental health crisis"]) expect(shown).not.toContain(secret);
      const listed = cardText((await teams.message("manager", "mine", { where })).card);
      expect(listed).not.toContain("Sally Private");
    }
    const logged = await teams.message("manager", 'log letter 2026-11-24 "Sam Secret" Self-harm --sensitive --summary "Private detail"', { where: "channel" });
    for (const secret of ["Sam Secret", "Self-harm", "Private detail"]) expect(cardText(logged.card)).not.toContain(secret);
  });
});
