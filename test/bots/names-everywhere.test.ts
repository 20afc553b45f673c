import { randomUUID } from "node:crypto";
import { encodeHTML } from "entities";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { TestClock } from "../support/clock.ts";
import { cliWorld } from "../support/cli-world.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { NAME_CORPUS, slackEscaped } from "../support/names.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { messageActionFetchTask } from "../support/teams-activities.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/**
 * Every name of the corpus (apostrophes straight and curly, hyphens, accents, Welsh and Irish
 * names, one word, another script, an ampersand) is stored and shown back exactly as written,
 * whichever surface it came through and however that platform encoded it on the way.
 */
const REFERENCE = /PFCC-\d{4}-\d{4}/;
const UNQUOTED = 'Put the constituent\'s name in quotes so Postbag knows where it ends: log letter 2026-11-24 "Sam Smith" Noise — or, if it is just “Sam”: log letter 2026-11-24 Sam "Smith Noise"';

describeEachDatabase("names are kept as written on every surface", (database) => {
  describe("the CLI", () => {
    const clock = new TestClock("2026-11-25T10:00:00Z");
    const postbag = cliWorld(database, clock).run;
    beforeAll(async () => {
      await postbag("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@pfcc.example");
    });

    it("logs and shows each name unchanged", async () => {
      for (const name of NAME_CORPUS) {
        const logged = await postbag("log", "letter", "2026-11-24", name, "Noise", "--as", "alice@pfcc.example");
        expect(logged.err, name).toBe("");
        expect(logged.out, name).toContain(`Constituent: ${name}`);
      }
      const stored = JSON.parse((await postbag("unassigned", "--as", "alice@pfcc.example", "--json")).out);
      expect(stored.map((view: { constituent: { name: string } }) => view.constituent.name).sort()).toEqual([...NAME_CORPUS].sort());
    });

    it("refuses an unquoted name of more than one word, and writes nothing", async () => {
      const refused = await postbag("log", "letter", "2026-11-24", "Sam", "Smith", "Noise", "--as", "alice@pfcc.example");
      expect(refused).toMatchObject({ code: 1, out: "", err: UNQUOTED });
      expect(JSON.parse((await postbag("search", "Sam", "--as", "alice@pfcc.example", "--json")).out)).toEqual([]);
    });
  });

  describe("Slack", () => {
    let h: SlackHarness;
    beforeAll(async () => {
      h = await SlackHarness.start(database);
    });
    afterAll(() => h?.stop());

    const modalValues = (name: string) => ({
      log_channel: { type: "static_select", selected_option: { value: "letter" } },
      log_received_on: { type: "datepicker", selected_date: "2026-11-24" },
      log_constituent_name: { type: "plain_text_input", value: name },
      log_constituent_email: { type: "plain_text_input", value: null as unknown as string },
      log_constituent_phone: { type: "plain_text_input", value: null as unknown as string },
      log_constituent_address: { type: "plain_text_input", value: null as unknown as string },
      log_subject: { type: "plain_text_input", value: "Noise" },
      log_summary: { type: "plain_text_input", value: null as unknown as string },
      log_kind: { type: "static_select", selected_option: { value: "casework" } },
      log_themes: { type: "plain_text_input", value: null as unknown as string },
      log_sensitive: { type: "checkboxes", selected_options: [] },
    });

    it("the log modal stores each name as typed, and its confirmation shows it", async () => {
      for (const name of NAME_CORPUS) {
        const responseUrl = h.slack.responseUrl();
        const submitted = await h.submitView({ userId: "UALICE", callbackId: "postbag_log_case", viewId: `V${randomUUID().slice(0, 8)}`, privateMetadata: JSON.stringify({ responseUrl }), values: modalValues(name) });
        expect(await submitted.text(), name).toBe("");
        const shown = blockText((await h.answer(responseUrl)).blocks);
        expect(shown, name).toContain(slackEscaped(name));
        const reference = shown.match(REFERENCE)![0];
        expect((await h.postbag.core.cases.showCase(h.office.manager, reference)).constituent?.name, name).toBe(name);
      }
    });

    it("/case log on one line, as Slack escapes it, stores each name as typed and shows it back", async () => {
      for (const name of NAME_CORPUS) {
        const answer = await h.ask(slackEscaped(`log letter 2026-11-24 "${name}" Noise --new-person`), "UALICE");
        const shown = blockText(answer.blocks ?? []);
        expect(shown, `${name}: ${answer.text}`).toContain(slackEscaped(name));
        const reference = shown.match(REFERENCE)![0];
        expect((await h.postbag.core.cases.showCase(h.office.manager, reference)).constituent?.name, name).toBe(name);
      }
    });

    it("an unquoted name of more than one word is refused with the way to write it, and nothing is written", async () => {
      const before = await h.postbag.db.prisma.case.count();
      expect((await h.ask("log letter 2026-11-24 Sam Smith Noise", "UALICE")).text).toBe(`:warning: ${UNQUOTED}`);
      expect(await h.postbag.db.prisma.case.count()).toBe(before);
    });

    it("the message shortcut's summary is the message as people read it: escapes, links and addresses decoded once", async () => {
      const text = "Smith &amp; Jones: see <https://example.org/r|the report>, £5 &lt;each&gt;; write to <mailto:sj@example.org|sj@example.org>. Typed: &amp;pound;";
      await h.shortcut({ userId: "UALICE", text, channelId: "C0INBOX", messageTs: "1700000123.000300", responseUrl: h.slack.responseUrl() });
      const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((call) => JSON.stringify(call.body).includes("Smith")));
      const summary = opened.body.view.blocks.find((block: any) => block.block_id === "log_summary");
      expect(summary.element.initial_value).toBe("Smith & Jones: see the report, £5 <each>; write to sj@example.org. Typed: &pound;");
    });
  });

  describe("Teams", () => {
    let teams: TeamsHarness;
    beforeAll(async () => {
      teams = await TeamsHarness.start(database);
    });
    afterAll(() => teams?.stop());

    const stored = async (card: Record<string, any>) => {
      const reference = cardText(card).match(REFERENCE)![0];
      return (await teams.postbag.core.cases.showCase(teams.office.manager, reference)).constituent?.name;
    };

    it("the log form stores each name as typed, and the card shows it", async () => {
      for (const name of NAME_CORPUS) {
        const values = { formId: randomUUID(), channel: "letter", receivedOn: "2026-11-24", "constituent.name": name, subject: "Noise", sensitive: "false" };
        const { card } = await teams.press("admin", "case.log", values);
        expect(cardText(card), name).toContain(`Constituent: ${name}`);
        expect(await stored(card), name).toBe(name);
      }
    });

    it("text commands, plain or as Teams' HTML with entities, store each name as typed", async () => {
      for (const name of NAME_CORPUS) {
        const command = `log letter 2026-11-24 "${name}" Noise --new-person`;
        for (const text of [command, `<p>${encodeHTML(command)}</p>`]) {
          const { card } = await teams.message("admin", text);
          expect(cardText(card), text).toContain(`Constituent: ${name}`);
          expect(await stored(card), text).toBe(name);
        }
      }
    });

    it("an unquoted name of more than one word is refused with the way to write it, and nothing is written", async () => {
      const before = await teams.postbag.db.prisma.case.count();
      expect((await teams.message("admin", "log letter 2026-11-24 Sam Smith Noise")).text).toContain(UNQUOTED);
      expect(await teams.postbag.db.prisma.case.count()).toBe(before);
    });

    it("a summary written in Teams' HTML (&#8217; &pound; &nbsp;) is stored as the characters it stands for", async () => {
      const { card } = await teams.message("admin", '<p>log letter 2026-11-24 Ng Noise --new-person --summary "Mo&#8217;s costs &pound;5&nbsp;a day &amp; more"</p>');
      const reference = cardText(card).match(REFERENCE)![0];
      expect((await teams.postbag.core.cases.showCase(teams.office.manager, reference)).summary).toBe("Mo’s costs £5 a day & more");
    });

    it("the Log as case action fills the form with the message's words, entities decoded", async () => {
      const html = "<p>Mo&#8217;s Caf&eacute; writes: it costs &pound;5&nbsp;a day &amp; more</p>";
      const fetched = await teams.send(messageActionFetchTask(teams.serviceUrl, teams.users.admin, { html, createdDateTime: "2026-11-24T16:30:00.000Z" }));
      const form = fetched.body.task.value.card.content;
      expect(form.body.find((element: any) => element.id === "summary").value).toBe("Mo’s Café writes: it costs £5 a day & more");
    });
  });
});
