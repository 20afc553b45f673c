import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import type { FetchedMail, MailSource } from "../../src/domain/intake/intake-message.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { MailIntakeJob } from "../../src/jobs/mail-intake-job.ts";
import { createLogger } from "../../src/logger.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { mail } from "../support/mail.ts";
import { letter } from "../support/office.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { blockActionPayload } from "../support/slack-requests.ts";
import { conversationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";

/**
 * Review of triage (issue 16): Not casework "other" asks what it is on every surface; Add to
 * case… offers the sender's open cases (one core query, sensitivity respected) and any
 * reference; and erasing a person leaves no trace of them on the triage cards already posted.
 */

const cli = { platform: "cli" as const };

/** A mailbox the job reads: whatever was added since the last read, once. */
function inbox(postbag: Postbag, label: string) {
  const queue: FetchedMail[] = [];
  let uid = 0;
  const source: MailSource = {
    name: `imap:${label}@mail.example/INBOX`,
    async *read() {
      if (queue.length) yield { messages: queue.splice(0), cursor: { kind: "imap", uidValidity: 1, lastUid: uid } };
    },
  };
  const add = async (raw: string) => {
    uid += 1;
    queue.push({ sourceKey: `1:${uid}`, deliveredAt: postbag.core.clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) });
  };
  return { source, add };
}

/** Olive's cases, as the office holds them: two open ones (the newer sensitive and someone else's), one closed, and one under a record merged into another. */
async function oliveOnRecord(postbag: Postbag, office: SlackHarness["office"]) {
  const { cases, constituents } = postbag.core;
  const email = "olive.owner@example.com";
  const older = await cases.logCase(office.admin, letter({ constituent: { name: "Olive Owner", email }, subject: "Parking outside the school" }), cli);
  const olive = await postbag.db.prisma.constituent.findFirstOrThrow({ where: { emailKey: email } });
  const closed = await cases.logCase(office.admin, letter({ constituent: { name: "Olive Owner", email }, subject: "An old matter", constituentChoice: `C${olive.id}` }), cli);
  await cases.perform(office.manager, "close", { reference: closed.reference, outcome: "withdrawn" }, cli);
  const sensitive = await cases.logCase(
    office.admin,
    letter({ constituent: { name: "Olive Owner", email }, subject: "My son's arrest", sensitive: true, assignee: office.otherCaseworker.id, constituentChoice: `C${olive.id}` }),
    cli,
  );
  // Another record of Olive, under her work address, holds a case; merged into it, her own record (and its address) goes with it.
  const work = await cases.logCase(office.admin, letter({ constituent: { name: "O. Owner", email: "o.owner@work.example" }, subject: "Noise at night", constituentChoice: "new" }), cli);
  const workRecord = await postbag.db.prisma.constituent.findFirstOrThrow({ where: { emailKey: "o.owner@work.example" } });
  await constituents.merge(office.manager, { keep: `C${workRecord.id}`, other: `C${olive.id}`, reason: "One person: Olive Owner" }, cli);
  // Someone else with her name but not her address is not hers.
  const namesake = await cases.logCase(office.admin, letter({ constituent: { name: "Olive Owner", email: "another.olive@example.net" }, subject: "Not Olive's", constituentChoice: "new" }), cli);
  return { email, older, closed, sensitive, work, namesake };
}

describeEachDatabase("triage: the sender's cases, a note for other, and erasure on the cards", (database) => {
  let slack: SlackHarness;
  let teams: TeamsHarness;
  beforeAll(async () => {
    slack = await SlackHarness.start(database);
    teams = await TeamsHarness.start(database);
  });
  afterAll(async () => {
    await slack?.stop();
    await teams?.stop();
  });

  it("the sender's open cases: matched by address (merged records too), newest first, a sensitive one by reference alone unless the reader may see it", async () => {
    const { core } = slack.postbag;
    const olive = await oliveOnRecord(slack.postbag, slack.office);
    const { source, add } = inbox(slack.postbag, "sender-cases");
    await add(mail.plain({ from: '"Olive Owner" <Olive.Owner@example.com>', subject: "More about parking" }));
    await new MailIntakeJob([source], core.intake, createLogger("silent"), 60).run();
    const [email] = await core.intake.list(slack.office.caseworker);
    const offered = await core.triage.senderCases(slack.office.caseworker, email!.id);
    expect(offered.cases.map((open) => [open.reference, open.subject])).toEqual([
      [olive.work.reference, "Noise at night"],
      [olive.sensitive.reference, null],
      [olive.older.reference, "Parking outside the school"],
    ]);
    expect((await core.triage.senderCases(slack.office.otherCaseworker, email!.id)).cases[1]).toMatchObject({ reference: olive.sensitive.reference, subject: "My son's arrest" });
    expect((await core.triage.senderCases(slack.office.manager, email!.id, 1)).cases.map((open) => open.reference)).toEqual([olive.work.reference]);
    await expect(core.triage.senderCases(slack.office.viewer, email!.id)).rejects.toThrow(/Viewers can read cases but not change them/);
    await expect(core.triage.senderCases(slack.office.caseworker, 999_999)).rejects.toThrow(/There is no message #999999/);
    // Chosen from the list, or typed: what is typed wins.
    await expect(core.intake.attach(slack.office.caseworker, { id: email!.id, reference: "", openCase: "" }, cli)).rejects.toThrow(/Say which case to add it to/);
    const added = await core.intake.attach(slack.office.caseworker, { id: email!.id, reference: olive.older.reference, openCase: olive.work.reference }, cli);
    expect(added.message).toContain(`to ${olive.older.reference}`);
  });

  it("Slack: Add to case… offers the sender's open cases as the clicker may see them; Not casework — other asks what it is, in a note the core requires", async () => {
    const { core } = slack.postbag;
    const TRIAGE = "C0TRIAGE2";
    await slack.ask("intake here", "UMAYA", { channelId: TRIAGE });
    const { source, add } = inbox(slack.postbag, "slack-review");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [slack.adapter.intakePublisher!] });
    await add(mail.plain({ from: '"Olive Owner" <olive.owner@example.com>', subject: "Still about parking" }));
    await add(mail.plain({ from: '"Una Survey" <survey@university.example>', subject: "Research survey" }));
    await job.run();
    const posts = slack.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === TRIAGE);
    expect(posts).toHaveLength(2);
    const cards = await slack.postbag.db.prisma.triageCard.findMany({ where: { platform: "slack", channelId: TRIAGE }, orderBy: { id: "asc" } });
    const [oliveCard, surveyCard] = cards;
    const [older, sensitive, work] = await Promise.all(["Parking outside the school", "My son's arrest", "Noise at night"].map((subject) => slack.postbag.db.prisma.case.findFirstOrThrow({ where: { subject } })));

    const openAttach = async (userId: string) => {
      const before = slack.slack.callsTo("views.open").length;
      await slack.click({ userId, actionId: "postbag_intake_attach", value: JSON.stringify({ i: oliveCard!.intakeId }), responseUrl: slack.slack.responseUrl(), channelId: TRIAGE, messageTs: oliveCard!.postedId, ephemeral: false });
      const opened = await slack.slack.waitFor(() => slack.slack.callsTo("views.open")[before]);
      const list = opened.body.view.blocks.find((block: any) => block.block_id === "intake_open_case");
      return { view: opened.body.view, options: list.element.options.map((option: any) => [option.text.text, option.value]) };
    };
    const asCarl = await openAttach("UCARL");
    expect(asCarl.options).toEqual([
      [`${work!.reference} · Noise at night`, work!.reference],
      [`${sensitive!.reference} · (sensitive)`, sensitive!.reference],
      [`${older!.reference} · Parking outside the school`, older!.reference],
    ]);
    expect(JSON.stringify(asCarl.view)).not.toContain("My son's arrest");
    expect(JSON.stringify(asCarl.view)).toContain("intake_reference");
    expect((await openAttach("UMAYA")).options[1]).toEqual([`${sensitive!.reference} · My son's arrest`, sensitive!.reference]);

    // Not casework — other: a modal asks what it is; nothing is decided until it says.
    const chooseOther = async () => {
      const before = slack.slack.callsTo("views.open").length;
      const menu = blockActionPayload({ userId: "UCARL", actionId: "postbag_intake_dismiss", value: "", responseUrl: slack.slack.responseUrl(), channelId: TRIAGE, messageTs: surveyCard!.postedId, ephemeral: false });
      (menu.actions as Record<string, unknown>[])[0] = { action_id: "postbag_intake_dismiss", block_id: `intake_${surveyCard!.intakeId}`, type: "static_select", selected_option: { text: { type: "plain_text", text: "other" }, value: JSON.stringify({ i: surveyCard!.intakeId, r: "other" }) }, action_ts: "1" };
      await slack.interact(menu);
      return (await slack.slack.waitFor(() => slack.slack.callsTo("views.open")[before])).body.view;
    };
    const modal = await chooseOther();
    expect(modal.callback_id).toBe("postbag_intake_dismiss_other");
    const note = modal.blocks.find((block: any) => block.block_id === "intake_note");
    expect(note).toMatchObject({ type: "input", element: { type: "plain_text_input", action_id: "intake_note" } });
    expect(note.optional).not.toBe(true);
    expect((await core.intake.show(slack.office.admin, surveyCard!.intakeId)).state).toBe("new");

    const submitNote = (value: string, viewId: string) =>
      slack.submitView({ userId: "UCARL", callbackId: "postbag_intake_dismiss_other", viewId, privateMetadata: modal.private_metadata, values: { intake_note: { type: "plain_text_input", value } } });
    const blank = await submitNote("   ", "VOTHER1");
    expect(await blank.json()).toEqual({ response_action: "errors", errors: { intake_note: "Say what it is when the reason is other: intake dismiss <n> other <what it is…>." } });
    expect((await core.intake.show(slack.office.admin, surveyCard!.intakeId)).state).toBe("new");

    expect((await submitNote("A survey from a university", "VOTHER2")).status).toBe(200);
    const updated = await slack.slack.waitFor(() => slack.slack.callsTo("chat.update").find((call) => call.body.ts === surveyCard!.postedId));
    expect(blockText(updated.body.blocks)).toContain("Dismissed: other (A survey from a university) — by Carl Caseworker");
    expect(await core.intake.show(slack.office.admin, surveyCard!.intakeId)).toMatchObject({ state: "dismissed", dismissReason: "other", dismissNote: "A survey from a university" });
    // Decided meanwhile: Add to case… opens no form, and says so to the clicker alone.
    const lateUrl = slack.slack.responseUrl();
    const formsBefore = slack.slack.callsTo("views.open").length;
    await slack.click({ userId: "UCORA", actionId: "postbag_intake_attach", value: JSON.stringify({ i: surveyCard!.intakeId }), responseUrl: lateUrl, channelId: TRIAGE, messageTs: surveyCard!.postedId, ephemeral: false });
    const late = await slack.answer(lateUrl);
    expect(late).toMatchObject({ response_type: "ephemeral" });
    expect(late.text).toContain(`Email #${surveyCard!.intakeId} is decided already: Dismissed: other (A survey from a university) — by Carl Caseworker.`);
    expect(slack.slack.callsTo("views.open")).toHaveLength(formsBefore);
  });

  it("Teams: Add to case… answers the clicker with the sender's open cases and a reference box; Not casework — other needs its note", async () => {
    const { core } = teams.postbag;
    const olive = await oliveOnRecord(teams.postbag, teams.office);
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    await teams.message("manager", "intake here", { where: "channel" });
    const { source, add } = inbox(teams.postbag, "teams-review");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [teams.adapter.intakePublisher!] });
    await add(mail.plain({ from: '"Olive Owner" <olive.owner@example.com>', subject: "Still about parking" }));
    await add(mail.plain({ from: '"Una Survey" <survey@university.example>', subject: "Research survey" }));
    await add(mail.plain({ from: '"Nobody Known" <nobody@example.org>', subject: "Hello" }));
    await job.run();
    const [oliveCard, surveyCard, strangerCard] = await teams.postbag.db.prisma.triageCard.findMany({ where: { platform: "teams" }, orderBy: { id: "asc" } });
    const posted = teams.connector.activities.filter((activity) => activity.method === "POST" && activity.id === oliveCard!.postedId);
    const postedCard = cardsOf(posted[0]!.body)[0]!;
    // On the card everyone sees, Add to case… lists nothing: it asks for the clicker's own view.
    expect(JSON.stringify(postedCard)).toContain('"verb":"intake.attach.form"');
    expect(JSON.stringify(postedCard)).not.toContain(olive.older.reference);

    const choicesOf = (card: Record<string, any>) => (card.body as any[]).find((element) => element.id === "openCase")?.choices.map((choice: any) => [choice.title, choice.value]);
    const asCarl = await teams.press("caseworker", "intake.attach.form", { intakeId: oliveCard!.intakeId }, { where: "channel", cardActivityId: oliveCard!.postedId });
    expect(choicesOf(asCarl.card)).toEqual([
      [`${olive.work.reference} · Noise at night`, olive.work.reference],
      [`${olive.sensitive.reference} · (sensitive)`, olive.sensitive.reference],
      [`${olive.older.reference} · Parking outside the school`, olive.older.reference],
    ]);
    expect((asCarl.card.body as any[]).some((element) => element.type === "Input.Text" && element.id === "reference")).toBe(true);
    expect(JSON.stringify(asCarl.card)).toContain('"verb":"intake.attach"');
    expect(JSON.stringify(asCarl.card)).not.toContain("My son's arrest");
    // Nothing was sent to the channel: the list is the clicker's alone.
    expect(asCarl.sent).toEqual([]);
    const asCora = await teams.press("otherCaseworker", "intake.attach.form", { intakeId: oliveCard!.intakeId }, { where: "channel", cardActivityId: oliveCard!.postedId });
    expect(choicesOf(asCora.card)[1]).toEqual([`${olive.sensitive.reference} · My son's arrest`, olive.sensitive.reference]);
    const refusedViewer = await teams.press("viewer", "intake.attach.form", { intakeId: oliveCard!.intakeId }, { where: "channel", cardActivityId: oliveCard!.postedId });
    expect(cardText(refusedViewer.card)).toMatch(/Viewers can read cases but not change them/);
    const unknownSender = await teams.press("caseworker", "intake.attach.form", { intakeId: strangerCard!.intakeId }, { where: "channel", cardActivityId: strangerCard!.postedId });
    expect(choicesOf(unknownSender.card)).toBeUndefined();
    expect(cardText(unknownSender.card)).toContain("The sender has no open case on record.");

    // Neither chosen nor typed: the same form again, with the refusal.
    const empty = await teams.press("caseworker", "intake.attach", { intakeId: oliveCard!.intakeId, reference: "", openCase: "" }, { where: "channel", cardActivityId: oliveCard!.postedId });
    expect(cardText(empty.card)).toContain("Say which case to add it to, like PFCC-2026-0042.");
    expect(choicesOf(empty.card)).toHaveLength(3);
    // One chosen from the list.
    const updatesBefore = teams.connector.activities.length;
    const added = await teams.press("caseworker", "intake.attach", { intakeId: oliveCard!.intakeId, reference: "", openCase: olive.older.reference }, { where: "channel", cardActivityId: oliveCard!.postedId });
    expect(cardText(added.card)).toContain(`Added to ${olive.older.reference} by Carl Caseworker`);
    const put = teams.connector.activities.slice(updatesBefore).find((activity) => activity.method === "PUT" && activity.activityId === oliveCard!.postedId);
    expect(cardText(cardsOf(put!.body)[0]!)).toContain(`Added to ${olive.older.reference} by Carl Caseworker`);

    // Not casework — other: the note box is on the card, and the core asks for it.
    expect(JSON.stringify(cardsOf(teams.connector.activities.find((activity) => activity.id === surveyCard!.postedId)!.body)[0])).toContain('"id":"note"');
    const noNote = await teams.press("caseworker", "intake.dismiss", { intakeId: surveyCard!.intakeId, reason: "other", note: " " }, { where: "channel", cardActivityId: surveyCard!.postedId });
    expect(cardText(noNote.card)).toContain("Say what it is when the reason is other");
    expect((await core.intake.show(teams.office.admin, surveyCard!.intakeId)).state).toBe("new");
    const withNote = await teams.press("caseworker", "intake.dismiss", { intakeId: surveyCard!.intakeId, reason: "other", note: "A survey from a university" }, { where: "channel", cardActivityId: surveyCard!.postedId });
    expect(cardText(withNote.card)).toContain("Dismissed: other (A survey from a university) — by Carl Caseworker");
    expect(teams.cardProblems).toEqual([]);
  });

  it("Slack: erasing a person clears their emails (on their case, and dismissed) and the next refresh leaves no trace of them on the posted cards", async () => {
    const { core } = slack.postbag;
    const TRIAGE = "C0TRIAGE3";
    await slack.ask("intake here", "UMAYA", { channelId: TRIAGE });
    const { source, add } = inbox(slack.postbag, "slack-erasure");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [slack.adapter.intakePublisher!] });
    const { ids, reference, traces } = await edithWrites(slack.postbag, slack.office, add, () => job.run());
    // Every card of her emails, in whichever channel.
    const posted = await slack.postbag.db.prisma.triageCard.findMany({ where: { platform: "slack", intakeId: { in: ids } }, orderBy: { id: "asc" } });
    expect(posted.filter((card) => card.channelId === TRIAGE)).toHaveLength(3);
    const lastShown = (ts: string) => slack.slack.callsTo("chat.update").filter((call) => call.body.ts === ts).at(-1);
    for (const card of posted) expect(JSON.stringify(lastShown(card.postedId)!.body)).toContain("Edith Erasable");

    // The update at the moment of erasure fails (Slack down): the cards are refreshed at the next poll.
    const refused = { status: 200, body: { ok: false, error: "service_unavailable" } };
    slack.slack.failNext("chat.update", ...posted.map(() => refused));
    const updatesBefore = slack.slack.callsTo("chat.update").length;
    expect((await core.erasure.erase(slack.office.manager, "edith.erasable@example.org", true, cli)).done).toBe(true);
    await emailsErased(slack.postbag, ids, traces);
    await job.run();
    for (const card of posted) {
      const shown = slack.slack.callsTo("chat.update").slice(updatesBefore).filter((call) => call.body.ts === card.postedId && call.body.blocks);
      expect(shown.length).toBeGreaterThanOrEqual(2); // refused once, then shown
      const now = JSON.stringify(shown.at(-1)!.body);
      for (const trace of traces) expect(now).not.toContain(trace);
      expect(blockText(shown.at(-1)!.body.blocks)).toContain("(erased)");
    }
    expect(blockText(lastShown(posted[0]!.postedId)!.body.blocks)).toContain(`Logged as ${reference} by Alice Admin`);
    // Shown as erased: nothing more to refresh.
    const settled = slack.slack.callsTo("chat.update").length;
    await job.run();
    expect(slack.slack.callsTo("chat.update")).toHaveLength(settled);
    expect(await slack.postbag.db.prisma.triageCard.count({ where: { intakeId: { in: ids }, shownErased: false } })).toBe(0);
  });

  it("Teams: after an erasure the next refresh updates each posted card with no trace of the sender", async () => {
    const { core } = teams.postbag;
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    await teams.message("manager", "intake here", { where: "channel" });
    const { source, add } = inbox(teams.postbag, "teams-erasure");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [teams.adapter.intakePublisher!] });
    const { ids, traces } = await edithWrites(teams.postbag, teams.office, add, () => job.run());
    const posted = await teams.postbag.db.prisma.triageCard.findMany({ where: { platform: "teams", intakeId: { in: ids } }, orderBy: { id: "asc" } });
    expect(posted).toHaveLength(3);

    // Teams refuses the updates made at once (403: not retried); the next poll makes them.
    teams.connector.failNext(posted.length, 403);
    const before = teams.connector.activities.length;
    await core.erasure.erase(teams.office.manager, "edith.erasable@example.org", true, cli);
    await emailsErased(teams.postbag, ids, traces);
    await job.run();
    expect(teams.connector.requests.filter((request) => request.method === "PUT" && request.status === 403)).toHaveLength(posted.length);
    for (const card of posted) {
      const put = teams.connector.activities.slice(before).filter((activity) => activity.method === "PUT" && activity.activityId === card.postedId).at(-1);
      expect(put, `card of #${card.intakeId} updated`).toBeDefined();
      const shown = JSON.stringify(put!.body);
      for (const trace of traces) expect(shown).not.toContain(trace);
      expect(cardText(cardsOf(put!.body)[0]!)).toContain("(erased)");
    }
    const settled = teams.connector.activities.length;
    await job.run();
    expect(teams.connector.activities).toHaveLength(settled);
    expect(teams.cardProblems).toEqual([]);
  });
});

/**
 * Edith writes three times: one email is logged as her case (then closed), one dismissed; the
 * third awaits triage, and erasure is refused until it is decided. Answers the emails, her
 * case, and every word of hers that must be gone.
 */
async function edithWrites(postbag: Postbag, office: SlackHarness["office"], add: (raw: string) => Promise<void>, poll: () => Promise<unknown>) {
  const { core } = postbag;
  const from = '"Edith Erasable" <edith.erasable@example.org>';
  await add(mail.plain({ from, subject: "Complaint about Sergeant Quill" }, "I live at 4 Privet Drive and was stopped twice.\r\n"));
  await add(mail.plain({ from, subject: "Complaint about Sergeant Quill (again)" }, "I live at 4 Privet Drive.\r\n"));
  await add(mail.plain({ from: "Edith Erasable <EDITH.ERASABLE@example.org>", subject: "One more thing about Sergeant Quill" }, "Also my neighbour.\r\n"));
  await poll();
  const ids = (await postbag.db.prisma.intakeMessage.findMany({ where: { fromAddress: "edith.erasable@example.org" }, orderBy: { id: "asc" }, select: { id: true } })).map((row) => row.id);
  expect(ids).toHaveLength(3);
  const { view } = await core.intake.log(office.admin, { id: ids[0], constituentChoice: "new" }, cli);
  await core.intake.dismiss(office.admin, { id: ids[1], reason: "duplicate", note: "Edith sent it twice" });
  await core.cases.perform(office.manager, "close", { reference: view.reference, outcome: "withdrawn" }, cli);
  await core.triage.refresh();
  // An email of hers still awaiting triage is business in hand: erasure waits for it.
  await expect(core.erasure.erase(office.manager, "edith.erasable@example.org", false, cli)).rejects.toThrow(new RegExp(`Decide #${ids[2]} first`));
  await core.intake.dismiss(office.admin, { id: ids[2], reason: "other", note: "Edith again" });
  await core.triage.refresh();
  const preview = await core.erasure.erase(office.manager, "edith.erasable@example.org", false, cli);
  expect(preview.message).toContain(`and 2 emails from them on no case (#${ids[1]}, #${ids[2]})`);
  return { ids, reference: view.reference, traces: ["Edith", "edith.erasable", "EDITH", "Sergeant Quill", "Privet", "neighbour", "sent it twice"] };
}

/** Every email of hers keeps its state and who decided, and nothing of her. */
async function emailsErased(postbag: Postbag, ids: number[], traces: string[]) {
  const rows = await postbag.db.prisma.intakeMessage.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
  expect(rows.map((row) => [row.state, row.decidedBy, row.erasedAt !== null])).toEqual([
    ["logged", "Alice Admin", true],
    ["dismissed", "Alice Admin", true],
    ["dismissed", "Alice Admin", true],
  ]);
  const kept = JSON.stringify(rows);
  for (const trace of traces) expect(kept).not.toContain(trace);
}
