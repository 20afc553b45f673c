import { randomUUID } from "node:crypto";
import { encodeHTML } from "entities";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseView } from "../../src/domain/cases/case-view.ts";
import { createTeamsAdapter } from "../../src/bots/teams/teams-adapter.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { TEST_DATABASES } from "../support/databases.ts";
import { fit, HOSTILE_CORPUS, liveInSlack, liveInTeams, slackMrkdwnStrings, slackReads, teamsMarkdownStrings, teamsReads } from "../support/hostile-text.ts";
import { slackEscaped } from "../support/names.ts";
import { CASE_LOG_CHANNEL, SlackHarness } from "../support/slack-harness.ts";
import { CHANNEL_ID, conversationUpdateActivity, installationUpdateActivity } from "../support/teams-activities.ts";
import { cardsOf, TeamsHarness } from "../support/teams-harness.ts";

/**
 * Text from outside is inert: each entry of the hostile corpus, as a subject, a constituent's
 * name, a note, a partner's name and a staff member's name, goes through every surface that
 * posts — and what the fake Slack and the fake Bot Connector received has no live mention, link
 * or formatting from it, while still reading as typed.
 */
const database = TEST_DATABASES[0]!;
const cli = { platform: "cli" as const };

function slackProblems(where: string, payload: unknown): string[] {
  return slackMrkdwnStrings(payload).flatMap((text) => liveInSlack(text).map((problem) => `${where}: ${problem}`));
}

function teamsProblems(where: string, activityOrCard: Record<string, any>): string[] {
  const strings = [...teamsMarkdownStrings(activityOrCard), ...(typeof activityOrCard.text === "string" ? [activityOrCard.text] : [])];
  return strings.flatMap((text) => liveInTeams(text).map((problem) => `${where}: ${problem}`));
}

describe("text from outside is inert on Slack", () => {
  let h: SlackHarness;
  const logged: CaseView[] = [];
  beforeAll(async () => {
    h = await SlackHarness.start(database);
    const { core } = h.postbag;
    // Staff names are typed by people too: one who acts in Slack, one Postbag cannot reach (named in the digest).
    await core.staff.registerStaff(h.office.admin, { name: "<!channel> *Eve* _Hostile_", roles: "manager,caseworker", email: "eve@pfcc.example", slackUserId: "UEVE" });
    const ned = (await core.staff.registerStaff(h.office.admin, { name: "<@U012345> Ned [x](https://evil.example)", roles: "caseworker", email: "ned@pfcc.example" })).staff;
    for (const [index, entry] of HOSTILE_CORPUS.entries()) {
      const responseUrl = h.slack.responseUrl();
      const values = {
        log_channel: { type: "static_select", selected_option: { value: "email" } },
        log_received_on: { type: "datepicker", selected_date: "2026-11-19" },
        log_constituent_name: { type: "plain_text_input", value: fit(entry, 200) },
        log_constituent_email: { type: "plain_text_input", value: `c${index}@example.org` },
        log_subject: { type: "plain_text_input", value: fit(entry, 200) },
        log_summary: { type: "plain_text_input", value: entry },
        log_kind: { type: "static_select", selected_option: { value: "casework" } },
        log_themes: { type: "plain_text_input", value: fit(entry, 60) },
        log_assignee: { type: "users_select", selected_user: "UCARL" },
        log_constituent_choice: { type: "radio_buttons", selected_option: { value: "new" } },
      };
      const submitted = await h.submitView({ userId: "UMAYA", callbackId: "postbag_log_case", viewId: `V${randomUUID().slice(0, 8)}`, privateMetadata: JSON.stringify({ responseUrl }), values });
      expect(await submitted.text(), entry).toBe("");
      const answer = await h.answer(responseUrl);
      const reference = slackReads(answer.text).match(/PFCC-\d{4}-\d{4}/)![0];
      const partner = await core.partners.add(h.office.manager, { name: fit(`${entry} ${index}`, 120) }, "cli");
      const view = await core.cases.showCase(h.office.manager, reference);
      await core.cases.perform(h.office.manager, "add_entry", { reference, version: view.version, type: "note", text: entry }, cli);
      await core.cases.perform(h.office.manager, "refer", { reference, version: view.version + 1, partner: partner.name, text: entry }, cli);
      logged.push(await core.cases.showCase(h.office.manager, reference));
    }
    await core.cases.perform(h.office.manager, "assign", { reference: logged[0]!.reference, version: logged[0]!.version, assignee: ned.id }, cli);
  }, 120_000);
  afterAll(() => h?.stop());

  it("no surface that posts carries a live mention, link or formatting from it", async () => {
    const problems: string[] = [];
    // Cards and answers to commands, in the acknowledgement or at the response_url.
    for (const view of logged) problems.push(...slackProblems(`show ${view.reference}`, await h.ask(`show ${view.reference}`, "UMAYA")));
    problems.push(...slackProblems("mine", await h.ask("mine", "UCARL")));
    problems.push(...slackProblems("partner list", await h.ask("partner list", "UMAYA")));
    problems.push(...slackProblems("staff list", await h.ask("staff list", "UMAYA")));
    problems.push(...slackProblems("digest", await h.ask("digest", "UMAYA")));
    problems.push(...slackProblems("constituent show", await h.ask(`constituent show ${logged[0]!.reference}`, "UMAYA")));
    for (const entry of HOSTILE_CORPUS.slice(0, -1)) {
      problems.push(...slackProblems(`search ${entry}`, await h.ask(slackEscaped(`search ${fit(entry, 200)}`), "UMAYA")));
      problems.push(...slackProblems(`refusal ${entry}`, await h.ask(slackEscaped(`show ${fit(entry, 200)}`), "UMAYA")));
    }
    // A change announced by a person whose name is hostile, then the case-log channel and every DM.
    await h.ask(`note ${logged[1]!.reference} "${slackEscaped("<!here> *see* me")}"`, "UEVE");
    await h.ask(`assign ${logged[2]!.reference} me`, "UEVE");
    const { core } = h.postbag;
    const digest = await core.digests.previewManagerDigest(h.office.manager);
    await h.adapter.digestPublisher!.postChannelDigest("C0DIGEST", digest);
    await h.adapter.digestPublisher!.postPersonalDigest(h.office.caseworker, digest);
    await h.event({ type: "app_home_opened", user: "UCARL", tab: "home", channel: "D0CARL", event_ts: "1700000000.000001" });
    await h.slack.waitFor(() => h.slack.callsTo("views.publish").length > 0);
    for (const call of h.slack.calls) problems.push(...slackProblems(`${call.method} ${call.body.channel ?? ""}`, call.body));
    for (const response of h.slack.responses) problems.push(...slackProblems(`response ${response.path}`, response.body));
    expect(problems).toEqual([]);

    // They went where they should, and people read the words as typed.
    const posts = (channel: string) => h.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === channel);
    expect(posts(CASE_LOG_CHANNEL).length).toBeGreaterThanOrEqual(HOSTILE_CORPUS.length);
    expect(posts("UCARL").length).toBeGreaterThanOrEqual(HOSTILE_CORPUS.length);
    expect(posts("C0DIGEST").length).toBeGreaterThan(0);
    for (const view of logged) {
      const announced = posts(CASE_LOG_CHANNEL).find((call) => call.body.text.includes(view.reference))!;
      expect(slackReads(announced.body.text), view.reference).toContain(view.subject);
      const shown = slackMrkdwnStrings(announced.body.blocks).map(slackReads).join("\n");
      expect(shown, view.reference).toContain(view.subject);
      expect(shown, view.reference).toContain(view.constituent!.name);
    }
    expect(slackMrkdwnStrings(posts(CASE_LOG_CHANNEL).at(-1)!.body).map(slackReads).join("\n")).toContain("<!channel> *Eve* _Hostile_");
    expect(slackMrkdwnStrings(posts("C0DIGEST")[0]!.body).map(slackReads).join("\n")).toContain("<@U012345> Ned [x](https://evil.example)");
  });

  it("a form opened to edit a case shows its details as typed, not escaped", async () => {
    for (const view of logged.slice(0, 8)) {
      const before = h.slack.callsTo("views.open").length;
      const responseUrl = h.slack.responseUrl();
      await h.click({ userId: "UMAYA", actionId: "postbag_more", value: JSON.stringify({ a: "edit_details", r: view.reference, v: view.version }), responseUrl });
      const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open")[before]);
      const initial = (block: string) => opened.body.view.blocks.find((b: any) => b.block_id === block)?.element.initial_value;
      expect(initial("action_subject"), view.reference).toBe(view.subject);
      expect(initial("action_name"), view.reference).toBe(view.constituent!.name);
      expect(opened.body.view.blocks[0].elements[0]).toMatchObject({ type: "plain_text", text: `${view.reference}: ${view.subject}` });
    }
  });
});

describe("text from outside is inert on Teams", () => {
  let teams: TeamsHarness;
  const logged: CaseView[] = [];
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
    const { core } = teams.postbag;
    await teams.send(conversationUpdateActivity(teams.serviceUrl, teams.users.manager, "channel", "added"));
    await teams.send(installationUpdateActivity(teams.serviceUrl, teams.users.caseworker, "personal", "add"));
    for (const [index, entry] of HOSTILE_CORPUS.entries()) {
      const input = {
        channel: "email",
        receivedOn: "2026-11-19",
        constituent: { name: fit(entry, 200), email: `c${index}@example.org` },
        constituentChoice: "new",
        subject: fit(entry, 200),
        summary: entry,
        themes: [fit(entry, 60)],
        assignee: teams.office.caseworker.id,
      };
      const { reference } = await core.cases.logCase(teams.office.manager, input, cli);
      const partner = await core.partners.add(teams.office.manager, { name: fit(`${entry} ${index}`, 120) }, "cli");
      const view = await core.cases.showCase(teams.office.manager, reference);
      await core.cases.perform(teams.office.manager, "add_entry", { reference, version: view.version, type: "note", text: entry }, cli);
      await core.cases.perform(teams.office.manager, "refer", { reference, version: view.version + 1, partner: partner.name, text: entry }, cli);
      logged.push(await core.cases.showCase(teams.office.manager, reference));
    }
  }, 120_000);
  afterAll(() => teams?.stop());

  /** A message as Teams delivers it: HTML, with the person's text encoded. */
  const said = (text: string) => `<p>${encodeHTML(text)}</p>`;

  it("no card, reply, notice or digest carries a live mention, link or formatting from it", async () => {
    const problems: string[] = [];
    for (const view of logged) {
      const personal = await teams.message("manager", `show ${view.reference}`);
      const shared = await teams.message("manager", `show ${view.reference}`, { where: "channel" });
      for (const card of [personal.card, shared.card]) {
        const read = teamsMarkdownStrings(card).map(teamsReads).join("\n");
        expect(read, view.reference).toContain(view.subject);
        expect(read, view.reference).toContain(view.constituent!.name);
      }
    }
    for (const entry of HOSTILE_CORPUS.slice(0, -1)) {
      await teams.message("manager", said(`search ${fit(entry, 200)}`));
      await teams.message("manager", said(`${fit(entry, 100)} please`));
    }
    await teams.message("manager", "partner list");
    await teams.message("manager", "staff list");
    await teams.message("manager", `constituent show ${logged[0]!.reference}`);
    const forms = await Promise.all(logged.slice(0, 8).map((view) => teams.press("manager", "case.form", { reference: view.reference, version: view.version, form: "edit_details" })));
    for (const [index, form] of forms.entries()) {
      const input = (id: string) => form.card.body.find((element: any) => element.id === id)?.value;
      expect(input("subject")).toBe(logged[index]!.subject);
      expect(input("name")).toBe(logged[index]!.constituent!.name);
      problems.push(...teamsProblems(`form ${logged[index]!.reference}`, form.card));
    }

    const adapter = await createTeamsAdapter({ core: teams.postbag.core, config: loadConfig({}), logger: createLogger("silent") }, { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    const digest = await teams.postbag.core.digests.previewManagerDigest(teams.office.manager);
    await adapter.digestPublisher!.postChannelDigest(CHANNEL_ID, digest);
    const caseworker = await teams.postbag.core.staff.findById(teams.office.caseworker.id);
    await adapter.digestPublisher!.postPersonalDigest(caseworker, digest);

    for (const activity of teams.connector.activities) {
      problems.push(...teamsProblems(`activity to ${activity.conversationId}`, activity.body));
      for (const card of cardsOf(activity.body)) problems.push(...teamsProblems(`card to ${activity.conversationId}`, card));
    }
    expect(problems).toEqual([]);
    const toCarl = teams.connector.activities.filter((activity) => activity.conversationId === `a:1personal-${teams.users.caseworker.aadObjectId}`);
    expect(toCarl.length).toBeGreaterThanOrEqual(HOSTILE_CORPUS.length);
    expect(teams.connector.activities.some((activity) => activity.conversationId === CHANNEL_ID && JSON.stringify(activity.body).includes("Office digest"))).toBe(true);
    expect(teams.cardProblems).toEqual([]);
  });
});
