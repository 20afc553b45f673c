import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, CASE_LOG_CHANNEL, SlackHarness } from "../support/slack-harness.ts";

const LOG_VALUES = (overrides: Record<string, unknown> = {}) => ({
  log_channel: { type: "static_select", selected_option: { value: "letter" } },
  log_received_on: { type: "datepicker", selected_date: "2026-11-24" },
  log_constituent_name: { type: "plain_text_input", value: "Mary Modal" },
  log_constituent_email: { type: "plain_text_input", value: "mary@example.com" },
  log_constituent_phone: { type: "plain_text_input", value: null as unknown as string },
  log_constituent_address: { type: "plain_text_input", value: null as unknown as string },
  log_subject: { type: "plain_text_input", value: "Anti-social behaviour in the park" },
  log_summary: { type: "plain_text_input", value: "Groups gather every night." },
  log_kind: { type: "static_select", selected_option: { value: "casework" } },
  log_themes: { type: "plain_text_input", value: "antisocial behaviour, parks" },
  log_sensitive: { type: "checkboxes", selected_options: [] },
  log_assignee: { type: "users_select", selected_user: "UCARL" },
  ...overrides,
});

describeEachDatabase("Slack: modals, buttons, shortcut and App Home", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  async function logViaCommand(text: string, user = "UALICE"): Promise<{ reference: string; blocks: any[] }> {
    const answer = await h.ask(text, user);
    return { reference: blockText(answer.blocks).match(/PFCC-2026-\d{4}/)![0], blocks: answer.blocks };
  }

  it("the log modal round trip: submitted once, or twice, it logs one case and confirms it", async () => {
    const responseUrl = h.slack.responseUrl();
    const submission = { userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOG1", privateMetadata: JSON.stringify({ responseUrl }), values: LOG_VALUES() };
    const before = await h.postbag.db.prisma.case.count();
    const [first, second] = await Promise.all([h.submitView(submission), h.submitView(submission)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await first.text()).toBe("");
    expect(await h.postbag.db.prisma.case.count()).toBe(before + 1);
    const confirmation = await h.answer(responseUrl);
    expect(blockText(confirmation.blocks)).toMatch(/Logged PFCC-2026-\d{4}/);
    const reference = blockText(confirmation.blocks).match(/PFCC-2026-\d{4}/)![0];
    const view = await h.postbag.core.cases.showCase(h.office.manager, reference);
    expect(view).toMatchObject({ channel: "letter", receivedOn: "2026-11-24", assignee: { name: "Carl Caseworker" }, themes: ["antisocial behaviour", "parks"] });
    expect(view.timeline!.entries.map((e) => [e.type, e.platform])).toEqual([["logged", "slack"], ["assigned", "slack"]]);
  });

  it("bad input in the modal comes back as field errors on the modal, and nothing is written", async () => {
    const before = await h.postbag.db.prisma.case.count();
    const future = await h.submitView({ userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOG2", privateMetadata: "{}", values: LOG_VALUES({ log_received_on: { type: "datepicker", selected_date: "2026-12-01" } }) });
    expect(await future.json()).toEqual({ response_action: "errors", errors: { log_received_on: "Date received cannot be in the future." } });
    const badEmail = await h.submitView({ userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOG3", privateMetadata: "{}", values: LOG_VALUES({ log_constituent_email: { type: "plain_text_input", value: "mary at example" } }) });
    expect(await badEmail.json()).toEqual({ response_action: "errors", errors: { log_constituent_email: "That email address does not look right." } });
    const stranger = await h.submitView({ userId: "USTRANGER", callbackId: "postbag_log_case", viewId: "VLOG4", privateMetadata: "{}", values: LOG_VALUES() });
    const pushed = (await stranger.json()) as any;
    expect(pushed.response_action).toBe("push");
    expect(blockText(pushed.view.blocks)).toMatch(/not registered/);
    expect(await h.postbag.db.prisma.case.count()).toBe(before);
  });

  it("the log modal logs a police complaint review with its outcome letter, its clock running from the start; without the letter the error is beside it and nothing is written", async () => {
    const review = { log_type: { type: "static_select", selected_option: { value: "review" } }, log_subject: { type: "plain_text_input", value: "Review of my complaint outcome" } };
    const before = await h.postbag.db.prisma.case.count();
    const noLetter = await h.submitView({ userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOGR1", privateMetadata: "{}", values: LOG_VALUES(review) });
    expect(await noLetter.json()).toEqual({ response_action: "errors", errors: { log_outcome_letter: "A police complaint review needs the date of the force's outcome letter it asks to have reviewed." } });
    expect(await h.postbag.db.prisma.case.count()).toBe(before);

    const responseUrl = h.slack.responseUrl();
    const logged = await h.submitView({ userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOGR2", privateMetadata: JSON.stringify({ responseUrl }), values: LOG_VALUES({ ...review, log_outcome_letter: { type: "datepicker", selected_date: "2026-11-02" } }) });
    expect(logged.status).toBe(200);
    const confirmation = blockText((await h.answer(responseUrl)).blocks);
    // Received Tue 24 Nov 2026: acknowledge in 5 working days (Tue 1 Dec); complete in 28: 25 Nov–24 Dec is 22, 25 and 28 Dec
    // (Boxing Day's substitute) out, 29–31 Dec (25), 1 Jan out, 4, 5, 6 Jan (28): Wed 6 Jan 2027.
    expect(confirmation).toMatch(/Logged PFCC-2026-\d{4}\. Acknowledge by Tue 1 Dec 2026; respond by Wed 6 Jan 2027\./);
    const reference = confirmation.match(/PFCC-2026-\d{4}/)![0];
    const view = await h.postbag.core.cases.showCase(h.office.manager, reference);
    expect(view.clock).toMatchObject({ type: "complaint_review", application: { inTime: true, lastDayText: "Mon 30 Nov 2026" } });
    expect(view.timeline!.entries.map((entry) => entry.type)).toEqual(["logged", "case_type_set", "assigned"]);

    // Sent to the IOPC first: the force's letter of Tue 20 Oct (last day Tue 17 Nov), the IOPC's receipt that day — in time,
    // though the office had it a week later.
    const viaIopcUrl = h.slack.responseUrl();
    await h.submitView({
      userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOGR3", privateMetadata: JSON.stringify({ responseUrl: viaIopcUrl }),
      values: LOG_VALUES({ ...review, log_outcome_letter: { type: "datepicker", selected_date: "2026-10-20" }, log_iopc_received: { type: "datepicker", selected_date: "2026-11-17" } }),
    });
    const viaIopc = blockText((await h.answer(viaIopcUrl)).blocks).match(/PFCC-2026-\d{4}/)![0];
    expect((await h.postbag.core.cases.showCase(h.office.manager, viaIopc)).clock?.application).toMatchObject({ inTime: true, lastDayText: "Tue 17 Nov 2026" });

    // A type picked by mistake is taken back with "None"; a date for a type then has its error beside it.
    const counted = await h.postbag.db.prisma.case.count();
    const none = await h.submitView({
      userId: "UALICE", callbackId: "postbag_log_case", viewId: "VLOGR4", privateMetadata: "{}",
      values: LOG_VALUES({ log_type: { type: "static_select", selected_option: { value: "none" } }, log_response_sent: { type: "datepicker", selected_date: "2026-11-02" } }),
    });
    expect(await none.json()).toEqual({
      response_action: "errors",
      errors: { log_response_sent: "That date is for a case of a statutory type: give the type too (a police complaint review for the outcome letter or the IOPC's date, an FOI internal review for the response sent)." },
    });
    expect(await h.postbag.db.prisma.case.count()).toBe(counted);
  });

  it("Acknowledge on an ephemeral card acts once, even double-clicked, and replaces the card in place", async () => {
    const { reference, blocks } = await logViaCommand('log letter 2026-11-23 "Ann Ack" Streetlights out');
    const ack = buttonsIn(blocks).find((b) => b.action_id === "postbag_acknowledge")!;
    const responseUrl = h.slack.responseUrl();
    const click = () => h.click({ userId: "UALICE", actionId: ack.action_id, value: ack.value, responseUrl, ephemeral: true, messageTs: "1700000000.111111" });
    const [a, b] = await Promise.all([click(), click()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const replaced = await h.slack.waitFor(() => h.slack.responsesTo(responseUrl).find((r) => r.replace_original === true));
    expect(blockText(replaced.blocks)).toMatch(new RegExp(`Acknowledged ${reference}\\.`));
    expect(buttonsIn(replaced.blocks).map((x) => x.action_id)).not.toContain("postbag_acknowledge");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const view = await h.postbag.core.cases.showCase(h.office.admin, reference);
    expect(view.timeline!.entries.filter((e) => e.type === "acknowledged")).toHaveLength(1);
  });

  it("a button on a stale card still acts when what it asks makes sense on the case as it now is", async () => {
    const { reference, blocks } = await logViaCommand('log letter 2026-11-23 "Sam Stale" Graffiti');
    await h.postbag.core.cases.perform(h.office.manager, "add_entry", { reference, type: "note", text: "changed elsewhere" }, { platform: "cli" });
    const ack = buttonsIn(blocks).find((b) => b.action_id === "postbag_acknowledge")!;
    const responseUrl = h.slack.responseUrl();
    await h.click({ userId: "UALICE", actionId: ack.action_id, value: ack.value, responseUrl });
    const answer = await h.answer(responseUrl);
    expect(blockText(answer.blocks)).toContain(`Acknowledged ${reference}.`);
  });

  it("a button on a case-log channel card updates that message with chat.update, sensitive details withheld", async () => {
    await logViaCommand('log letter 2026-11-23 "Sally Secret" "Son\'s mental health" --sensitive');
    const post = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === CASE_LOG_CHANNEL && /Sensitive/.test(blockText(c.body.blocks))));
    expect(blockText(post.body.blocks)).not.toMatch(/Sally|mental health/);
    const assign = buttonsIn(post.body.blocks).find((b) => b.action_id === "postbag_assign")!;
    await h.click({ userId: "UCARL", actionId: assign.action_id, value: assign.value, responseUrl: h.slack.responseUrl(), ephemeral: false, channelId: CASE_LOG_CHANNEL, messageTs: "1700000000.222222" });
    const update = await h.slack.waitFor(() => h.slack.callsTo("chat.update").find((c) => c.body.ts === "1700000000.222222"));
    expect(update.body.channel).toBe(CASE_LOG_CHANNEL);
    const text = blockText(update.body.blocks);
    expect(text).toMatch(/PFCC-2026-\d{4} is now with Carl Caseworker\./);
    expect(text).not.toMatch(/Sally|mental health/);
  });

  it("a button needing input opens its modal; submitting it records the entry and refreshes the card", async () => {
    const { reference } = await logViaCommand('log letter 2026-11-23 "Uma Update" Noise --assign UCARL', "UMAYA");
    const carl = await h.ask(`show ${reference}`, "UCARL");
    const button = buttonsIn(carl.blocks).find((b) => b.action_id === "postbag_add_entry")!;
    const cardUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: button.action_id, value: button.value, responseUrl: cardUrl, triggerId: "trigger-add-update" });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === "trigger-add-update"));
    expect(opened.body.view.callback_id).toBe("postbag_case_action");
    const empty = await h.submitView({ userId: "UCARL", callbackId: "postbag_case_action", viewId: "VACT1", privateMetadata: opened.body.view.private_metadata, values: { action_type: { type: "static_select", selected_option: { value: "call_out" } }, action_text: { type: "plain_text_input", value: "   " } } });
    expect(await empty.json()).toEqual({ response_action: "errors", errors: { action_text: "The update is required." } });
    const done = await h.submitView({ userId: "UCARL", callbackId: "postbag_case_action", viewId: "VACT1", privateMetadata: opened.body.view.private_metadata, values: { action_type: { type: "static_select", selected_option: { value: "call_out" } }, action_text: { type: "plain_text_input", value: "Rang Uma" } } });
    expect(done.status).toBe(200);
    const refreshed = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    expect(blockText(refreshed.blocks)).toMatch(/Recorded on PFCC-2026-\d{4}\./);
    expect(blockText(refreshed.blocks)).toMatch(/\*Phone call made\* — Rang Uma/);
  });

  it("the message shortcut opens the log form pre-filled with the message and a link back to it", async () => {
    const response = await h.shortcut({ userId: "UALICE", text: "Dear Commissioner, the speed cameras on the A40…", channelId: "C0INBOX", messageTs: "1700000123.000200", responseUrl: h.slack.responseUrl() });
    expect(response.status).toBe(200);
    const update = await h.slack.waitFor(() => h.slack.callsTo("views.update")[0]);
    const summary = update.body.view.blocks.find((b: any) => b.block_id === "log_summary");
    expect(summary.element.initial_value).toBe("Dear Commissioner, the speed cameras on the A40…");
    expect(JSON.parse(update.body.view.private_metadata).sourceLink).toBe("https://pfcc.slack.com/archives/C0INBOX/p1700000123000200");
  });

  it("the global shortcut Log correspondence opens the log form from anywhere; once logged, Postbag says so in the person's direct messages", async () => {
    const opensBefore = h.slack.callsTo("views.open").length;
    expect((await h.globalShortcut({ userId: "UCARL" })).status).toBe(200);
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open")[opensBefore]);
    expect(opened.body.view).toMatchObject({ callback_id: "postbag_log_case", title: { text: "Log correspondence" }, submit: { text: "Log case" } });
    expect(opened.body.view.blocks[0].element.options.map((o: any) => o.text.text)).toContain("Social media message");
    const before = await h.postbag.db.prisma.case.count();
    const submitted = await h.submitView({ userId: "UCARL", callbackId: "postbag_log_case", viewId: "VGLOBAL1", privateMetadata: opened.body.view.private_metadata, values: LOG_VALUES({ log_constituent_name: { type: "plain_text_input", value: "Gloria Global" }, log_constituent_email: { type: "plain_text_input", value: "gloria@example.com" } }) });
    expect(submitted.status).toBe(200);
    expect(await h.postbag.db.prisma.case.count()).toBe(before + 1);
    const told = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.body.channel === "UCARL" && /Logged PFCC-2026-\d{4}/.test(blockText(c.body.blocks))));
    expect(blockText(told.body.blocks)).toContain("Gloria Global");

    // Someone not registered gets the reason at once, in a modal of its own; nothing opens to fill in.
    const strangerOpens = h.slack.callsTo("views.open").length;
    await h.globalShortcut({ userId: "USTRANGER" });
    const notice = await h.slack.waitFor(() => h.slack.callsTo("views.open")[strangerOpens]);
    expect(notice.body.view.callback_id).toBeUndefined();
    expect(blockText(notice.body.view.blocks)).toMatch(/not registered/);
  });

  it("App Home lists my open cases by nearest deadline, and managers get the office's counts", async () => {
    await h.event({ type: "app_home_opened", user: "UMAYA", channel: "D0MAYA", tab: "home", event_ts: "1700000000.1" });
    const published = await h.slack.waitFor(() => h.slack.callsTo("views.publish").find((c) => c.body.user_id === "UMAYA"));
    const text = blockText(published.body.view.blocks);
    expect(text).toMatch(/\*Overdue\*\n\d+/);
    expect(text).toMatch(/\*Unassigned\*\n\d+/);
    await h.event({ type: "app_home_opened", user: "UCARL", channel: "D0CARL", tab: "home", event_ts: "1700000000.2" }, { retryNum: 1 });
    const carl = await h.slack.waitFor(() => h.slack.callsTo("views.publish").find((c) => c.body.user_id === "UCARL"));
    expect(blockText(carl.body.view.blocks)).not.toMatch(/\*Overdue\*/);
    expect(blockText(carl.body.view.blocks)).toMatch(/Your open cases/);
  });

  it("a Slack API failure is retried, and never loses the case change", async () => {
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const { reference } = await logViaCommand('log letter 2026-11-23 "Rita Retry" Parking');
    const announced = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").filter((c) => c.body.channel === CASE_LOG_CHANNEL && blockText(c.body.blocks).includes(reference)).length >= 2 && true, 8_000);
    expect(announced).toBe(true);
    h.slack.failNext("chat.postMessage", ...Array(5).fill({ status: 500 }));
    const { reference: second } = await logViaCommand('log letter 2026-11-23 "Frank Fail" Parking');
    expect((await h.postbag.core.cases.showCase(h.office.admin, second)).status).toBe("new");
  });
});
