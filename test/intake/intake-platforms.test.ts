import { afterAll, beforeAll, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { readMail } from "../../src/intake/parse-mail.ts";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { mail } from "../support/mail.ts";
import { SlackHarness } from "../support/slack-harness.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

/** An email's words are someone else's: on Slack and Teams the intake commands show them as written, with nothing live. */
const HOSTILE = mail.plain({ from: '"<!here> Mallory" <mallory@example.com>', subject: "<!channel> *urgent* [click](https://evil.example) <@U0ADMIN>" }, "Dear all,\r\n<!everyone> _see_ <https://evil.example|your bank>\r\n# heading");

async function receive(postbag: Postbag, raw = HOSTILE, uid = 1): Promise<number> {
  const [id] = await postbag.core.intake.receive("imap:intake@mail.example/INBOX", {
    messages: [{ sourceKey: `1:${uid}`, deliveredAt: postbag.core.clock.now(), rawSize: raw.length, mail: await readMail(Buffer.from(raw)) }],
    cursor: { kind: "imap", uidValidity: 1, lastUid: uid },
  });
  return id!;
}

describeEachDatabase("mail intake on Slack and Teams", (database) => {
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

  it("Slack: /case intake lists and shows an email with its mentions and links inert, and triages it", async () => {
    const id = await receive(slack.postbag);
    const listed = (await slack.ask("intake list", "UALICE")).text as string;
    expect(listed).toContain(`#${id}`);
    expect(listed).toContain("&lt;!here&gt; Mallory &lt;mallory@example.com&gt; — &lt;!channel&gt; *urgent* [click](https://evil.example) &lt;@U0ADMIN&gt;");
    expect(listed).not.toMatch(/<!here>|<!channel>|<@U0ADMIN>/);
    const shown = (await slack.ask(`intake show ${id}`, "UALICE")).text as string;
    expect(shown).toContain("&lt;!everyone&gt; _see_ &lt;https://evil.example|your bank&gt;");
    expect(shown.startsWith("```") && shown.endsWith("```")).toBe(true);
    expect(((await slack.ask(`intake dismiss ${id} spam`, "UALICE")).text as string).split("\n")[0]).toContain(`Dismissed #${id}: spam.`);
    expect(((await slack.ask("intake list", "UVICTOR")).text as string)).toMatch(/Viewers can read cases but not change them/);
  });

  it("Teams: intake show reads the email as written, its markdown and mentions escaped", async () => {
    const id = await receive(teams.postbag);
    const shown = await teams.message("admin", `intake show ${id}`);
    const text = cardText(shown.card);
    expect(text).toContain("<!channel> *urgent* [click](https://evil.example) <@U0ADMIN>");
    // The link and the mention are escaped on the card itself: nothing Teams would make live.
    const sent = (shown.card.body as { text: string }[]).map((block) => block.text).join("\n");
    expect(sent).not.toContain("[click](");
    expect(sent).not.toContain("<@U0ADMIN>");
    const logged = await teams.message("admin", `intake log ${id} --name "Mallory"`);
    expect(cardText(logged.card)).toMatch(new RegExp(`Logged #${id} as PFCC-2026-\\d{4}`));
  });

  it("Teams: in a channel, emails are not listed or shown (everyone there would read them); deciding one says only what was done", async () => {
    const id = await receive(teams.postbag, mail.plain({ subject: "Newsletter" }, "Dear all,\r\nOur news this month."), 2);
    for (const text of ["intake list", `intake show ${id}`]) {
      const refused = await teams.message("admin", text, { where: "channel" });
      expect(cardText(refused.card ?? {}) + (refused.text ?? "")).toContain("Emails may hold personal data: read them in your direct messages with Postbag, not in a channel.");
    }
    const dismissed = await teams.message("admin", `intake dismiss ${id} spam`, { where: "channel" });
    const said = cardText(dismissed.card ?? {}) + (dismissed.text ?? "");
    expect(said).toContain(`Dismissed #${id}: spam.`);
    expect(said).not.toContain("Dear all");
  });
});
