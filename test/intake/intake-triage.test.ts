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
import { blockText, buttonsIn, SlackHarness } from "../support/slack-harness.ts";
import { blockActionPayload } from "../support/slack-requests.ts";
import { CHANNEL_ID, conversationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";

/** A mailbox the job reads: whatever was added since the last read, once. */
async function inbox(postbag: Postbag, label: string) {
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

const TRIAGE = "C0TRIAGE";
const HOSTILE_FROM = '"<@U0ADMIN> Mallory" <mallory@example.com>';

describeEachDatabase("triage of new emails on Slack and Teams", (database) => {
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

  it("Slack: each new email is posted once to the triage channel, escaped, and decided there in a click or two; the card then says what became of it", async () => {
    const { core } = slack.postbag;
    const { source, add } = await inbox(slack.postbag, "slack");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [slack.adapter.intakePublisher!] });
    expect((await slack.ask("intake here", "UCARL", { channelId: TRIAGE })).text).toMatch(/Only managers/);
    expect((await slack.ask("intake here", "UMAYA", { channelId: TRIAGE })).text).toMatch(/New emails will be posted in this channel/);

    const existing = await core.cases.logCase(slack.office.admin, letter({ receivedOn: "2026-11-20", constituent: { name: "Jane Doe", email: "jane@example.com" } }), { platform: "cli" });
    await add(mail.plain({ from: HOSTILE_FROM, subject: "<!here> *x*" }));
    await add(mail.plain({ from: '"Peter Spam" <spam@example.net>', subject: "Cheap watches" }));
    await add(mail.plain({ from: '"Jane Doe" <jane@example.com>', subject: "More about the speeding" }));
    await add(mail.reply(`<unknown-${Date.now()}@example.com>`, { subject: `Re: [${existing.reference}] Speeding` }));
    expect(await job.run()).toMatchObject({ recorded: 4, announced: 3, failed: [] });

    const posts = () => slack.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === TRIAGE);
    // The reply threaded itself onto its case: not a triage item.
    expect(posts()).toHaveLength(3);
    const [hostile, spam, jane] = posts().map((call) => call.body);
    const read = `${hostile!.text}\n${blockText(hostile!.blocks)}`;
    expect(read).toContain("&lt;!here&gt; ∗x∗");
    expect(read).toContain("&lt;@U0ADMIN&gt; Mallory &lt;mallory@example.com&gt;");
    expect(read).toContain("Cars race past the school every morning.");
    expect(JSON.stringify(hostile)).not.toMatch(/<!here>|<@U0ADMIN>/);
    expect(buttonsIn(hostile!.blocks).map((button) => button.action_id)).toEqual(["postbag_intake_log", "postbag_intake_attach"]);
    const idOf = (body: Record<string, any>) => JSON.parse(buttonsIn(body.blocks)[0]!.value).i as number;
    const tsOf = async (id: number) => (await slack.postbag.db.prisma.triageCard.findFirstOrThrow({ where: { intakeId: id, platform: "slack" } })).postedId;

    // Nothing is announced twice.
    expect(await job.run()).toMatchObject({ recorded: 0, announced: 0 });
    expect(posts()).toHaveLength(3);

    // A viewer is refused, privately.
    const viewerUrl = slack.slack.responseUrl();
    await slack.click({ userId: "UVICTOR", actionId: "postbag_intake_log", value: JSON.stringify({ i: idOf(hostile!) }), responseUrl: viewerUrl, channelId: TRIAGE, messageTs: await tsOf(idOf(hostile!)), ephemeral: false });
    expect((await slack.answer(viewerUrl)).text).toMatch(/Viewers can read cases but not change them/);

    // Log as new case: one click.
    const hostileTs = await tsOf(idOf(hostile!));
    await slack.click({ userId: "UALICE", actionId: "postbag_intake_log", value: JSON.stringify({ i: idOf(hostile!) }), responseUrl: slack.slack.responseUrl(), channelId: TRIAGE, messageTs: hostileTs, ephemeral: false });
    const logged = await slack.postbag.core.intake.show(slack.office.admin, idOf(hostile!));
    expect(logged.state).toBe("logged");
    const made = await core.cases.showCase(slack.office.admin, logged.case!.reference);
    expect(made.channel).toBe("email");
    const update = await slack.slack.waitFor(() => slack.slack.callsTo("chat.update").find((call) => call.body.ts === hostileTs));
    expect(blockText(update.body.blocks)).toContain(`Logged as ${logged.case!.reference} by Alice Admin`);
    expect(JSON.stringify(update.body.blocks)).not.toMatch(/"type":"actions"/);

    // A second click after the decision is refused politely, to that person only.
    const lateUrl = slack.slack.responseUrl();
    await slack.click({ userId: "UCARL", actionId: "postbag_intake_log", value: JSON.stringify({ i: idOf(hostile!) }), responseUrl: lateUrl, channelId: TRIAGE, messageTs: hostileTs, ephemeral: false });
    const late = await slack.answer(lateUrl);
    expect(late.text).toContain(`is already logged as ${logged.case!.reference} (by Alice Admin)`);
    expect(late.response_type).toBe("ephemeral");

    // Not casework: one choice from the menu.
    const spamTs = await tsOf(idOf(spam!));
    const menu = blockActionPayload({ userId: "UCARL", actionId: "postbag_intake_dismiss", value: "", responseUrl: slack.slack.responseUrl(), channelId: TRIAGE, messageTs: spamTs, ephemeral: false });
    (menu.actions as Record<string, unknown>[])[0] = { action_id: "postbag_intake_dismiss", block_id: `intake_${idOf(spam!)}`, type: "static_select", selected_option: { text: { type: "plain_text", text: "spam" }, value: JSON.stringify({ i: idOf(spam!), r: "spam" }) }, action_ts: "1" };
    await slack.interact(menu);
    const dismissed = await slack.slack.waitFor(() => slack.slack.callsTo("chat.update").find((call) => call.body.ts === spamTs));
    expect(blockText(dismissed.body.blocks)).toContain("Dismissed: spam — by Carl Caseworker");

    // Add to case…: a modal offering the sender's open cases; submitted, the email is on the case's timeline.
    const janeTs = await tsOf(idOf(jane!));
    await slack.click({ userId: "UCARL", actionId: "postbag_intake_attach", value: JSON.stringify({ i: idOf(jane!) }), responseUrl: slack.slack.responseUrl(), channelId: TRIAGE, messageTs: janeTs, ephemeral: false });
    const modal = await slack.slack.waitFor(() => slack.slack.callsTo("views.open").at(-1));
    expect(modal.body.view.callback_id).toBe("postbag_intake_attach");
    expect(JSON.stringify(modal.body.view)).toContain(existing.reference);
    const submitted = await slack.submitView({
      userId: "UCARL",
      callbackId: "postbag_intake_attach",
      viewId: "VATTACH1",
      privateMetadata: modal.body.view.private_metadata,
      values: { intake_open_case: { type: "static_select", selected_option: { value: existing.reference } }, intake_reference: { type: "plain_text_input", value: "" } },
    });
    expect(submitted.status).toBe(200);
    const attached = await slack.slack.waitFor(() => slack.slack.callsTo("chat.update").find((call) => call.body.ts === janeTs));
    expect(blockText(attached.body.blocks)).toContain(`Added to ${existing.reference} by Carl Caseworker`);
    const timeline = await core.cases.showCase(slack.office.admin, existing.reference, { timelineEntries: 5 });
    expect(JSON.stringify(timeline.timeline)).toContain("More about the speeding");

    // A decision by command elsewhere updates the card too.
    await add(mail.plain({ from: '"Nina Newsletter" <news@example.org>', subject: "Our November news" }));
    await job.run();
    const news = posts().at(-1)!.body;
    expect((await slack.ask(`intake dismiss ${idOf(news)} newsletter`, "UMAYA")).text).toContain("Dismissed");
    const newsTs = await tsOf(idOf(news));
    const newsUpdate = await slack.slack.waitFor(() => slack.slack.callsTo("chat.update").find((call) => call.body.ts === newsTs));
    expect(blockText(newsUpdate.body.blocks)).toContain("Dismissed: newsletter or mailing — by Maya Manager");
  });

  it("Slack: a post the channel refuses is tried again at the next poll, and nothing is lost or doubled", async () => {
    const { core } = slack.postbag;
    const { source, add } = await inbox(slack.postbag, "slack-refused");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [slack.adapter.intakePublisher!] });
    const channel = "C0REFUSES";
    await slack.ask("intake off", "UMAYA", { channelId: TRIAGE });
    await slack.ask("intake here", "UMAYA", { channelId: channel });
    slack.slack.refusedChannels.add(channel);
    await add(mail.plain({ from: '"Rita Retry" <rita@example.com>', subject: "Potholes" }));
    const first = await job.run();
    expect(first.failed).toEqual([`slack:${channel}`]);
    const posted = () => slack.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === channel && call.body.text.includes("Potholes"));
    expect(posted()).toHaveLength(1); // refused
    slack.slack.refusedChannels.delete(channel);
    expect(await job.run()).toMatchObject({ announced: 1, failed: [] });
    expect(await job.run()).toMatchObject({ announced: 0 });
    expect(posted()).toHaveLength(2);
    expect(await slack.postbag.db.prisma.triageCard.count({ where: { channelId: channel } })).toBe(1);
  });

  it("Teams: a new email is posted as a card to the channel told `intake here`, and Log, Add to case and Not casework decide it there", async () => {
    const { core } = teams.postbag;
    const { source, add } = await inbox(teams.postbag, "teams");
    const job = new MailIntakeJob([source], core.intake, createLogger("silent"), 60, { service: core.triage, publishers: [teams.adapter.intakePublisher!] });
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    expect((await teams.message("manager", "intake here", { where: "channel" })).text).toMatch(/New emails will be posted in this channel/);
    const existing = await core.cases.logCase(teams.office.admin, letter({ receivedOn: "2026-11-20" }), { platform: "cli" });

    await add(mail.plain({ from: HOSTILE_FROM, subject: "<!here> *x* [click](https://evil.example)" }));
    await add(mail.plain({ from: '"Peter Spam" <spam@example.net>', subject: "Cheap watches" }));
    await add(mail.plain({ from: '"Olive Other" <olive@example.com>', subject: "About my letter" }));
    const before = teams.connector.activities.length;
    expect(await job.run()).toMatchObject({ recorded: 3, announced: 3, failed: [] });
    const sent = teams.connector.activities.slice(before).filter((activity) => activity.conversationId === CHANNEL_ID);
    expect(sent).toHaveLength(3);
    const cards = sent.map((activity) => cardsOf(activity.body)[0]!);
    for (const card of cards) teams.check(card);
    expect(teams.cardProblems).toEqual([]);
    expect(cardText(cards[0]!)).toContain("<!here> *x* [click](https://evil.example)");
    expect(JSON.stringify(cards[0])).not.toContain("[click](");
    expect(await job.run()).toMatchObject({ announced: 0 });
    expect(teams.connector.activities.slice(before).filter((activity) => activity.conversationId === CHANNEL_ID && activity.method === "POST")).toHaveLength(3);
    const ids = await teams.postbag.db.prisma.triageCard.findMany({ where: { platform: "teams" }, orderBy: { id: "asc" } });

    // A viewer is refused on their own card.
    const refused = await teams.press("viewer", "intake.log", { intakeId: ids[0]!.intakeId }, { where: "channel", cardActivityId: ids[0]!.postedId });
    expect(cardText(refused.card)).toMatch(/Viewers can read cases but not change them/);

    // Log as new case: the clicker sees the outcome, and the posted card is updated for everyone.
    const updatesBefore = teams.connector.activities.length;
    const logged = await teams.press("admin", "intake.log", { intakeId: ids[0]!.intakeId }, { where: "channel", cardActivityId: ids[0]!.postedId });
    const record = await core.intake.show(teams.office.admin, ids[0]!.intakeId);
    expect(record.state).toBe("logged");
    expect(cardText(logged.card)).toContain(`Logged as ${record.case!.reference} by Alice Admin`);
    expect(JSON.stringify(logged.card)).not.toContain("Action.Execute");
    const put = teams.connector.activities.slice(updatesBefore).find((activity) => activity.method === "PUT" && activity.activityId === ids[0]!.postedId);
    expect(cardText(cardsOf(put!.body)[0]!)).toContain(`Logged as ${record.case!.reference} by Alice Admin`);

    // A second press is refused politely, on that person's card only.
    const again = await teams.press("caseworker", "intake.log", { intakeId: ids[0]!.intakeId }, { where: "channel", cardActivityId: ids[0]!.postedId });
    expect(cardText(again.card)).toContain(`is already logged as ${record.case!.reference} (by Alice Admin)`);

    // Not casework, with a reason from the list.
    const dismissed = await teams.press("caseworker", "intake.dismiss", { intakeId: ids[1]!.intakeId, reason: "spam", note: "" }, { where: "channel", cardActivityId: ids[1]!.postedId });
    expect(cardText(dismissed.card)).toContain("Dismissed: spam — by Carl Caseworker");

    // Add to case, by reference: the email joins the case's timeline.
    const added = await teams.press("caseworker", "intake.attach", { intakeId: ids[2]!.intakeId, reference: existing.reference }, { where: "channel", cardActivityId: ids[2]!.postedId });
    expect(cardText(added.card)).toContain(`Added to ${existing.reference} by Carl Caseworker`);
    const timeline = await core.cases.showCase(teams.office.admin, existing.reference, { timelineEntries: 5 });
    expect(JSON.stringify(timeline.timeline)).toContain("About my letter");
    expect(teams.cardProblems).toEqual([]);
  });
});
