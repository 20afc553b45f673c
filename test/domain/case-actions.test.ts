import { describe, expect, it } from "vitest";
import { WorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { CASE_ACTIONS, cardOffers, offeredActions, type CaseAction } from "../../src/domain/cases/case-actions.ts";
import type { CaseRecord } from "../../src/domain/cases/case-record.ts";
import { assertCanWork } from "../../src/domain/cases/permissions.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DEFAULT_STANDARDS } from "../../src/domain/settings.ts";
import type { Actor } from "../../src/domain/staff/roles.ts";
import type { OutgoingOnCase, OutgoingStatus } from "../../src/domain/letters/outgoing.ts";
import { WORDS_EVERY_CARD_SHOWS } from "../../src/domain/letters/letter-controls.ts";

/** The table of case actions, decided on a fixed case with no database: who may do what. */

const rules = { now: new Date("2026-11-25T10:00:00Z"), today: "2026-11-25", calendar: new WorkingCalendar("england-and-wales"), standards: { ...DEFAULT_STANDARDS, holdingReplyWorkingDays: 10 } };

const people: Record<string, Actor> = {
  admin: { id: 1, name: "Alice Admin", roles: ["admin"] },
  manager: { id: 2, name: "Maya Manager", roles: ["manager", "caseworker"] },
  assignee: { id: 3, name: "Carl Caseworker", roles: ["caseworker"] },
  other: { id: 4, name: "Cora Caseworker", roles: ["caseworker"] },
  viewer: { id: 5, name: "Victor Viewer", roles: ["viewer"] },
};

function sensitiveCase(): CaseRecord {
  return {
    id: 1, reference: "PFCC-2026-0001", channel: "letter", receivedOn: "2026-11-23", loggedAt: rules.now, subject: "s", summary: "", kind: "casework",
    themes: [], sensitive: true, status: "acknowledged", constituent: { id: 1, name: "Jane", email: null, phone: null, address: null },
    assignee: { id: 3, name: "Carl Caseworker" }, cycle: 1, cycleStartedOn: "2026-11-23", acknowledgeBy: "2026-11-25", respondBy: "2026-12-07",
    acknowledgedAt: null, respondedAt: null, closedAt: null, outcome: null, lastActionAt: rules.now, staleFlaggedAt: null, lastHoldingReplyAt: null,
    version: 1, referrals: [{ id: 1, partner: "Police", cycle: 1, sentAt: rules.now, expectedBy: "2026-12-09", repliedAt: null, chaseCount: 0, lastChasedAt: null }], clock: null, clockStopped: false, teamId: null,
  };
}

/** Valid input for each action on that case (assign names Cora, refer the County Council: each resolved beforehand). */
const INPUT: Record<CaseAction, Record<string, unknown>> = {
  acknowledge: {},
  assign: { assignee: 4 },
  add_entry: { type: "note", text: "Rang" },
  attach: { filename: "scan.pdf", bytes: new Uint8Array([37, 80, 68, 70]) },
  refer: { partner: "Council" },
  partner_reply: { text: "Done" },
  chase: {},
  respond: { text: "Reply sent" },
  close: { outcome: "withdrawn" },
  reopen: { reason: "Not satisfied" },
  link: { other: "PFCC-2026-0002", kind: "previous" },
  edit_details: { name: "Jane Smith" },
  correct_receipt: { receivedOn: "2026-11-20", reason: "Date typed wrong" },
  set_sensitive: { sensitive: "off", reason: "Marked by mistake" },
  void: { reason: "Logged twice" },
  send_new: { template: "acknowledgement", form: "letter" },
  draft: { template: "acknowledgement", form: "letter" },
  redraft: { item: 1, text: "Dear Jane, new words." },
  approve: { item: 1 },
  send_back: { item: 1, comment: "Shorter, please" },
  send: { item: 1 },
  posted: { item: 1 },
  set_type: { type: "foi" },
  stop_clock: { awaiting: "clarification", reason: "Which years?" },
  restart_clock: {},
  extend_clock: { to: "2027-01-05", reason: "Public-interest test" },
  decide_late_application: { decision: "accept", reason: "In hospital" },
  review_outcome: { outcome: "upheld", reason: "The force did not interview the witness" },
  recommend: { reason: "Interview the witness" },
  force_answer: { number: 1, answer: "accepted", reason: "Witness to be interviewed by 1 March" },
  record_satisfaction: { score: 4, how: "phone" },
  move_team: { team: "Complaints" },
};

// On a sensitive case assigned to Carl: ✓ allowed, ✗ not permitted, or the lifecycle's refusal.
const EXPECTED: Record<CaseAction, Record<keyof typeof people, "✓" | "✗" | "invalid_transition">> = {
  acknowledge: { admin: "✓", manager: "✓", assignee: "✓", other: "✓", viewer: "✗" },
  assign: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  add_entry: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  // Attaching a file: as adding a note.
  attach: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  refer: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  partner_reply: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  chase: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  respond: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  close: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  reopen: { admin: "✗", manager: "invalid_transition", assignee: "invalid_transition", other: "✗", viewer: "✗" },
  link: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  // Details: its assignee or a manager (an admin only while unassigned); date, marker and void: managers.
  edit_details: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  correct_receipt: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  set_sensitive: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  void: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  // Letters and emails: written, sent and posted by whoever may work the case; signed off (or sent back) by managers.
  // Drafting and sending in one act: as each of its two steps.
  send_new: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  draft: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  redraft: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  approve: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  send_back: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  send: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  posted: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  // Statutory clocks: set, stopped, restarted and extended by whoever may work the case; a late application decided by managers.
  set_type: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  stop_clock: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  restart_clock: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  extend_clock: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  decide_late_application: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
  // A review's finding, its recommendations and the force's answers: whoever may work the case.
  review_outcome: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  recommend: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  force_answer: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  // A constituent's answer to the satisfaction question: whoever may work the case.
  record_satisfaction: { admin: "✗", manager: "✓", assignee: "✓", other: "✗", viewer: "✗" },
  // Moving a case to another team's queue: managers.
  move_team: { admin: "✗", manager: "✓", assignee: "✗", other: "✗", viewer: "✗" },
};

/** The case each clock action is tried on: an FOI request received 23 Nov (stopped, to restart), or a review asked for out of time. */
function recordFor(name: CaseAction): CaseRecord {
  const foi = { type: "foi_request" as const, outcomeLetterOn: null, misdirectedOn: null, responseSentOn: null, events: [] };
  switch (name) {
    case "stop_clock":
    case "extend_clock":
      return { ...sensitiveCase(), clock: foi };
    case "restart_clock":
      return { ...sensitiveCase(), clock: { ...foi, events: [{ kind: "stopped", on: "2026-11-24", awaiting: "clarification", reason: "Which years?" }] }, clockStopped: true };
    case "decide_late_application":
      return { ...sensitiveCase(), clock: { ...foi, type: "complaint_review", outcomeLetterOn: "2026-10-01" } };
    case "review_outcome":
      // In time: a late application is decided before the review finds.
      return { ...sensitiveCase(), clock: { ...foi, type: "complaint_review", outcomeLetterOn: "2026-11-01" } };
    case "recommend":
      return { ...sensitiveCase(), clock: { ...foi, type: "complaint_review", outcomeLetterOn: "2026-11-01", events: [{ kind: "review_outcome", on: "2026-11-24", upheld: true, reason: "Not proportionate" }] } };
    case "record_satisfaction":
      return { ...sensitiveCase(), status: "closed", outcome: "responded" };
    case "force_answer":
      return {
        ...sensitiveCase(),
        clock: {
          ...foi,
          type: "complaint_review",
          outcomeLetterOn: "2026-11-01",
          events: [
            { kind: "review_outcome", on: "2026-11-24", upheld: true, reason: "Not proportionate" },
            { kind: "recommendation_made", on: "2026-11-24", number: 1, reason: "Interview the witness" },
          ],
        },
      };
    default:
      return sensitiveCase();
  }
}

/** A letter Carl drafted on the case, as the desk would have prepared it for each action. */
function preparedItem(name: CaseAction) {
  const item = {
    id: 9, caseId: 1, number: 1, templateKey: "acknowledgement", form: "letter" as const, templateVersion: 1,
    recipient: { kind: "constituent" as const, name: "Jane", email: null, address: "1 High Street", partnerId: null },
    subject: null, text: "Dear Jane,", status: (name === "posted" ? "sent" : "awaiting_approval") as OutgoingStatus,
    draftedBy: { id: 3, name: "Carl Caseworker" }, draftedAt: rules.now, approvedBy: null, approvedAt: null, approvedSha256: null,
    sentBackBy: null, sentBackAt: null, sendBackComment: null, sendingSince: null, messageId: null, sentBy: null, sentAt: null,
    sha256: null, failure: null, failedAt: null, postedBy: null, postedAt: null, bouncedAt: null, bounceReason: null, bounceIntakeId: null,
  };
  const file = { sha256: "b".repeat(64), filename: "letter.pdf", mediaType: "application/pdf", size: 9, source: "letter" as const };
  return { item: name === "redraft" ? { ...item, text: "Dear Jane, new words." } : item, before: item, sent: { at: rules.now, sha256: file.sha256, messageId: null, file } };
}

function outcome(name: CaseAction, actor: Actor): string {
  const spec = CASE_ACTIONS[name];
  // An act of two steps (draft, then send) is allowed where both are.
  if ("draftThenSend" in spec) return [outcome("draft", actor), outcome("send", actor)].find((said) => said !== "✓") ?? "✓";
  const input = spec.schema.parse({ reference: "PFCC-2026-0001", ...INPUT[name] });
  try {
    // What CaseService.perform checks before any decision.
    assertCanWork(actor);
    const partner = name === "refer" ? { id: 7, name: "County Council", aliases: ["Council"], replyDays: null, contact: null, active: true } : undefined;
    const file = { sha256: "a".repeat(64), filename: "scan.pdf", mediaType: "application/pdf", size: 4, source: "upload" };
    (spec.decide as unknown as (ctx: unknown) => unknown)({ actor, record: recordFor(name), input, rules, assignee: people.other, other: { id: 2, reference: "PFCC-2026-0002", linkedAlready: false }, partner, file, item: preparedItem(name), team: { id: 2, name: "Complaints", lead: null, caseTypes: ["review"], members: [] } });
    return "✓";
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.code === "not_permitted" ? "✗" : error.code;
  }
}

describe("the table of case actions", () => {
  it("has one entry per case action, and this test gives each valid input", () => {
    expect(Object.keys(CASE_ACTIONS).sort()).toEqual(Object.keys(INPUT).sort());
  });

  it.each(Object.keys(EXPECTED) as CaseAction[])("%s: who may do it on a sensitive case", (name) => {
    const got = Object.fromEntries(Object.entries(people).map(([who, actor]) => [who, outcome(name, actor)]));
    expect(got).toEqual(EXPECTED[name]);
  });
});

describe("what a case card offers, from the same table", () => {
  const open = (changes: Partial<CaseRecord> = {}): CaseRecord => ({ ...sensitiveCase(), sensitive: false, referrals: [], ...changes });
  const offered = (record: CaseRecord, who: keyof typeof people, audience: "private" | "shared" = "private") => offeredActions({ record, actor: people[who]!, audience });

  it.each([
    // [case, reader, audience, offered]
    ["new, unassigned", open({ status: "new", assignee: null }), "admin", "private", ["acknowledge", "add_entry", "refer", "respond", "close", "link", "edit_details", "draft", "set_type"]],
    ["new, unassigned", open({ status: "new", assignee: null }), "other", "private", ["acknowledge", "assign", "add_entry", "refer", "respond", "close", "link", "draft", "set_type"]],
    ["acknowledged, Carl's", open({ acknowledgedAt: rules.now }), "assignee", "private", ["add_entry", "refer", "respond", "close", "link", "edit_details", "draft", "set_type"]],
    ["acknowledged, Carl's", open({ acknowledgedAt: rules.now }), "manager", "private", ["assign", "add_entry", "refer", "respond", "close", "link", "edit_details", "correct_receipt", "set_sensitive", "void", "draft", "set_type", "move_team"]],
    ["acknowledged, Carl's", open({ acknowledgedAt: rules.now }), "viewer", "private", []],
    ["acknowledged, Carl's, in a channel", open({ acknowledgedAt: rules.now }), "viewer", "shared", ["add_entry", "refer", "respond", "close"]],
    ["sensitive, in a channel", sensitiveCase(), "manager", "shared", ["acknowledge"]],
    ["sensitive, another's", sensitiveCase(), "other", "private", ["acknowledge"]],
    ["awaiting a partner", sensitiveCase(), "assignee", "private", ["acknowledge", "add_entry", "refer", "partner_reply", "chase", "respond", "close", "link", "edit_details", "draft", "set_type"]],
    // Closed: the satisfaction question is the one letter it takes.
    ["closed", open({ status: "closed", outcome: "withdrawn" }), "assignee", "private", ["reopen", "link", "edit_details", "draft", "record_satisfaction"]],
    ["voided", open({ status: "voided" }), "manager", "private", []],
  ] as const)("%s, to %s (%s): %j", (_label, record, who, audience, expected) => {
    expect(offered(record, who, audience)).toEqual(expected);
  });
});

describe("Assign to…: the card's menu item giving a case to someone else, from the same table", () => {
  const open = (changes: Partial<CaseRecord> = {}): CaseRecord => ({ ...sensitiveCase(), sensitive: false, referrals: [], acknowledgedAt: rules.now, ...changes });
  const unassigned = open({ assignee: null });
  /** What the reader's card offers for assigning: the one-click button and the menu item that opens the picker. */
  const assigning = (record: CaseRecord, who: keyof typeof people, audience: "private" | "shared" = "private") => {
    const offers = cardOffers({ record, actor: people[who]!, audience });
    return [offers.actions.includes("assign") ? "Assign to me" : "", offers.menus.includes("assign") ? "Assign to…" : ""].filter(Boolean);
  };

  it.each([
    ["unassigned, to the admin", unassigned, "admin", "private", ["Assign to…"]],
    ["unassigned, to a manager", unassigned, "manager", "private", ["Assign to me", "Assign to…"]],
    ["unassigned, to a caseworker: only taking it", unassigned, "other", "private", ["Assign to me"]],
    ["unassigned, to a viewer", unassigned, "viewer", "private", []],
    ["Carl's, to a manager", open(), "manager", "private", ["Assign to me", "Assign to…"]],
    ["Maya's own, to Maya: handing it on", open({ assignee: { id: 2, name: "Maya Manager" } }), "manager", "private", ["Assign to…"]],
    ["Carl's, to the admin: reassigning is the manager's", open(), "admin", "private", []],
    ["Carl's, to Carl", open(), "assignee", "private", []],
    ["Carl's, to another caseworker", open(), "other", "private", []],
    ["unassigned, in a channel: the card is everyone's, so only taking it", unassigned, "manager", "shared", ["Assign to me"]],
    ["closed, to a manager", open({ status: "closed", outcome: "withdrawn" }), "manager", "private", []],
    ["voided, to a manager", open({ status: "voided" }), "manager", "private", []],
  ] as const)("%s: %j", (_label, record, who, audience, expected) => {
    expect(assigning(record, who, audience)).toEqual(expected);
  });

  it.each([
    ["unassigned", unassigned],
    ["Carl's", open()],
  ] as const)("is offered on a case %s to exactly those the core lets give it to someone else", (_label, record) => {
    for (const [who, actor] of Object.entries(people)) {
      const offered = cardOffers({ record, actor, audience: "private" }).menus.includes("assign");
      // Someone else who may hold cases: Cora, or for Cora herself, Maya.
      const someoneElse = actor.id === people.other!.id ? people.manager! : people.other!;
      const input = CASE_ACTIONS.assign.schema.parse({ reference: record.reference, assignee: someoneElse.id });
      const decided = (() => {
        try {
          assertCanWork(actor);
          CASE_ACTIONS.assign.decide!({ actor, record, input, rules, assignee: someoneElse });
          return true;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return false;
        }
      })();
      expect(offered, who).toBe(decided);
    }
  });

  it("keeps the Acknowledged earlier… menu item wherever Acknowledge is offered", () => {
    const fresh = open({ acknowledgedAt: null, status: "new" });
    for (const [who, actor] of Object.entries(people)) {
      const offers = cardOffers({ record: fresh, actor, audience: "private" });
      expect(offers.menus.includes("acknowledge"), who).toBe(offers.actions.includes("acknowledge"));
    }
  });
});

describe("the letters and emails a card offers, from the same table", () => {
  const open = (changes: Partial<CaseRecord> = {}): CaseRecord => ({ ...sensitiveCase(), sensitive: false, referrals: [], acknowledgedAt: rules.now, ...changes });
  const item = (changes: Partial<OutgoingOnCase> = {}): OutgoingOnCase => ({
    number: 1, templateKey: "response", form: "email", templateVersion: 1,
    recipient: { kind: "constituent", name: "Jane", email: "jane@example.com", address: null, partnerId: null },
    subject: "[PFCC-2026-0001] Your letter", text: "Dear Jane,", status: "draft",
    draftedBy: { id: 3, name: "Carl Caseworker" }, draftedAt: rules.now, approvedBy: null, approvedAt: null, approvedSha256: null,
    sentBackBy: null, sentBackAt: null, sendBackComment: null, sendingSince: null, messageId: null, sentBy: null, sentAt: null,
    sha256: null, failure: null, failedAt: null, postedBy: null, postedAt: null, bouncedAt: null, bounceReason: null, bounceIntakeId: null, needsSignOff: false, approved: false,
    ...changes,
  });
  /** Each control as `action:value`, with … when it opens a form. */
  const controls = (record: CaseRecord, who: keyof typeof people, items: OutgoingOnCase[], audience: "private" | "shared" = "private") =>
    cardOffers({ record, actor: people[who]!, audience, items }).variants.map((variant) => `${variant.action}:${variant.value}${variant.atOnce ? "" : "…"}`);

  it.each([
    ["a new case, to the admin: a draft of each template that applies", open({ status: "new", acknowledgedAt: null, assignee: null }), "admin", [], ["draft:acknowledgement…", "draft:response…", "draft:referral…", "draft:more-information…"]],
    ["awaiting a partner: a holding reply too", { ...sensitiveCase(), sensitive: false }, "assignee", [], ["draft:acknowledgement…", "draft:holding…", "draft:response…", "draft:referral…", "draft:more-information…"]],
    ["a draft needing no sign-off, to its writer: its words, then Send", open(), "assignee", [item()], ["draft:referral…", "draft:more-information…", "redraft:1…", "send:1"]],
    ["awaiting sign-off, to its writer: its words only", open(), "assignee", [item({ status: "awaiting_approval", needsSignOff: true })], ["draft:referral…", "draft:more-information…", "redraft:1…"]],
    ["awaiting sign-off, to a manager who did not write it: Approve and Send back", open(), "manager", [item({ status: "awaiting_approval", needsSignOff: true })], ["draft:referral…", "draft:more-information…", "redraft:1…", "approve:1", "send_back:1…"]],
    ["awaiting sign-off, words longer than every card shows whole: Approve opens a form that shows them", open(), "manager", [item({ status: "awaiting_approval", needsSignOff: true, text: "Dear Jane,\n" + "word ".repeat(200) })], ["draft:referral…", "draft:more-information…", "redraft:1…", "approve:1…", "send_back:1…"]],
    ["awaiting sign-off, to the manager who wrote it: no approving their own", open(), "manager", [item({ status: "awaiting_approval", needsSignOff: true, draftedBy: { id: 2, name: "Maya Manager" } })], ["draft:referral…", "draft:more-information…", "redraft:1…"]],
    ["approved, to its writer: Send", open(), "assignee", [item({ status: "approved", needsSignOff: true, approved: true })], ["draft:referral…", "draft:more-information…", "redraft:1…", "send:1"]],
    ["a failed send: Send again", open(), "assignee", [item({ status: "send_failed" })], ["draft:referral…", "draft:more-information…", "redraft:1…", "send:1"]],
    ["a sensitive case's email to its constituent: Send opens the form asking for the address", open({ sensitive: true }), "assignee", [item()], ["draft:referral…", "draft:more-information…", "redraft:1…", "send:1…"]],
    ["a letter made: Posted", open(), "assignee", [item({ form: "letter", status: "sent" })], ["draft:response…", "draft:referral…", "draft:more-information…", "posted:1"]],
    ["to a viewer: nothing", open(), "viewer", [item()], []],
    ["to the admin, on a sensitive case not theirs: nothing", open({ sensitive: true }), "admin", [item()], []],
    ["in a channel: nothing", open(), "assignee", [item()], [], "shared"],
    ["closed: the satisfaction question only, and no step on a letter left open", open({ status: "closed", outcome: "withdrawn" }), "assignee", [item()], ["draft:satisfaction…"]],
    ["closed, the satisfaction question drafted: sent as it is (its words are the office's, not changed on a case)", open({ status: "closed", outcome: "withdrawn" }), "assignee", [item({ templateKey: "satisfaction" })], ["send:1"]],
  ] as [string, CaseRecord, keyof typeof people, OutgoingOnCase[], string[], ("private" | "shared")?][])("%s", (_label, record, who, items, expected, audience = "private") => {
    expect(controls(record, who, items, audience)).toEqual(expected);
  });

  it("a closed case with an email address: the satisfaction question sent at once, where it needs no sign-off", () => {
    const closed = open({ status: "closed", outcome: "withdrawn", constituent: { id: 1, name: "Jane", email: "jane@example.com", phone: null, address: null } });
    const offered = (needsSignOff: (template: string) => boolean) => cardOffers({ record: closed, actor: people.assignee!, audience: "private", items: [], needsSignOff }).variants.map((variant) => `${variant.action}:${variant.value}`);
    expect(offered(() => false)).toEqual(["send_new:satisfaction", "draft:satisfaction"]);
    expect(offered((template) => template === "satisfaction")).toEqual(["draft:satisfaction"]);
  });

  it("Approve acts at once only when the subject and words, as a card shows them, fit within what every card shows whole", () => {
    const subject = "[PFCC-2026-0001] Your letter";
    const shownBesides = `Subject: ${subject}\n\n`.length;
    const approve = (text: string) => controls(open(), "manager", [item({ status: "awaiting_approval", needsSignOff: true, subject, text })]).find((control) => control.startsWith("approve:"));
    expect(approve("x".repeat(WORDS_EVERY_CARD_SHOWS - shownBesides))).toBe("approve:1");
    expect(approve("x".repeat(WORDS_EVERY_CARD_SHOWS - shownBesides + 1))).toBe("approve:1…");
  });

  /** The templates a card offers to send at once (send_new), with the office's sign-off rules as the desk gives them. */
  const sendsAtOnce = (record: CaseRecord, who: keyof typeof people, items: OutgoingOnCase[], signedOff: string[] = []) =>
    cardOffers({ record, actor: people[who]!, audience: "private", items, needsSignOff: (template) => signedOff.includes(template) })
      .variants.filter((variant) => variant.action === "send_new")
      .map((variant) => `${variant.value}: ${variant.label}${variant.atOnce ? "" : " (a form)"}`);
  const withEmail = (changes: Partial<CaseRecord> = {}) => open({ status: "new", acknowledgedAt: null, constituent: { id: 1, name: "Jane", email: "jane@example.com", phone: null, address: null }, ...changes });

  it.each([
    ["a new case with an email address: the acknowledgement, in a form that sends", withEmail(), "assignee", [], [], ["acknowledgement: Send acknowledgement… (a form)"]],
    ["awaiting a partner: the holding reply too", withEmail({ referrals: sensitiveCase().referrals }), "assignee", [], [], ["acknowledgement: Send acknowledgement… (a form)", "holding: Send holding reply… (a form)"]],
    ["acknowledged: nothing to acknowledge", withEmail({ acknowledgedAt: rules.now, status: "acknowledged" }), "assignee", [], [], []],
    ["an acknowledgement that needs sign-off: drafted, never sent at once", withEmail(), "assignee", [], ["acknowledgement"], []],
    ["no email address: a letter is drafted, never sent at once", open({ status: "new", acknowledgedAt: null }), "assignee", [], [], []],
    ["an acknowledgement already drafted: sent from beside its words instead", withEmail(), "assignee", [item({ templateKey: "acknowledgement" })], [], []],
    ["a sensitive case's assignee: offered (its form asks the address again)", withEmail({ sensitive: true }), "assignee", [], [], ["acknowledgement: Send acknowledgement… (a form)"]],
    ["a sensitive case, to the admin: nothing", withEmail({ sensitive: true }), "admin", [], [], []],
    ["to a viewer: nothing", withEmail(), "viewer", [], [], []],
  ] as [string, CaseRecord, keyof typeof people, OutgoingOnCase[], string[], string[]][])("sent at once: %s", (_label, record, who, items, signedOff, expected) => {
    expect(sendsAtOnce(record, who, items, signedOff)).toEqual(expected);
  });
});
