import { describe, expect, it } from "vitest";
import { escapeMrkdwn, mrkdwn, slackCode } from "../../src/bots/slack/views/slack-text.ts";
import { teamsText } from "../../src/bots/teams/cards/teams-text.ts";
import { HOSTILE_CORPUS, liveInSlack, liveInTeams, slackReads, teamsReads } from "../support/hostile-text.ts";
import { NAME_CORPUS } from "../support/names.ts";

describe("text from outside is escaped once, where it leaves for each platform", () => {
  it.each([
    ["<!here> click <https://evil.example|your case>", "&lt;!here&gt; click &lt;https://evil.example|your case&gt;"],
    ["*bold* _x_ ~x~ `code`", "∗bold∗ ˍxˍ ∼x∼ ˋcodeˋ"],
    ["john_smith@example.org pays 2*3", "john_smith@example.org pays 2*3"],
    ["> quoted\nnot > quoted", "\u200B&gt; quoted\nnot &gt; quoted"],
    ["&lt;!here&gt;", "&amp;lt;!here&amp;gt;"],
  ])("Slack mrkdwn: %j", (typed, sent) => {
    expect(escapeMrkdwn(typed)).toBe(sent);
    expect(slackReads(sent)).toBe(typed);
  });

  it.each([
    ["<at>Someone</at> [link](https://evil.example)", "\\<at\\>Someone\\</at\\> \\[link\\]\\(https://evil.example)"],
    ["*bold* _x_ ~x~ `code` a\\b", "\\*bold\\* \\_x\\_ \\~x\\~ \\`code\\` a\\\\b"],
    ["# heading\n1. listed\n- bullet\n> quoted", "\\# heading\n1\\. listed\n\\- bullet\n\\> quoted"],
    ["&lt;!here&gt; but Smith & Jones", "\\&lt;!here\\&gt; but Smith & Jones"],
    ["{{DATE(2026-11-24T10:00:00Z, SHORT)}}", "{\\{DATE(2026-11-24T10:00:00Z, SHORT)}}"],
    ["Closed (responded).", "Closed (responded)."],
  ])("Teams markdown: %j", (typed, sent) => {
    expect(teamsText(typed)).toBe(sent);
    expect(teamsReads(sent)).toBe(typed);
  });

  it("leaves nothing of the corpus live, and every name reads as written", () => {
    for (const typed of HOSTILE_CORPUS) {
      expect(liveInSlack(escapeMrkdwn(typed)), typed).toEqual([]);
      expect(liveInTeams(teamsText(typed)), typed).toEqual([]);
      expect(slackReads(escapeMrkdwn(typed))).toBe(typed);
      expect(teamsReads(teamsText(typed))).toBe(typed);
    }
    for (const name of NAME_CORPUS) expect(teamsReads(teamsText(name))).toBe(name);
  });

  it("clips without leaving half an escape, and keeps code spans closed", () => {
    expect(mrkdwn("a".repeat(8) + "<b>", 10)).toBe("aaaaaaaa…");
    expect(teamsText("a".repeat(8) + "*b*", 10)).toBe("aaaaaaaa\\*…");
    expect(slackCode("x``` *y* <!here>")).toBe("xˋˋˋ *y* &lt;!here&gt;");
  });
});
