import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TestClock } from "../support/clock.ts";
import { cliWorld } from "../support/cli-world.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { letter } from "../support/office.ts";
import { SlackHarness } from "../support/slack-harness.ts";

/**
 * The office's templates from the console (issue 17): listed, shown with every version, previewed
 * merged with a case exactly as they would go out, and changed by a manager from a file.
 */
describeEachDatabase("templates at the console", (database) => {
  const clock = new TestClock("2026-12-04T10:00:00Z"); // Friday 4 December 2026
  const world = cliWorld(database, clock, {
    POSTBAG_OFFICE_NAME: "Office of the Thames Valley PCC",
    POSTBAG_OFFICE_ADDRESS: "The Farmhouse | Abingdon OX14 1RZ",
    POSTBAG_OFFICE_SIGNATURE: "Sam Signer | Head of Casework",
  });
  const files = mkdtempSync(join(tmpdir(), "postbag-templates-"));
  afterAll(() => rmSync(files, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(files, name);
    writeFileSync(path, text);
    return path;
  };
  const as = (who: string) => ["--as", who];
  let reference = "";

  it("lists the standard templates, each with who saved it", async () => {
    expect((await world.run("staff", "add", "Ann Admin", "--role", "admin,caseworker")).code).toBe(0);
    expect((await world.run("staff", "add", "Maya Manager", "--role", "manager,caseworker", ...as("Ann Admin"))).code).toBe(0);
    const listed = await world.run("template", "list", ...as("Ann Admin"));
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^\s+acknowledgement\s+email\s+v1\s+Postbag \(the standard wording\), Fri 4 Dec 2026 10:00/m);
    expect(listed.out.split("\n").filter((line) => / v\d+ /.test(line))).toHaveLength(12);
  });

  it("previews a template merged with a case: the office's own details, dates as letters write them, the reference in the subject", async () => {
    const logged = await world.run("log", "email", "2026-12-04", "Jo O'Brien", "Noise", "at", "night", "--email", "jo@example.com", "--json", ...as("Ann Admin"));
    reference = JSON.parse(logged.out).reference;
    const preview = await world.run("template", "preview", "acknowledgement", reference, ...as("Ann Admin"));
    expect(preview.code).toBe(0);
    expect(preview.out).toContain(`Subject: [${reference}] We have received your correspondence: Noise at night`);
    expect(preview.out).toContain("Dear Jo O'Brien,");
    expect(preview.out).toContain("which we received on 4 December 2026");
    expect(preview.out).toContain("We aim to send you a full response by 18 December 2026.");
    expect(preview.out).toMatch(/Yours sincerely,\n\nSam Signer\nHead of Casework\nOffice of the Thames Valley PCC$/);
    const letter = await world.run("template", "preview", "more-information", reference, "letter", ...as("Ann Admin"));
    expect(letter.out).toContain("write to us at The Farmhouse\nAbingdon OX14 1RZ, quoting your reference");
    expect(letter.out).not.toContain("Subject:");
  });

  it("a manager changes a template from a file; a field that does not exist is refused and nothing is saved", async () => {
    const bad = await world.run("template", "set", "acknowledgement", "email", file("bad.txt", "Subject: Thanks\nDear {{constituent.fullname}}"), ...as("Maya Manager"));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/\{\{constituent\.fullname\}\}, which is not a field/);
    const noSubject = await world.run("template", "set", "acknowledgement", "email", file("nosubject.txt", "Dear {{constituent.name}}"), ...as("Maya Manager"));
    expect(noSubject.err).toMatch(/Start an email template's file with its subject line/);
    const notManager = await world.run("template", "set", "acknowledgement", "email", file("ok.txt", "Subject: Thanks: {{subject}}\nDear {{constituent.name}},\n\nWe will reply by {{respondBy}}.\n"), ...as("Ann Admin"));
    expect(notManager.err).toMatch(/Only managers can change the office's templates/);

    clock.set("2026-12-04T14:15:00Z");
    const saved = await world.run("template", "set", "acknowledgement", "email", join(files, "ok.txt"), "--note", "shorter, as agreed", ...as("Maya Manager"));
    expect(saved.code).toBe(0);
    expect(saved.out).toContain("Saved acknowledgement (email) as version 2.");
    const history = await world.run("template", "history", "acknowledgement", ...as("Ann Admin"));
    expect(history.out).toMatch(/v2\s+Maya Manager, Fri 4 Dec 2026 14:15 — shorter, as agreed\n.*v1\s+Postbag/);
    const preview = await world.run("template", "preview", "acknowledgement", reference, "--json", ...as("Ann Admin"));
    expect(JSON.parse(preview.out)).toMatchObject({ version: 2, merged: { subject: "Thanks: Noise at night", text: "Dear Jo O'Brien,\n\nWe will reply by 18 December 2026." } });
    const old = await world.run("template", "show", "acknowledgement", "email", "--version", "1", ...as("Ann Admin"));
    expect(old.out).toContain("We aim to send you a full response by {{respondBy}}.");
  });
});

describeEachDatabase("templates through Slack's /case", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  it("shows and previews a template in the person's reply; changing one is the console's", async () => {
    const { reference } = await h.postbag.core.cases.logCase(h.office.admin, letter({ constituent: { name: "Jo <b>O'Brien</b>" }, subject: "Bins" }), { platform: "cli" });
    const preview = (await h.ask(`template preview acknowledgement ${reference}`, "UALICE")).text as string;
    expect(preview).toContain(`Subject: [${reference}] We have received your correspondence: Bins`);
    // The constituent's name as recorded, made inert for Slack.
    expect(preview).toContain("Dear Jo &lt;b&gt;O'Brien&lt;/b&gt;,");
    const set = (await h.ask("template set acknowledgement email ack.txt", "UMAYA")).text as string;
    expect(set).toContain("Templates are changed from the console, from a file: postbag template set acknowledgement email");
    expect(await h.postbag.db.prisma.letterTemplate.count({ where: { key: "acknowledgement", form: "email" } })).toBe(1);
  });
});
