import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { tokenize } from "../../src/bots/shared/tokenize.ts";

describe("reading command text", () => {
  it.each([
    ['log letter 2026-12-24 "Jane Doe" Speeding on Main Street', ["log", "letter", "2026-12-24", "Jane Doe", "Speeding", "on", "Main", "Street"]],
    ["log letter 2026-12-24 “Jane Doe” Speeding", ["log", "letter", "2026-12-24", "Jane Doe", "Speeding"]],
    ["note PFCC-2026-0001 it's   fine", ["note", "PFCC-2026-0001", "it's", "fine"]],
    ['log letter 2026-12-24 "Siobhán O\'Brien" Lights', ["log", "letter", "2026-12-24", "Siobhán O'Brien", "Lights"]],
    ["log letter 2026-12-24 ‘Mo’s Café’ Lights", ["log", "letter", "2026-12-24", "Mo’s Café", "Lights"]],
    ["log letter 2026-12-24 Mo’s-Café Lights", ["log", "letter", "2026-12-24", "Mo’s-Café", "Lights"]],
    ["call PFCC-2026-0001 Spoke to O'Brien --in", ["call", "PFCC-2026-0001", "Spoke", "to", "O'Brien", "--in"]],
    ["call PFCC-2026-0001 'unclosed note --in", ["call", "PFCC-2026-0001", "'unclosed", "note", "--in"]],
    ["note PFCC-2026-0001 “Dafydd ap Gruffydd” rang", ["note", "PFCC-2026-0001", "Dafydd ap Gruffydd", "rang"]],
    ["refer PFCC-2026-0001 'Thames Valley Police' 5", ["refer", "PFCC-2026-0001", "Thames Valley Police", "5"]],
    ["log letter 2026-12-24 Jane Subject —sensitive", ["log", "letter", "2026-12-24", "Jane", "Subject", "--sensitive"]],
    ['""', [""]],
    ["", []],
  ])("splits %j like a shell", (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });

  it("parses the quick log form with its flags", () => {
    expect(parseCommand('log letter 2026-12-24 "Jane Doe" Speeding on Main Street --kind complaint --theme "road safety" --theme speeding --sensitive --assign me')).toEqual({
      name: "log",
      input: {
        channel: "letter",
        receivedOn: "2026-12-24",
        constituent: { name: "Jane Doe", email: undefined, phone: undefined, address: undefined },
        subject: "Speeding on Main Street",
        summary: undefined,
        kind: "complaint",
        themes: ["road safety", "speeding"],
        sensitive: true,
        assignee: "me",
      },
    });
  });

  it.each([
    ["", { name: "help" }],
    ["log", { name: "log-form" }],
    ["show PFCC-2026-0001", { name: "show", reference: "PFCC-2026-0001" }],
    ["ack PFCC-2026-0001 email", { name: "case-action", action: "acknowledge", input: { reference: "PFCC-2026-0001", method: "email", happenedOn: undefined } }],
    ["ack PFCC-2026-0001 phone --on 2026-12-01", { name: "case-action", action: "acknowledge", input: { reference: "PFCC-2026-0001", method: "phone", happenedOn: "2026-12-01" } }],
    ["call PFCC-2026-0001 Rang her back --in", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "call_in", text: "Rang her back", happenedOn: undefined } }],
    ["email PFCC-2026-0001 Sent update", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "email_out", text: "Sent update", happenedOn: undefined } }],
    // "letter in", "call in", "email out" as people say them, and --in on a letter: a letter received.
    ["letter in PFCC-2026-0001 Their reply came", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "letter_in", text: "Their reply came", happenedOn: undefined } }],
    ["letter PFCC-2026-0001 Their reply came --in", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "letter_in", text: "Their reply came", happenedOn: undefined } }],
    ["Letter Out PFCC-2026-0001 Posted our reply", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "letter_out", text: "Posted our reply", happenedOn: undefined } }],
    ["call in PFCC-2026-0001 She rang --on 2026-12-01", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "call_in", text: "She rang", happenedOn: "2026-12-01" } }],
    ["report 2026-11 here", { name: "report", period: "2026-11", here: true }],
    ["report here", { name: "report", period: undefined, here: true }],
    ["holding PFCC-2026-0001 No news yet", { name: "case-action", action: "add_entry", input: { reference: "PFCC-2026-0001", type: "holding_reply", text: "No news yet", happenedOn: undefined } }],
    ["refer PFCC-2026-0001 Thames Valley Police 15", { name: "case-action", action: "refer", input: { reference: "PFCC-2026-0001", partner: "Thames Valley Police", workingDays: 15, text: undefined, happenedOn: undefined } }],
    ["close PFCC-2026-0001 withdrawn by phone", { name: "case-action", action: "close", input: { reference: "PFCC-2026-0001", outcome: "withdrawn", text: "by phone", happenedOn: undefined } }],
    ['edit PFCC-2026-0001 --name "Sam Smith" --subject Noise --email ""', { name: "case-action", action: "edit_details", input: { reference: "PFCC-2026-0001", name: "Sam Smith", subject: "Noise", email: "" } }],
    ["correct-date PFCC-2026-0001 2026-12-01 year typed wrong", { name: "case-action", action: "correct_receipt", input: { reference: "PFCC-2026-0001", receivedOn: "2026-12-01", reason: "year typed wrong" } }],
    ["sensitive PFCC-2026-0001 off marked by mistake", { name: "case-action", action: "set_sensitive", input: { reference: "PFCC-2026-0001", sensitive: "off", reason: "marked by mistake" } }],
    ["void PFCC-2026-0001 logged twice", { name: "case-action", action: "void", input: { reference: "PFCC-2026-0001", reason: "logged twice" } }],
    ["overdue", { name: "list", which: "overdue" }],
    ["staff add Pat Person --role caseworker,manager --slack U123", { name: "staff-add", staffName: "Pat Person", roles: "caseworker,manager", email: undefined, slackUserId: "U123", teamsUserId: undefined }],
    ["dance", { name: "help", unknown: "dance" }],
  ])("parses %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each([
    ["show", /Say which case\. Usage: show <ref>/],
    ["log letter 2026-12-24", /Give the channel, date received, constituent and subject/],
    ["assign PFCC-2026-0001", /who should have it/],
    ["staff add Pat", /--role/],
    ["search", /Say what to search for/],
  ])("%j gets its usage back", (text, message) => {
    expect(() => parseCommand(text)).toThrow(message);
  });
});
