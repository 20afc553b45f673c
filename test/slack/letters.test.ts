import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { modalBreaches, blockKitBreaches } from "../support/block-kit-limits.ts";
import { describeEachDatabase, TEST_SETTINGS } from "../support/databases.ts";
import { blockText, buttonsIn, SlackHarness } from "../support/slack-harness.ts";
import { liveInSlack, slackMrkdwnStrings, slackReads } from "../support/hostile-text.ts";
import { Relay } from "../support/smtp-relay.ts";

/**
 * Issue 17 from Slack: letters and emails drafted, signed off and sent from the case card's
 * buttons and forms — through the real Bolt receiver, a fake Slack Web API, and a real SMTP
 * relay on loopback that shows exactly what went out.
 */
describeEachDatabase("Slack: letters and emails from the case card", (database) => {
  const relay = new Relay();
  let h: SlackHarness;
  beforeAll(async () => {
    await relay.start();
    h = await SlackHarness.start(database, { settings: { ...TEST_SETTINGS, signOff: [{ template: "response", kind: "complaint" }] }, mailSender: relay.sender() });
  });
  afterAll(async () => {
    await h?.stop();
    await relay.stop();
  });
  beforeEach(() => {
    relay.received.length = 0;
    relay.refuseWith = null;
  });

  const referenceIn = (blocks: unknown) => blockText(blocks).match(/PFCC-2026-\d{4}/)![0];
  const button = (blocks: any[], actionId: string) => buttonsIn(blocks).find((b) => b.action_id === actionId);
  const letterButtons = (blocks: any[]) => buttonsIn(blocks).map((b) => b.action_id).filter((id) => /^postbag_(draft|redraft|approve|send_back|send|posted)\b/.test(id));
  const status = async (reference: string) => (await h.postbag.core.cases.showCase(h.office.manager, reference)).status;
  const items = async (reference: string) => (await h.postbag.core.outgoing.list(h.office.manager, reference)).items;

  /** Clicks a button on an ephemeral card (its response_url: `cardUrl`); returns the card that replaced it, or the private reply when the click was refused. */
  async function click(user: string, control: { action_id: string; value: string }, cardUrl: string) {
    const before = h.slack.responsesTo(cardUrl).length;
    const response = await h.click({ userId: user, actionId: control.action_id, value: control.value, responseUrl: cardUrl });
    expect(response.status).toBe(200);
    return h.slack.waitFor(() => h.slack.responsesTo(cardUrl)[before]);
  }

  /** Clicks a button that opens a form; returns the modal Slack was asked to open. */
  async function openForm(user: string, control: { action_id: string; value: string }, cardUrl: string, where: { channelId?: string; messageTs?: string; ephemeral?: boolean } = {}) {
    const triggerId = `trigger-${Math.random()}`;
    await h.click({ userId: user, actionId: control.action_id, value: control.value, responseUrl: cardUrl, triggerId, ...where });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === triggerId));
    expect(modalBreaches(opened.body.view)).toEqual([]);
    return opened.body.view;
  }

  const submit = (user: string, modal: any, values: Record<string, string>) =>
    h.submitView({
      userId: user,
      callbackId: modal.callback_id,
      viewId: `V${Math.random()}`,
      privateMetadata: modal.private_metadata,
      values: Object.fromEntries(Object.entries(values).map(([field, value]) => [`action_${field}`, { type: "plain_text_input", value }])),
    });

  /** A field's input as the modal shows it: its initial value. */
  const initial = (modal: any, field: string) => modal.blocks.find((block: any) => block.block_id === `action_${field}`)?.element.initial_value;

  it("an administrator sends a templated acknowledgement in two clicks — Send acknowledgement… on the card (its form shows exactly what goes: to whom, the subject as it goes, every word, editable), then the form's Send — and the case is acknowledged with the exact email kept", async () => {
    const logged = await h.ask('log email 2026-11-24 "Tessa Two" Broken bench --email tessa@example.com --new-person', "UALICE");
    const reference = referenceIn(logged.blocks);
    const cardUrl = h.slack.responseUrl();
    let clicks = 0;
    // Saving a draft without sending stays on the card beside it.
    expect(button(logged.blocks, "postbag_draft:acknowledgement")).toBeDefined();

    // Click 1: the card's Send acknowledgement… opens the form with the template merged with the case.
    clicks += 1;
    const modal = await openForm("UALICE", button(logged.blocks, "postbag_send_new:acknowledgement")!, cardUrl);
    expect([modal.title.text, modal.submit.text]).toEqual(["Send acknowledgement", "Send"]);
    const shown = blockText(modal.blocks);
    expect(shown).toContain("*To*\nTessa Two &lt;tessa@example.com&gt; (by email)");
    expect(shown).toContain(`*Subject, as it goes*\n[${reference}] We have received your correspondence: Broken bench`);
    expect(shown).toContain("It goes when you press Send, exactly as below");
    expect(initial(modal, "subject")).toBe("We have received your correspondence: Broken bench");
    expect(initial(modal, "text")).toContain("Dear Tessa Two,");
    expect(relay.received).toHaveLength(0);

    // Click 2: Send, with a line of the administrator's own. It goes, and the card says so in place.
    const words = `${initial(modal, "text")}\n\nP.S. The parks team has your photo.`;
    clicks += 1;
    expect((await submit("UALICE", modal, { subject: "Your bench", text: words })).status).toBe(200);
    const sent = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(clicks).toBe(2);
    expect(blockKitBreaches(sent.blocks, "message")).toEqual([]);
    expect(blockText(sent.blocks)).toContain(`Sent item 1 of ${reference} by email to Tessa Two &lt;tessa@example.com&gt;. ${reference} is acknowledged.`);
    expect(blockText(sent.blocks)).toContain(`${reference} · Acknowledged`);
    expect(button(sent.blocks, "postbag_send_new:acknowledgement")).toBeUndefined();
    expect(button(sent.blocks, "postbag_draft:acknowledgement")).toBeUndefined();

    // The relay has exactly those words; the case keeps them, with the Message-ID and hash of what went.
    expect(relay.received).toHaveLength(1);
    const [{ envelope, mail }] = relay.received as [(typeof relay.received)[number]];
    expect(envelope).toEqual(["tessa@example.com"]);
    expect(mail.subject).toBe(`[${reference}] Your bench`);
    expect(mail.text?.trim()).toBe(words);
    const view = await h.postbag.core.cases.showCase(h.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["acknowledged", "met"]);
    expect(view.timeline!.entries.map((entry) => [entry.type, entry.actor, entry.platform])).toEqual([["logged", "Alice Admin", "slack"], ["outgoing_drafted", "Alice Admin", "slack"], ["acknowledged", "Alice Admin", "slack"]]);
    const kept = await h.postbag.db.prisma.timelineEntry.findFirst({ where: { type: "acknowledged", case: { reference } } });
    expect(kept!.text).toBe(`Acknowledgement sent by email to Tessa Two (item 1)\nSubject: [${reference}] Your bench\n\n${words}`);
    expect(`<${(kept!.detail as { messageId: string }).messageId}>`).toBe(mail.messageId);
    expect((await items(reference))[0]).toMatchObject({ status: "sent", text: words, subject: `[${reference}] Your bench` });
  });

  it("a two-click send the relay refuses keeps the words as a draft, leaves the case due, and says why on the card, whose Send then tries again", async () => {
    const logged = await h.ask('log email 2026-11-24 "Fay Failed" Graffiti --email fay@example.com --new-person', "UALICE");
    const reference = referenceIn(logged.blocks);
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UALICE", button(logged.blocks, "postbag_send_new:acknowledgement")!, cardUrl);
    relay.refuseWith = "5.7.1 Relaying denied for this sender";
    expect((await submit("UALICE", modal, { subject: initial(modal, "subject"), text: initial(modal, "text") })).status).toBe(200);
    const refused = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    const said = blockText(refused.blocks);
    expect(said).toContain(`:warning: Item 1 of ${reference} was not sent: The mail server refused the message: 550 5.7.1 Relaying denied for this sender`);
    expect(said).toContain(`The words are kept as item 1 of ${reference}, and ${reference} is new.`);
    expect(said).toContain("not sent (the send failed)");
    const view = await h.postbag.core.cases.showCase(h.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["new", "pending"]);
    expect((await items(reference)).map((item) => item.status)).toEqual(["send_failed"]);

    relay.refuseWith = null;
    const again = await click("UALICE", button(refused.blocks, "postbag_send:1")!, cardUrl);
    expect(blockText(again.blocks)).toContain(`${reference} is acknowledged.`);
    expect(relay.received.map((r) => r.envelope)).toEqual([["fay@example.com"]]);
  });

  it("a sensitive case's two-click send asks its assignee for the address again, shows it by name only, and writes nothing until it is the one recorded", async () => {
    const logged = await h.ask('log email 2026-11-24 "Sid Secret" Private matter --email sid@example.com --sensitive --assign me --new-person', "UCARL");
    const reference = referenceIn(logged.blocks);
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UCARL", button(logged.blocks, "postbag_send_new:acknowledgement")!, cardUrl);
    expect(blockText(modal.blocks)).toContain("*To*\nSid Secret (by email: the case is sensitive, so type their address below)");
    expect(blockText(modal.blocks)).not.toContain("sid@example.com");
    const values = { subject: initial(modal, "subject"), text: initial(modal, "text") };
    const wrong = await submit("UCARL", modal, { ...values, confirmAddress: "sidney@example.com" });
    expect(await wrong.json()).toEqual({ response_action: "errors", errors: { action_confirmAddress: expect.stringContaining("That is not the email address recorded") } });
    expect(await items(reference)).toEqual([]);
    expect((await submit("UCARL", modal, { ...values, confirmAddress: "SID@example.com" })).status).toBe(200);
    await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(relay.received.map((r) => r.envelope)).toEqual([["sid@example.com"]]);
    expect(await status(reference)).toBe("acknowledged");
  });

  it("an administrator can still draft first — Draft acknowledgement (its form, saved, shows what goes out), then Send on the card — and the case is acknowledged with the exact email the relay received", async () => {
    const logged = await h.ask('log email 2026-11-24 "Jane Doe" Streetlights out --email jane.doe@example.com --new-person', "UALICE");
    const reference = referenceIn(logged.blocks);
    expect(blockKitBreaches(logged.blocks, "message")).toEqual([]);
    const cardUrl = h.slack.responseUrl();

    // Click 1 on the card: the form opens with the template merged with the case, every word editable.
    const modal = await openForm("UALICE", button(logged.blocks, "postbag_draft:acknowledgement")!, cardUrl);
    expect(modal.title.text).toBe("Draft acknowledgement");
    expect(modal.submit.text).toBe("Save draft");
    const shown = blockText(modal.blocks);
    expect(shown).toContain("*To*\nJane Doe &lt;jane.doe@example.com&gt; (by email)");
    expect(shown).toContain(`*Subject, as it goes*\n[${reference}] We have received your correspondence: Streetlights out`);
    expect(initial(modal, "subject")).toBe("We have received your correspondence: Streetlights out");
    const words = initial(modal, "text") as string;
    expect(words).toContain("Dear Jane Doe,");
    expect(words).toContain("which we received on 24 November 2026");

    // Saved with a line of the administrator's own: the card shows the words exactly as they will go, Send beside them.
    const edited = `${words}\n\nP.S. The streetlight team has your letter too.`;
    expect((await submit("UALICE", modal, { subject: initial(modal, "subject"), text: edited })).status).toBe(200);
    const drafted = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(blockKitBreaches(drafted.blocks, "message")).toEqual([]);
    expect(blockText(drafted.blocks)).toContain(`Drafted item 1 on ${reference}: Acknowledgement email to Jane Doe.`);
    expect(blockText(drafted.blocks)).toContain("P.S. The streetlight team has your letter too.");
    expect(relay.received).toHaveLength(0);
    expect((await items(reference))[0]).toMatchObject({ status: "draft", text: edited, subject: `[${reference}] We have received your correspondence: Streetlights out` });

    // Click 2 on the card: Send. The relay has exactly those words, and the case is acknowledged.
    const sent = await click("UALICE", button(drafted.blocks, "postbag_send:1")!, cardUrl);
    expect(blockText(sent.blocks)).toContain(`Sent item 1 of ${reference} by email to Jane Doe <jane.doe@example.com>. ${reference} is acknowledged.`.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(blockText(sent.blocks)).toContain(`${reference} · Acknowledged`);
    expect(relay.received).toHaveLength(1);
    const [{ envelope, mail }] = relay.received as [(typeof relay.received)[number]];
    expect(envelope).toEqual(["jane.doe@example.com"]);
    expect(mail.subject).toBe(`[${reference}] We have received your correspondence: Streetlights out`);
    expect(mail.text?.trim()).toBe(edited);
    const view = await h.postbag.core.cases.showCase(h.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["acknowledged", "met"]);
    expect(view.timeline!.entries.map((entry) => [entry.type, entry.platform])).toEqual([["logged", "slack"], ["outgoing_drafted", "slack"], ["acknowledged", "slack"]]);
    // Acknowledged: the card no longer offers an acknowledgement to draft.
    expect(button(sent.blocks, "postbag_draft:acknowledgement")).toBeUndefined();
  });

  it("a complaint's response needing sign-off cannot be sent before a manager approves it from the card sent to them; Send back asks for a comment, which reaches the writer", async () => {
    const logged = await h.ask('log email 2026-11-24 "Sam Smith" Rude officer --email sam@example.com --kind complaint --assign me --new-person', "UCARL");
    const reference = referenceIn(logged.blocks);
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UCARL", button(logged.blocks, "postbag_draft:response")!, cardUrl);
    expect(blockText(modal.blocks)).toContain("*Sign-off*\nA manager approves it before it can go: saving asks them.");
    await submit("UCARL", modal, { subject: initial(modal, "subject"), text: initial(modal, "text") });
    const drafted = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(blockText(drafted.blocks)).toContain("It needs a manager's sign-off.");
    expect(blockText(drafted.blocks)).toContain("awaiting a manager's sign-off");
    // Nothing to send yet: the writer may only change the words.
    expect(letterButtons(drafted.blocks)).toEqual(["postbag_redraft:1", "postbag_draft:acknowledgement", "postbag_draft:referral", "postbag_draft:more-information"]);

    // A forged Send is refused by the core, and nothing goes.
    const forged = await click("UCARL", { action_id: "postbag_send:1", value: JSON.stringify({ r: reference, v: 3, p: 1 }) }, cardUrl);
    expect(forged.text).toContain(`Item 1 of ${reference} needs a manager's sign-off before it goes.`);
    expect(relay.received).toHaveLength(0);

    // The manager is sent the case's card, the words on it, with Approve and Send back beside them.
    const dmsToMaya = () => h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === "UMAYA" && blockText(c.body.blocks).includes(reference));
    const asked = await h.slack.waitFor(() => dmsToMaya()[0]);
    expect(blockText(asked.body.blocks)).toContain(`Carl Caseworker wrote item 1 of ${reference} (Full response email to Sam Smith): it needs your sign-off.`);
    expect(blockText(asked.body.blocks)).toContain("Dear Sam Smith");
    expect(letterButtons(asked.body.blocks)).toEqual(expect.arrayContaining(["postbag_approve:1", "postbag_send_back:1"]));

    // Send back, from the card in the manager's direct messages: a comment box first.
    const inDm = { channelId: "DMAYA", messageTs: "1700000500.000001", ephemeral: false };
    const back = await openForm("UMAYA", button(asked.body.blocks, "postbag_send_back:1")!, h.slack.responseUrl(), inDm);
    expect(back.title.text).toBe("Send back");
    expect(back.blocks.find((b: any) => b.block_id === "action_comment").element.multiline).toBe(true);
    expect((await submit("UMAYA", back, { comment: "Say what the inspector found." })).status).toBe(200);
    const updated = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.body.ts === inDm.messageTs));
    expect(blockText(updated.body.blocks)).toContain(`Sent item 1 of ${reference} back to Carl Caseworker: Say what the inspector found.`);
    const toCarl = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === "UCARL" && blockText(c.body.blocks).includes("sent item 1")));
    expect(blockText(toCarl.body.blocks)).toContain(`Maya Manager sent item 1 of ${reference} (Full response email to Sam Smith) back to you: Say what the inspector found.`);
    expect((await items(reference))[0]).toMatchObject({ status: "draft", sendBackComment: "Say what the inspector found." });

    // Carl changes the words from his card; they go to the manager again.
    const mine = await h.ask(`show ${reference}`, "UCARL");
    expect(blockText(mine.blocks)).toContain("sent back by Maya Manager: Say what the inspector found.");
    expect(button(mine.blocks, "postbag_send:1")).toBeUndefined();
    const carlUrl = h.slack.responseUrl();
    const redraft = await openForm("UCARL", button(mine.blocks, "postbag_redraft:1")!, carlUrl);
    const newWords = `${initial(redraft, "text")}\n\nThe inspector found the officer's manner fell short.`;
    await submit("UCARL", redraft, { subject: initial(redraft, "subject"), text: newWords });
    await h.slack.waitFor(() => h.slack.responsesTo(carlUrl).find((r) => r.replace_original));
    const askedAgain = await h.slack.waitFor(() => dmsToMaya().find((c) => blockText(c.body.blocks).includes("inspector found the officer")));

    // Approve: one click on the manager's card. Now Carl can send it.
    const approveUrl = h.slack.responseUrl();
    await h.click({ userId: "UMAYA", actionId: "postbag_approve:1", value: button(askedAgain.body.blocks, "postbag_approve:1")!.value, responseUrl: approveUrl, channelId: "DMAYA", messageTs: "1700000600.000001", ephemeral: false });
    const approved = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.body.ts === "1700000600.000001"));
    expect(blockText(approved.body.blocks)).toContain(`Approved item 1 of ${reference}.`);
    await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === "UCARL" && blockText(c.body.blocks).includes(`Maya Manager approved item 1 of ${reference}`)));
    const ready = await h.ask(`show ${reference}`, "UCARL");
    const sentUrl = h.slack.responseUrl();
    const sent = await click("UCARL", button(ready.blocks, "postbag_send:1")!, sentUrl);
    expect(blockText(sent.blocks)).toContain(`${reference} is responded.`);
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]!.mail.text).toContain("The inspector found the officer's manner fell short.");
    expect(await status(reference)).toBe("responded");
  });

  it("words too long for the manager's card are read whole in a form before they are approved: Approve never signs off what the card clipped", async () => {
    const logged = await h.ask('log email 2026-11-24 "Lena Long" Slow investigation --email lena@example.com --kind complaint --assign me --new-person', "UCARL");
    const reference = referenceIn(logged.blocks);
    const lastLine = "Finally: the Chief Constable has apologised in writing.";
    const words = `Dear Lena Long,\n\n${"The review looked at every step of the investigation in turn. ".repeat(40)}\n\n${lastLine}`;
    await h.postbag.core.cases.perform(h.office.caseworker, "draft", { reference, template: "response", text: words }, { platform: "slack" });

    // The card sent to the manager clips the words, so its control says they are to be read first.
    const asked = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === "UMAYA" && blockText(c.body.blocks).includes(reference)));
    expect(blockText(asked.body.blocks)).not.toContain(lastLine);
    const approve = button(asked.body.blocks, "postbag_approve:1") as any;
    expect(approve.text.text).toBe("Read and approve…");

    // Pressing it approves nothing yet: it opens a form showing every word, to the last line.
    const inDm = { channelId: "DMAYA", messageTs: "1700000700.000001", ephemeral: false };
    const form = await openForm("UMAYA", approve, h.slack.responseUrl(), inDm);
    expect(form.title.text).toBe("Approve");
    const shown = blockText(form.blocks).replace(/\n/g, " ");
    expect(shown).toContain(lastLine);
    expect(shown.match(/The review looked at every step/g)).toHaveLength(40);
    expect((await items(reference))[0]).toMatchObject({ status: "awaiting_approval", approvedBy: null });

    // Approve in the form signs off those words.
    expect((await submit("UMAYA", form, {})).status).toBe(200);
    const approved = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.body.ts === inDm.messageTs));
    expect(blockText(approved.body.blocks)).toContain(`Approved item 1 of ${reference}.`);
    expect((await items(reference))[0]).toMatchObject({ status: "approved", text: words });
  });

  it("a send the relay refuses leaves the case due, tells the person why, and Send on the card tries again", async () => {
    const logged = await h.ask('log email 2026-11-24 "Ray Refused" Potholes --email ray@example.com --new-person', "UALICE");
    const reference = referenceIn(logged.blocks);
    await h.postbag.core.cases.perform(h.office.admin, "draft", { reference, template: "acknowledgement" }, { platform: "slack" });
    const card = await h.ask(`show ${reference}`, "UALICE");
    relay.refuseWith = "5.7.1 Relaying denied for this sender";
    const cardUrl = h.slack.responseUrl();
    const refused = await click("UALICE", button(card.blocks, "postbag_send:1")!, cardUrl);
    expect(refused.replace_original).toBe(false);
    expect(refused.text).toContain(`Item 1 of ${reference} was not sent:`);
    expect(refused.text).toContain("Relaying denied");
    expect(refused.text).toContain("Nothing was recorded on the case.");
    const view = await h.postbag.core.cases.showCase(h.office.admin, reference);
    expect([view.status, view.acknowledgement.state]).toEqual(["new", "pending"]);
    expect((await items(reference))[0]).toMatchObject({ status: "send_failed" });

    // The card says why, and offers Send again; once the relay is put right it goes.
    relay.refuseWith = null;
    const again = await h.ask(`show ${reference}`, "UALICE");
    expect(blockText(again.blocks)).toContain("not sent (the send failed)");
    const sent = await click("UALICE", button(again.blocks, "postbag_send:1")!, h.slack.responseUrl());
    expect(blockText(sent.blocks)).toContain(`${reference} is acknowledged.`);
    expect(relay.received.map((r) => r.envelope)).toEqual([["ray@example.com"]]);
  });

  it("a letter's Send makes its PDF and sends it to the person's direct messages; Posted is one click and records the step", async () => {
    const logged = await h.ask('log letter 2026-11-24 "Lou Letter" Bus stop --address "2 Mill Lane, Abingdon OX14 5AA" --new-person', "UALICE");
    const reference = referenceIn(logged.blocks);
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UALICE", button(logged.blocks, "postbag_draft:acknowledgement")!, cardUrl);
    expect(blockText(modal.blocks)).toContain("Lou Letter, 2 Mill Lane, Abingdon OX14 5AA (by letter: made as a PDF when you send it, to print and post)");
    expect(initial(modal, "subject")).toBeUndefined();
    await submit("UALICE", modal, { text: initial(modal, "text") });
    const drafted = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    const uploadsBefore = h.slack.callsTo("files.completeUploadExternal").length;
    const made = await click("UALICE", button(drafted.blocks, "postbag_send:1")!, h.slack.responseUrl());
    expect(blockText(made.blocks)).toContain(`Made item 1 of ${reference}, a letter to Lou Letter, as a PDF (file 1 on the case).`);
    expect(blockText(made.blocks)).toContain("The PDF is in your direct messages with Postbag.");
    await h.slack.waitFor(() => h.slack.callsTo("files.completeUploadExternal").length > uploadsBefore);
    const pdf = [...h.slack.uploads.values()].find((upload) => upload.filename === `${reference}-letter-1-acknowledgement.pdf`)!;
    expect(pdf.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(await status(reference)).toBe("new");
    const posted = await click("UALICE", button(made.blocks, "postbag_posted:1")!, h.slack.responseUrl());
    expect(blockText(posted.blocks)).toContain(`Recorded letter 1 of ${reference} as posted. ${reference} is acknowledged.`);
    expect(await status(reference)).toBe("acknowledged");
  });

  it("a sensitive case's email asks its assignee for the address again before it goes", async () => {
    const logged = await h.ask('log email 2026-11-24 "Sally Secret" Private matter --email sally@example.com --sensitive --assign me --new-person', "UCARL");
    const reference = referenceIn(logged.blocks);
    await h.postbag.core.cases.perform(h.office.caseworker, "draft", { reference, template: "acknowledgement" }, { platform: "slack" });
    const card = await h.ask(`show ${reference}`, "UCARL");
    const modal = await openForm("UCARL", button(card.blocks, "postbag_send:1")!, h.slack.responseUrl());
    expect(modal.title.text).toBe("Send");
    expect(blockText(modal.blocks)).toContain("*Item 1*\nAcknowledgement email to Sally Secret");
    expect(blockText(modal.blocks)).not.toContain("sally@example.com");
    const wrong = await submit("UCARL", modal, { confirmAddress: "sal@example.com" });
    expect(await wrong.json()).toEqual({ response_action: "errors", errors: { action_confirmAddress: expect.stringContaining("That is not the email address recorded") } });
    expect(relay.received).toHaveLength(0);
    expect((await submit("UCARL", modal, { confirmAddress: " Sally@Example.com " })).status).toBe(200);
    await h.slack.waitFor(() => relay.received.length === 1);
    expect(relay.received[0]!.envelope).toEqual(["sally@example.com"]);
  });

  it("a viewer sees the letters but no letter buttons, and is refused when they forge one", async () => {
    const logged = await h.ask('log email 2026-11-24 "Vera View" Noise --email vera@example.com --new-person', "UALICE");
    const reference = referenceIn(logged.blocks);
    await h.postbag.core.cases.perform(h.office.admin, "draft", { reference, template: "acknowledgement" }, { platform: "slack" });
    const seen = await h.ask(`show ${reference}`, "UVICTOR");
    expect(blockText(seen.blocks)).toContain("Acknowledgement email to Vera View");
    expect(letterButtons(seen.blocks)).toEqual([]);
    const version = (await h.postbag.core.cases.showCase(h.office.admin, reference)).version;
    const forgedSend = await click("UVICTOR", { action_id: "postbag_send:1", value: JSON.stringify({ r: reference, v: version, p: 1 }) }, h.slack.responseUrl());
    expect(forgedSend.text).toContain("Viewers can read cases but not change them.");
    const forgedDraft = await h.submitView({
      userId: "UVICTOR",
      callbackId: "postbag_case_action",
      viewId: "VFORGED",
      privateMetadata: JSON.stringify({ action: "draft", asked: ["text"], reference, version, origin: { kind: "none" }, p: "more-information" }),
      values: { action_text: { type: "plain_text_input", value: "Forged words" } },
    });
    expect(blockText(((await forgedDraft.json()) as any).view.blocks)).toContain("Viewers can read cases but not change them.");
    expect(relay.received).toHaveLength(0);
    expect((await items(reference)).map((item) => item.status)).toEqual(["draft"]);
  });

  it("words from outside — the constituent's name, the case's subject, what a person typed — are inert on the letter's form and card, and go out exactly as typed", async () => {
    const name = "<!here> *bold* _x_ [link](https://evil.example)";
    const { reference } = await h.postbag.core.cases.logCase(
      h.office.admin,
      { channel: "email", receivedOn: "2026-11-24", constituent: { name, email: "hostile@example.com" }, constituentChoice: "new", subject: "> quoted `code` <@U012345>" },
      { platform: "slack" },
    );
    const card = await h.ask(`show ${reference}`, "UALICE");
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UALICE", button(card.blocks, "postbag_draft:acknowledgement")!, cardUrl);
    expect(slackMrkdwnStrings(modal.blocks).flatMap(liveInSlack)).toEqual([]);
    expect(slackMrkdwnStrings(modal.blocks).map(slackReads).join("\n")).toContain(`${name} <hostile@example.com> (by email)`);
    expect(initial(modal, "text")).toContain(`Dear ${name},`);
    const typed = `${initial(modal, "text")}\n\n*Also* <!channel> ~struck~`;
    await submit("UALICE", modal, { subject: initial(modal, "subject"), text: typed });
    const drafted = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(slackMrkdwnStrings(drafted).flatMap(liveInSlack)).toEqual([]);
    expect(slackMrkdwnStrings(drafted.blocks).map(slackReads).join("\n")).toContain("*Also* <!channel> ~struck~");
    await click("UALICE", button(drafted.blocks, "postbag_send:1")!, cardUrl);
    expect(relay.received[0]!.mail.text?.trim()).toBe(typed);
    expect(relay.received[0]!.mail.subject).toBe(`[${reference}] We have received your correspondence: > quoted \`code\` <@U012345>`);
  });

  it("Draft referral asks for the partner first, merges the words once it is chosen, and sends them to the partner's one address", async () => {
    await h.postbag.core.partners.change(h.office.manager, { partner: "County Council", contact: "Casework desk, referrals@council.example" }, "cli");
    const logged = await h.ask('log email 2026-11-24 "Rita Referral" Fly-tipping --email rita@example.com --assign me --new-person', "UCARL");
    const reference = referenceIn(logged.blocks);
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UCARL", button(logged.blocks, "postbag_draft:referral")!, cardUrl);
    expect(modal.title.text).toBe("Draft referral");
    expect(blockText(modal.blocks)).toContain("goes to the partner you choose");
    expect(initial(modal, "text")).toBeUndefined();
    const partners = modal.blocks.find((b: any) => b.block_id === "action_partner").element.options;
    const council = partners.find((o: any) => o.text.text === "County Council").value;
    const police = partners.find((o: any) => o.text.text === "Police").value;
    const values = (value: string) => ({ action_partner: { type: "static_select", selected_option: { value } } });
    // A partner without an email address in the directory is refused beside the choice, saying how to put it right.
    const refused = await h.submitView({ userId: "UCARL", callbackId: modal.callback_id, viewId: "VREFER1", privateMetadata: modal.private_metadata, values: values(police) });
    expect(await refused.json()).toEqual({ response_action: "errors", errors: { action_partner: expect.stringContaining("The partner directory has no email address for Police.") } });
    await h.submitView({ userId: "UCARL", callbackId: modal.callback_id, viewId: "VREFER2", privateMetadata: modal.private_metadata, values: values(council) });
    const drafted = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(blockText(drafted.blocks)).toContain(`Drafted item 1 on ${reference}: Referral to a partner email to County Council.`);
    await click("UCARL", button(drafted.blocks, "postbag_send:1")!, cardUrl);
    expect(relay.received.map((r) => r.envelope)).toEqual([["referrals@council.example"]]);
    const view = await h.postbag.core.cases.showCase(h.office.caseworker, reference);
    expect(view.referrals.map((referral) => referral.partner)).toEqual(["County Council"]);
  });

  it("the satisfaction question's form on a closed case shows the office's own words and asks for none; Send sends them as they are", async () => {
    const logged = await h.ask('log email 2026-11-24 "Sid Satisfied" Street lights --email sid@example.com --assign me --new-person', "UCARL");
    const reference = referenceIn(logged.blocks);
    for (const [name, input] of [["respond", { text: "Lights mended" }], ["close", { outcome: "responded" }]] as const) {
      await h.postbag.core.cases.perform(h.office.caseworker, name, { reference, ...input }, { platform: "cli" });
    }
    const card = await h.ask(`show ${reference}`, "UCARL");
    const cardUrl = h.slack.responseUrl();
    const modal = await openForm("UCARL", button(card.blocks, "postbag_send_new:satisfaction")!, cardUrl);
    expect(modal.blocks.filter((block: any) => block.type === "input").map((block: any) => block.block_id)).toEqual([]);
    const shown = blockText(modal.blocks);
    expect(shown).toContain("The words (the office's own, as its template has them)");
    expect(shown).toContain("Please reply with a number from 1 to 5");
    expect((await h.submitView({ userId: "UCARL", callbackId: modal.callback_id, viewId: "VSATISFY", privateMetadata: modal.private_metadata, values: {} })).status).toBe(200);
    await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(relay.received.map((r) => r.envelope)).toEqual([["sid@example.com"]]);
    expect(relay.received[0]!.mail.text).toContain("Please reply with a number from 1 to 5");
  });
});
