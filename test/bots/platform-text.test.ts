import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { decodeEntities, slackText, teamsHtmlText } from "../../src/bots/shared/platform-text.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { NAME_CORPUS } from "../support/names.ts";

/** The refusal's message, or what was parsed. */
function said(input: string | string[]): string {
  try {
    return JSON.stringify(parseCommand(input));
  } catch (error) {
    if (isDomainError(error)) return `refused: ${error.message}`;
    throw error;
  }
}

describe("text from Slack and Teams is decoded once, where it arrives", () => {
  it.each([
    ["Mo&#8217;s costs &pound;5&nbsp;a day", "Mo’s costs £5 a day"],
    ["Smith &amp; Jones", "Smith & Jones"],
    ["&amp;pound; typed literally", "&pound; typed literally"],
    ["an &unknown; entity and a bare & stay", "an &unknown; entity and a bare & stay"],
  ])("entities: %j", (raw, plain) => {
    expect(decodeEntities(raw)).toBe(plain);
  });

  it.each([
    ["Smith &amp; Jones wrote &lt;b&gt;again&lt;/b&gt;", "Smith & Jones wrote <b>again</b>"],
    ["see <https://example.org/report|the report> or <https://example.org>", "see the report or https://example.org"],
    ["mail <mailto:jane@example.com|jane@example.com>", "mail jane@example.com"],
    ["ring <tel:+447700900123|07700 900123>", "ring 07700 900123"],
    ["in <#C0INBOX|inbox> with <!here>", "in #inbox with @here"],
    ["assign PFCC-2026-0001 <@UCARL|carl>", "assign PFCC-2026-0001 UCARL"],
    ["&amp;#8217; is what someone typed", "&#8217; is what someone typed"],
  ])("Slack: %j", (raw, plain) => {
    expect(slackText(raw)).toBe(plain);
  });

  it("Slack: a colleague's mention in a message taken as a summary reads as @id", () => {
    expect(slackText("Passed on by <@UCARL>", { userMention: (id) => `@${id}` })).toBe("Passed on by @UCARL");
  });

  it.each([
    ["<p>Mo&#8217;s costs &pound;5&nbsp;a day</p><p>Second&nbsp;&nbsp;para</p>", "Mo’s costs £5 a day\nSecond  para"],
    ["<div>Line<br/>break &amp; <b>bold</b></div>", "Line\nbreak & bold"],
    ["a &lt; b, said <at>Cora</at>", "a < b, said Cora"],
  ])("Teams HTML: %j", (html, plain) => {
    expect(teamsHtmlText(html)).toBe(plain);
  });

  it("Teams commands keep colleagues' mentions for the command reader", () => {
    expect(teamsHtmlText("<p>assign PFCC-2026-0001 <at>Cora Caseworker</at></p>", { keepMentions: true })).toBe("assign PFCC-2026-0001 <at>Cora Caseworker</at>");
  });
});

describe("where a name ends is never guessed", () => {
  it.each(NAME_CORPUS.map((name) => [name]))("%j quoted is read whole, on one line or as the shell's words", (name) => {
    expect(parseCommand(`log letter 2026-11-24 "${name}" Noise at night`)).toMatchObject({ name: "log", input: { constituent: { name }, subject: "Noise at night" } });
    expect(parseCommand(`log letter 2026-11-24 “${name}” Noise`)).toMatchObject({ input: { constituent: { name } } });
    expect(parseCommand(["log", "letter", "2026-11-24", name, "Noise"])).toMatchObject({ input: { constituent: { name } } });
  });

  it("an unquoted name followed by more than one word is refused with the two ways to write it", () => {
    const refusal = 'refused: Put the constituent\'s name in quotes so Postbag knows where it ends: log letter 2026-11-24 "Sam Smith" Noise — or, if it is just “Sam”: log letter 2026-11-24 Sam "Smith Noise"';
    expect(said("log letter 2026-11-24 Sam Smith Noise")).toBe(refusal);
    expect(said(["log", "letter", "2026-11-24", "Sam", "Smith", "Noise"])).toBe(refusal);
    expect(said("log letter 2026-11-24 jane doe speeding --kind complaint")).toMatch(/"jane doe" speeding … — or, if it is just “jane”: log letter 2026-11-24 jane "doe speeding" …$/);
  });

  it("is not asked when nothing is in doubt", () => {
    expect(parseCommand("log letter 2026-11-24 Ng Noise")).toMatchObject({ input: { constituent: { name: "Ng" }, subject: "Noise" } });
    expect(parseCommand(`log letter 2026-11-24 Sam "Smith Noise"`)).toMatchObject({ input: { constituent: { name: "Sam" }, subject: "Smith Noise" } });
    expect(parseCommand(["log", "letter", "2026-11-24", "Sam", "Smith Noise"])).toMatchObject({ input: { constituent: { name: "Sam" }, subject: "Smith Noise" } });
    expect(parseCommand("staff deactivate UCARL left the office")).toMatchObject({ who: "UCARL", reason: "left the office" });
    expect(parseCommand("staff deactivate carl@pfcc.example left the office")).toMatchObject({ who: "carl@pfcc.example" });
    expect(parseCommand("staff roles Carl manager caseworker")).toMatchObject({ who: "Carl", roles: "manager,caseworker" });
  });

  it("staff commands and flag values of more than one word want quotes too", () => {
    expect(said("staff roles Jane Doe manager viewer")).toBe('refused: Put the person\'s name in quotes so Postbag knows where it ends: staff roles "Jane Doe" manager viewer');
    expect(said("staff deactivate Cora Caseworker left the office")).toMatch(/^refused: Put the person's name in quotes .*: staff deactivate "Cora Caseworker" left the office — or, if it is just “Cora”: staff deactivate Cora "Caseworker left the office"$/);
    expect(said("staff reactivate Cora Caseworker")).toBe('refused: Put the person\'s name in quotes: staff reactivate "Cora Caseworker"');
    expect(said(`log letter 2026-11-24 "Sam Smith" Noise --assign Carl Caseworker`)).toBe('refused: Put the value of --assign in quotes so Postbag knows where it ends: --assign "Carl Caseworker" (or --assign "Carl", then the rest).');
    expect(said(`edit PFCC-2026-0001 --name Sam Smith`)).toMatch(/--name "Sam Smith"/);
    expect(said(`log letter 2026-11-24 "Sam Smith" Noise --assign "Carl Caseworker" --summary "Loud music"`)).not.toMatch(/refused/);
  });
});
