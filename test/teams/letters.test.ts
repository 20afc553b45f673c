import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { MAX_CARD_BYTES } from "../../src/bots/teams/cards/adaptive-card.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { liveInTeams, teamsMarkdownStrings, teamsReads } from "../support/hostile-text.ts";
import { FakeOneDrive } from "../support/fake-onedrive.ts";
import { Relay } from "../support/smtp-relay.ts";
import { installationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, fileOffersOf, TeamsHarness, type Person } from "../support/teams-harness.ts";

/**
 * Issue 17 from Teams: letters and emails drafted, signed off and sent from the case card's
 * Universal Actions and forms — through the real botbuilder adapter, a fake Bot Connector,
 * and a real SMTP relay on loopback that shows exactly what went out.
 */
describeEachDatabase("Teams: letters and emails from the case card", (database) => {
  const relay = new Relay();
  const oneDrive = new FakeOneDrive();
  let teams: TeamsHarness;
  beforeAll(async () => {
    await relay.start();
    await oneDrive.start();
    teams = await TeamsHarness.start(database, { settings: { ...TEST_SETTINGS, signOff: [{ template: "response", kind: "complaint" }] }, mailSender: relay.sender(), fileOrigins: [oneDrive.origin] });
  });
  afterAll(async () => {
    await teams?.stop();
    await relay.stop();
    await oneDrive.stop();
  });
  beforeEach(() => {
    relay.received.length = 0;
    relay.refuseWith = null;
  });
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  /** Every Action.Execute on a card (its row, its "More…", and the ActionSets in its body). */
  function actionsOf(card: unknown): any[] {
    const found: any[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const record = node as Record<string, unknown>;
        if (record.type === "Action.Execute") found.push(record);
        Object.values(record).forEach(walk);
      }
    };
    walk(card);
    return found;
  }
  const action = (card: unknown, title: string) => actionsOf(card).find((a) => a.title === title);
  const letterActions = (card: unknown) => actionsOf(card).filter((a) => /^case\.(draft|redraft|approve|send_back|send|posted)$/.test(a.verb) || /^(draft|redraft|approve|send_back|send|posted)$/.test(a.data?.form ?? "")).map((a) => a.title);
  const input = (card: any, id: string) => card.body.find((element: any) => element.id === id);
  const items = async (reference: string) => (await teams.postbag.core.outgoing.list(teams.office.manager, reference)).items;
  const logged = async (who: Person, text: string) => {
    const { card } = await teams.message(who, text);
    return { reference: cardText(card).match(/PFCC-2026-\d{4}/)![0], card };
  };
  /** Submits a form card as Teams does: its submit button's data with the inputs' values. */
  const submit = (who: Person, form: any, values: Record<string, string>) => {
    const save = form.actions[0];
    return teams.press(who, save.verb, { ...save.data, ...values });
  };

  it("an administrator sends a templated acknowledgement in two clicks — Send acknowledgement… on the card (its form shows exactly what goes, every word editable), then the form's Send — and the case is acknowledged with the exact email kept", async () => {
    const { reference, card } = await logged("admin", 'log email 2026-11-24 "Tessa Two" Broken bench --email tessa@example.com --new-person');
    let clicks = 0;
    const press = (verb: string, data: Record<string, unknown>) => {
      clicks += 1;
      return teams.press("admin", verb, data);
    };
    // Saving a draft without sending stays on the card beside it.
    expect(action(card, "Draft acknowledgement")).toBeDefined();
    const sendNow = action(card, "Send acknowledgement…");
    expect(sendNow).toMatchObject({ verb: "case.form", data: { reference, form: "send_new", template: "acknowledgement" } });

    // Click 1: the form, in place of the card, with what goes.
    const form = (await press(sendNow.verb, sendNow.data)).card;
    const shown = cardText(form);
    expect(shown).toContain("Send acknowledgement");
    expect(shown).toContain("Tessa Two <tessa@example.com> (by email)");
    expect(shown).toContain(`[${reference}] We have received your correspondence: Broken bench`);
    expect(input(form, "subject").value).toBe("We have received your correspondence: Broken bench");
    expect(input(form, "text").value).toContain("Dear Tessa Two,");
    expect(form.actions[0]).toMatchObject({ title: "Send", verb: "case.send_new", data: { reference, template: "acknowledgement", asked: "subject,text" } });
    expect(relay.received).toHaveLength(0);

    // Click 2: Send, with the administrator's own line.
    const words = `${input(form, "text").value}\n\nP.S. Sent from Teams.`;
    const save = form.actions[0];
    const sent = (await press(save.verb, { ...save.data, subject: input(form, "subject").value, text: words })).card;
    expect(clicks).toBe(2);
    expect(cardText(sent)).toContain(`Sent item 1 of ${reference} by email to Tessa Two <tessa@example.com>. ${reference} is acknowledged.`);
    expect(action(sent, "Send acknowledgement…")).toBeUndefined();
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.envelope).toEqual(["tessa@example.com"]);
    expect(relay.received[0]!.mail.subject).toBe(`[${reference}] We have received your correspondence: Broken bench`);
    expect(relay.received[0]!.mail.text?.trim()).toBe(words);
    const view = await teams.postbag.core.cases.showCase(teams.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["acknowledged", "met"]);
    expect(view.timeline!.entries.map((entry) => [entry.type, entry.platform])).toEqual([["logged", "teams"], ["outgoing_drafted", "teams"], ["acknowledged", "teams"]]);
    const kept = await teams.postbag.db.prisma.timelineEntry.findFirst({ where: { type: "acknowledged", case: { reference } } });
    expect(kept!.text).toContain(words);
    expect(`<${(kept!.detail as { messageId: string }).messageId}>`).toBe(relay.received[0]!.mail.messageId);
  });

  it("a two-click send the relay refuses keeps the words as a draft, leaves the case due, and says why on the card, whose Send then tries again", async () => {
    const { reference, card } = await logged("admin", 'log email 2026-11-24 "Fay Failed" Graffiti --email fay@example.com --new-person');
    const form = (await teams.press("admin", "case.form", action(card, "Send acknowledgement…").data)).card;
    relay.refuseWith = "5.7.1 Relaying denied for this sender";
    const refused = (await submit("admin", form, { subject: input(form, "subject").value, text: input(form, "text").value })).card;
    expect(cardText(refused)).toContain(`Item 1 of ${reference} was not sent: The mail server refused the message: 550 5.7.1 Relaying denied for this sender`);
    expect(cardText(refused)).toContain(`The words are kept as item 1 of ${reference}, and ${reference} is new.`);
    expect(cardText(refused)).toContain("not sent (the send failed)");
    expect(refused.body[0]).toMatchObject({ type: "TextBlock", color: "Attention" });
    expect((await teams.postbag.core.cases.showCase(teams.office.admin, reference)).acknowledgement.state).toBe("pending");
    relay.refuseWith = null;
    const again = (await teams.press("admin", "case.send", action(refused, "Send").data)).card;
    expect(cardText(again)).toContain(`${reference} is acknowledged.`);
    expect(relay.received.map((r) => r.envelope)).toEqual([["fay@example.com"]]);
  });

  it("a sensitive case's two-click send asks its assignee for the address again, beside the input, and writes nothing until it is the one recorded", async () => {
    const { reference, card } = await logged("caseworker", 'log email 2026-11-24 "Sid Secret" Private matter --email sid@example.com --sensitive --assign me --new-person');
    const form = (await teams.press("caseworker", "case.form", action(card, "Send acknowledgement…").data)).card;
    expect(cardText(form)).toContain("Sid Secret (by email: the case is sensitive, so type their address below)");
    expect(cardText(form)).not.toContain("sid@example.com");
    expect(input(form, "confirmAddress")).toMatchObject({ type: "Input.Text", isRequired: true });
    const values = { subject: input(form, "subject").value, text: input(form, "text").value };
    const wrong = (await submit("caseworker", form, { ...values, confirmAddress: "sidney@example.com" })).card;
    expect(cardText(wrong)).toContain("That is not the email address recorded for Sid Secret");
    expect(await items(reference)).toEqual([]);
    const sent = (await submit("caseworker", wrong, { ...values, confirmAddress: "sid@example.com" })).card;
    expect(cardText(sent)).toContain(`${reference} is acknowledged.`);
    expect(relay.received.map((r) => r.envelope)).toEqual([["sid@example.com"]]);
  });

  it("an administrator can still draft first — Draft acknowledgement (its form, saved, shows what goes out), then Send on the card — and the case is acknowledged with the exact email the relay received", async () => {
    const { reference, card } = await logged("admin", 'log email 2026-11-24 "Jane Doe" Streetlights out --email jane.doe@example.com --new-person');
    const draft = action(card, "Draft acknowledgement");
    expect(draft).toMatchObject({ verb: "case.form", data: { reference, form: "draft", template: "acknowledgement" } });

    const form = (await teams.press("admin", draft.verb, draft.data)).card;
    const shown = cardText(form);
    expect(shown).toContain("Draft acknowledgement");
    expect(shown).toContain("Jane Doe <jane.doe@example.com> (by email)");
    expect(shown).toContain(`[${reference}] We have received your correspondence: Streetlights out`);
    expect(input(form, "subject").value).toBe("We have received your correspondence: Streetlights out");
    const words = input(form, "text").value as string;
    expect(words).toContain("Dear Jane Doe,");
    expect(form.actions[0]).toMatchObject({ title: "Save draft", verb: "case.draft", data: { reference, template: "acknowledgement", asked: "subject,text" } });

    const edited = `${words}\n\nP.S. Written in Teams.`;
    const drafted = (await submit("admin", form, { subject: input(form, "subject").value, text: edited })).card;
    expect(cardText(drafted)).toContain(`Drafted item 1 on ${reference}: Acknowledgement email to Jane Doe.`);
    expect(cardText(drafted)).toContain("P.S. Written in Teams.");
    const send = action(drafted, "Send");
    expect(send).toMatchObject({ verb: "case.send", data: { reference, item: 1 } });
    expect(relay.received).toHaveLength(0);

    const sent = (await teams.press("admin", send.verb, send.data)).card;
    expect(cardText(sent)).toContain(`Sent item 1 of ${reference} by email to Jane Doe <jane.doe@example.com>. ${reference} is acknowledged.`);
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.envelope).toEqual(["jane.doe@example.com"]);
    expect(relay.received[0]!.mail.subject).toBe(`[${reference}] We have received your correspondence: Streetlights out`);
    expect(relay.received[0]!.mail.text?.trim()).toBe(edited);
    const view = await teams.postbag.core.cases.showCase(teams.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["acknowledged", "met"]);
    expect(view.timeline!.entries.at(-1)).toMatchObject({ type: "acknowledged", platform: "teams" });
  });

  it("a complaint's response needing sign-off cannot be sent before a manager approves it from the card in their personal chat; Send back asks for a comment", async () => {
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.manager, "personal", "add"));
    const { reference, card } = await logged("caseworker", 'log email 2026-11-24 "Sam Smith" Rude officer --email sam@example.com --kind complaint --assign me --new-person');
    const form = (await teams.press("caseworker", "case.form", action(card, "Draft response").data)).card;
    expect(cardText(form)).toContain("A manager approves it before it can go: saving asks them.");
    const before = teams.connector.activities.length;
    const drafted = (await submit("caseworker", form, { subject: input(form, "subject").value, text: input(form, "text").value })).card;
    expect(cardText(drafted)).toContain("awaiting a manager's sign-off");
    expect(letterActions(drafted)).toEqual(["Change the words…", "Draft acknowledgement", "Draft referral", "Ask for more information"]);

    // A forged Send is refused, and nothing goes.
    const forged = await teams.press("caseworker", "case.send", { reference, version: 3, item: 1 });
    expect(cardText(forged.card)).toContain(`Item 1 of ${reference} needs a manager's sign-off before it goes.`);
    expect(relay.received).toHaveLength(0);

    // The manager's personal chat gets the case's card: the words, with Approve and Send back beside them.
    const personal = `a:1personal-${teams.users.manager.aadObjectId}`;
    const cardToManager = async (containing: string) => {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const found = teams.connector.activities.slice(before).find((a) => a.conversationId === personal && cardText(cardsOf(a.body)).includes(containing));
        if (found) return cardsOf(found.body)[0]!;
        if (Date.now() > deadline) throw new Error(`no card to the manager containing ${containing}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const asked = await cardToManager("needs your sign-off");
    expect(cardText(asked)).toContain(`Carl Caseworker wrote item 1 of ${reference} (Full response email to Sam Smith): it needs your sign-off.`);
    expect(cardText(asked)).toContain("Dear Sam Smith");
    expect(letterActions(asked)).toEqual(expect.arrayContaining(["Approve", "Send back…"]));

    // Send back: a comment box first.
    const back = (await teams.press("manager", "case.form", action(asked, "Send back…").data)).card;
    expect(input(back, "comment")).toMatchObject({ type: "Input.Text", isMultiline: true, isRequired: true });
    const empty = await submit("manager", back, { comment: "  " });
    expect(cardText(empty.card)).toContain("What needs changing is required.");
    const sentBack = (await submit("manager", back, { comment: "Say what the inspector found." })).card;
    expect(cardText(sentBack)).toContain(`Sent item 1 of ${reference} back to Carl Caseworker: Say what the inspector found.`);
    expect((await items(reference))[0]).toMatchObject({ status: "draft", sendBackComment: "Say what the inspector found." });

    // Carl changes the words; the manager approves with one click; then Carl can send it.
    const mine = (await teams.message("caseworker", `show ${reference}`)).card;
    const redraft = (await teams.press("caseworker", "case.form", action(mine, "Change the words…").data)).card;
    await submit("caseworker", redraft, { subject: input(redraft, "subject").value, text: `${input(redraft, "text").value}\n\nThe inspector agreed.` });
    const again = await cardToManager("The inspector agreed.");
    const approved = (await teams.press("manager", "case.approve", action(again, "Approve").data)).card;
    expect(cardText(approved)).toContain(`Approved item 1 of ${reference}.`);
    const ready = (await teams.message("caseworker", `show ${reference}`)).card;
    const sent = (await teams.press("caseworker", "case.send", action(ready, "Send").data)).card;
    expect(cardText(sent)).toContain(`${reference} is responded.`);
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.mail.text).toContain("The inspector agreed.");
  });

  it("words too long for the manager's card are read whole in a form before they are approved; past Teams' card size the form says where the rest is", async () => {
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.manager, "personal", "add"));
    const { reference } = await logged("caseworker", 'log email 2026-11-24 "Lena Long" Slow investigation --email lena@example.com --kind complaint --assign me --new-person');
    const lastLine = "Finally: the Chief Constable has apologised in writing.";
    const words = `Dear Lena Long,\n\n${"The review looked at every step of the investigation in turn. ".repeat(40)}\n\n${lastLine}`;
    const before = teams.connector.activities.length;
    await teams.postbag.core.cases.perform(teams.office.caseworker, "draft", { reference, template: "response", text: words }, { platform: "teams" });

    // The card in the manager's personal chat clips the words, so its control says they are to be read first.
    const personal = `a:1personal-${teams.users.manager.aadObjectId}`;
    const deadline = Date.now() + 5_000;
    let asked: any;
    while (!asked) {
      const found = teams.connector.activities.slice(before).find((a) => a.conversationId === personal && cardText(cardsOf(a.body)).includes(reference));
      if (found) asked = cardsOf(found.body)[0];
      else if (Date.now() > deadline) throw new Error("no card to the manager");
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(cardText(asked)).not.toContain(lastLine);
    expect(letterActions(asked)).toContain("Read and approve…");
    expect(letterActions(asked)).not.toContain("Approve");

    // It opens a form showing every word, to the last line; nothing is approved until its Approve.
    const form = (await teams.press("manager", "case.form", action(asked, "Read and approve…").data)).card;
    expect(cardText(form)).toContain(lastLine);
    expect(cardText(form).match(/The review looked at every step/g)).toHaveLength(40);
    expect(cardText(form)).not.toContain("Teams cannot show all of it");
    expect((await items(reference))[0]).toMatchObject({ status: "awaiting_approval", approvedBy: null });
    const approved = (await submit("manager", form, {})).card;
    expect(cardText(approved)).toContain(`Approved item 1 of ${reference}.`);
    expect((await items(reference))[0]).toMatchObject({ status: "approved", text: words });

    // Words whose bytes pass Teams' card size (20,000 accented letters) are shown as far as fits, and the form says how to read them whole.
    const { reference: second } = await logged("caseworker", 'log email 2026-11-24 "Zoë Zed" Long letter --email zoe@example.com --kind complaint --assign me --new-person');
    await teams.postbag.core.cases.perform(teams.office.caseworker, "draft", { reference: second, template: "response", text: `Dear Zoë,\n${"é".repeat(19_000)}` }, { platform: "teams" });
    const secondCard = (await teams.message("manager", `show ${second}`)).card;
    const long = (await teams.press("manager", "case.form", action(secondCard, "Read and approve…").data)).card;
    expect(Buffer.byteLength(JSON.stringify(long))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(cardText(long)).toContain("Dear Zoë,");
    expect(cardText(long)).toContain(`Teams cannot show all of it on one card: send me **outgoing ${second} 1** to read it whole.`);
  });

  it("a send the relay refuses leaves the case due and tells the person why", async () => {
    const { reference } = await logged("admin", 'log email 2026-11-24 "Ray Refused" Potholes --email ray@example.com --new-person');
    await teams.postbag.core.cases.perform(teams.office.admin, "draft", { reference, template: "acknowledgement" }, { platform: "teams" });
    const card = (await teams.message("admin", `show ${reference}`)).card;
    relay.refuseWith = "5.7.1 Relaying denied for this sender";
    const refused = (await teams.press("admin", "case.send", action(card, "Send").data)).card;
    expect(cardText(refused)).toContain("Nothing was changed");
    expect(cardText(refused)).toContain(`Item 1 of ${reference} was not sent:`);
    expect(cardText(refused)).toContain("Relaying denied");
    const view = await teams.postbag.core.cases.showCase(teams.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["new", "pending"]);
    expect(cardText((await teams.message("admin", `show ${reference}`)).card)).toContain("not sent (the send failed)");
  });

  it("a letter's Send makes its PDF, kept on the case, and offers it on a FileConsentCard in the personal chat: accepted, that very PDF arrives in the person's OneDrive; Posted is one click", async () => {
    const { reference, card } = await logged("admin", 'log letter 2026-11-24 "Lou Letter" Bus stop --address "2 Mill Lane, Abingdon OX14 5AA" --new-person');
    const form = (await teams.press("admin", "case.form", action(card, "Draft acknowledgement").data)).card;
    expect(input(form, "subject")).toBeUndefined();
    const drafted = (await submit("admin", form, { text: input(form, "text").value })).card;
    const pressed = await teams.press("admin", "case.send", action(drafted, "Make the PDF").data);
    const made = pressed.card;
    expect(cardText(made)).toContain(`Made item 1 of ${reference}, a letter to Lou Letter, as a PDF (file 1 on the case).`);
    expect(cardText(made)).toContain("Teams asks you first: accept the card in this chat and Postbag puts the PDF in your OneDrive.");
    const offers = pressed.sent.flatMap((activity) => fileOffersOf(activity.body));
    expect(offers).toHaveLength(1);
    const kept = await teams.postbag.core.cases.openFile(teams.office.admin, reference, "1", "cli");
    expect(offers[0]!.name).toBe(kept.file.filename);
    expect(offers[0]!.content.sizeInBytes).toBe(kept.bytes.byteLength);
    const session = oneDrive.openSession(offers[0]!.name);
    const accepted = await teams.answerFileOffer("admin", { action: "accept", context: offers[0]!.content.acceptContext, uploadInfo: session });
    expect(oneDrive.file(session.uploadUrl)).toEqual(Buffer.from(kept.bytes));
    expect(oneDrive.file(session.uploadUrl)!.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(accepted.text).toBe(`Sent ${kept.file.filename} (${kept.file.sizeText}) to your OneDrive.`);
    expect(accepted.sent[0]!.body.attachments[0]).toMatchObject({ contentType: "application/vnd.microsoft.teams.card.file.info", contentUrl: session.contentUrl });
    const posted = (await teams.press("admin", "case.posted", action(made, "Posted").data)).card;
    expect(cardText(posted)).toContain(`Recorded letter 1 of ${reference} as posted. ${reference} is acknowledged.`);
  });

  it("a viewer sees no letter actions, and is refused when they forge one", async () => {
    const { reference } = await logged("admin", 'log email 2026-11-24 "Vera View" Noise --email vera@example.com --new-person');
    await teams.postbag.core.cases.perform(teams.office.admin, "draft", { reference, template: "acknowledgement" }, { platform: "teams" });
    const seen = (await teams.message("viewer", `show ${reference}`)).card;
    expect(cardText(seen)).toContain("Acknowledgement email to Vera View");
    expect(letterActions(seen)).toEqual([]);
    const version = (await teams.postbag.core.cases.showCase(teams.office.admin, reference)).version;
    const forgedSend = await teams.press("viewer", "case.send", { reference, version, item: 1 });
    expect(cardText(forgedSend.card)).toContain("Viewers can read cases but not change them.");
    const forgedDraft = await teams.press("viewer", "case.draft", { reference, version, template: "more-information", asked: "text", text: "Forged" });
    expect(cardText(forgedDraft.card)).toContain("Viewers can read cases but not change them.");
    const forgedForm = await teams.press("viewer", "case.form", { reference, version, form: "draft", template: "acknowledgement" });
    expect(cardText(forgedForm.card)).toContain("Viewers can read cases but not change them.");
    const stale = await teams.press("admin", "case.send", { reference, version });
    expect(cardText(stale.card)).toContain("This card is out of date or could not be read.");
    expect(relay.received).toHaveLength(0);
    expect((await items(reference)).map((item) => item.status)).toEqual(["draft"]);
  });

  it("words from outside — the constituent's name, the case's subject, what a person typed — are inert on the letter's form and card, and go out exactly as typed", async () => {
    const name = "<at>Someone</at> *bold* [link](https://evil.example)";
    const { reference } = await teams.postbag.core.cases.logCase(
      teams.office.admin,
      { channel: "email", receivedOn: "2026-11-24", constituent: { name, email: "hostile@example.com" }, constituentChoice: "new", subject: "# heading {{DATE(2026-11-24T10:00:00Z, SHORT)}}" },
      { platform: "teams" },
    );
    const card = (await teams.message("admin", `show ${reference}`)).card;
    const form = (await teams.press("admin", "case.form", action(card, "Draft acknowledgement").data)).card;
    expect(teamsMarkdownStrings(form).flatMap(liveInTeams)).toEqual([]);
    expect(teamsMarkdownStrings(form).map(teamsReads).join("\n")).toContain(`${name} <hostile@example.com> (by email)`);
    expect(input(form, "text").value).toContain(`Dear ${name},`);
    const typed = `${input(form, "text").value}\n\n- *Also* <at>Everyone</at>`;
    const drafted = (await submit("admin", form, { subject: input(form, "subject").value, text: typed })).card;
    expect(teamsMarkdownStrings(drafted).flatMap(liveInTeams)).toEqual([]);
    expect(teamsMarkdownStrings(drafted).map(teamsReads).join("\n")).toContain("- *Also* <at>Everyone</at>");
    await teams.press("admin", "case.send", action(drafted, "Send").data);
    expect(relay.received[0]!.mail.text?.trim()).toBe(typed);
  });
});
