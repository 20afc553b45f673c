import { describe, expect, it } from "vitest";
import type { CaseRecord, TimelineEntryRecord } from "../../src/domain/cases/case-record.ts";
import { decideOnOlderCard, MOST_CHANGES_SINCE, type Pressed } from "../../src/domain/cases/stale-card.ts";
import type { EntryType } from "../../src/domain/cases/vocabulary.ts";
import type { OutgoingOnCase } from "../../src/domain/letters/outgoing.ts";
import type { Actor } from "../../src/domain/staff/roles.ts";

/** Issue 18: a button on a card older than its case, decided on the case as it now is with no database. */

const now = new Date("2026-11-25T10:00:00Z");
const people = {
  admin: { id: 1, name: "Alice Admin", roles: ["admin"] },
  manager: { id: 2, name: "Maya Manager", roles: ["manager", "caseworker"] },
  carl: { id: 3, name: "Carl Caseworker", roles: ["caseworker"] },
  cora: { id: 4, name: "Cora Caseworker", roles: ["caseworker"] },
} satisfies Record<string, Actor>;

/** An open case, not yet acknowledged, as the store holds it now. */
function record(changes: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 1, reference: "PFCC-2026-0001", channel: "letter", receivedOn: "2026-11-23", loggedAt: now, subject: "Potholes", summary: "", kind: "casework",
    themes: [], sensitive: false, status: "new", constituent: { id: 1, name: "Jane", email: "jane@example.com", phone: null, address: null },
    assignee: null, cycle: 1, cycleStartedOn: "2026-11-23", acknowledgeBy: "2026-11-25", respondBy: "2026-12-07",
    acknowledgedAt: null, respondedAt: null, closedAt: null, outcome: null, lastActionAt: now, staleFlaggedAt: null, lastHoldingReplyAt: null,
    version: 5, referrals: [], clock: null, clockStopped: false, teamId: null,
    ...changes,
  };
}

function item(changes: Partial<OutgoingOnCase> = {}): OutgoingOnCase {
  return {
    number: 3, templateKey: "response", form: "email", templateVersion: 1,
    recipient: { kind: "constituent", name: "Jane", email: "jane@example.com", address: null, partnerId: null },
    subject: "[PFCC-2026-0001] Your letter", text: "Dear Jane,", status: "awaiting_approval",
    draftedBy: { id: 3, name: "Carl Caseworker" }, draftedAt: now, approvedBy: null, approvedAt: null, approvedSha256: null,
    sentBackBy: null, sentBackAt: null, sendBackComment: null, sendingSince: null, messageId: null, sentBy: null, sentAt: null,
    sha256: null, failure: null, failedAt: null, postedBy: null, postedAt: null, bouncedAt: null, bounceReason: null, bounceIntakeId: null, needsSignOff: true, approved: false,
    ...changes,
  };
}

/** An entry written since the card was shown, by `who`. */
function entry(type: EntryType, who: Actor = people.manager, detail: Record<string, unknown> = {}): TimelineEntryRecord {
  return { seq: 9, cycle: 1, at: now, recordedAt: null, type, actor: { id: who.id, name: who.name }, platform: "slack", text: "words nobody else should read", detail };
}

type Case = [label: string, pressed: Pressed, who: keyof typeof people, current: CaseRecord, since: TimelineEntryRecord[], acts: boolean, items?: OutgoingOnCase[]];

const carls = { id: 3, name: "Carl Caseworker" };
const coras = { id: 4, name: "Cora Caseworker" };

describe("a button on an older card: acted on when it still makes sense on the case as it is now", () => {
  it.each<Case>([
    // A note, a call, a referral never conflict.
    ["Acknowledge, after a note", { action: "acknowledge" }, "admin", record(), [entry("note")], true],
    ["Assign to me, after a call", { action: "assign" }, "carl", record(), [entry("call_in")], true],
    ["Add update, after another update and an acknowledgement", { action: "add_entry" }, "carl", record({ assignee: carls, status: "acknowledged", acknowledgedAt: now }), [entry("note"), entry("acknowledged")], true],
    ["Close, after a referral", { action: "close" }, "carl", record({ assignee: carls, status: "awaiting_partner" }), [entry("partner_referral", people.carl)], true],
    // What the action rests on changed: refused.
    ["Acknowledge, after someone acknowledged", { action: "acknowledge" }, "admin", record({ status: "acknowledged", acknowledgedAt: now }), [entry("acknowledged", people.cora)], false],
    ["Assign to me, to a caseworker, after Cora took it", { action: "assign" }, "carl", record({ assignee: coras }), [entry("assigned", people.cora)], false],
    ["Assign to me, to a manager (who may take it from anyone), after Cora took it", { action: "assign" }, "manager", record({ assignee: coras }), [entry("assigned", people.cora)], false],
    ["Close, after someone closed it", { action: "close" }, "carl", record({ assignee: carls, status: "closed", outcome: "withdrawn" }), [entry("closed")], false],
    ["Add update, after the case was marked sensitive (not Cora's to see)", { action: "add_entry" }, "cora", record({ assignee: carls, sensitive: true }), [entry("marked_sensitive")], false],
    ["Edit details, after someone corrected them", { action: "edit_details" }, "manager", record({ assignee: carls }), [entry("details_corrected", people.carl)], false],
    ["Edit details, after a note", { action: "edit_details" }, "manager", record({ assignee: carls }), [entry("note", people.carl)], true],
    // A letter's step rests on that letter: its words, and the sign-off given or withheld.
    ["Approve item 3, after a note", { action: "approve", value: 3 }, "manager", record({ assignee: carls }), [entry("note", people.carl)], true, [item()]],
    ["Approve item 3, after its words were changed", { action: "approve", value: 3 }, "manager", record({ assignee: carls }), [entry("outgoing_drafted", people.carl, { item: 3, redraft: true })], false, [item()]],
    ["Approve item 3, after item 4's words were changed", { action: "approve", value: 3 }, "manager", record({ assignee: carls }), [entry("outgoing_drafted", people.carl, { item: 4, redraft: true })], true, [item(), item({ number: 4 })]],
    ["Approve item 3, after another manager sent it back", { action: "approve", value: 3 }, "manager", record({ assignee: carls }), [entry("outgoing_sent_back", people.admin, { item: 3 })], false, [item({ status: "draft" })]],
    ["Approve item 3, after it was approved", { action: "approve", value: 3 }, "manager", record({ assignee: carls }), [entry("outgoing_approved", people.admin, { item: 3 })], false, [item({ status: "approved", approved: true })]],
    ["Send item 3, after a note", { action: "send", value: 3 }, "carl", record({ assignee: carls }), [entry("note")], true, [item({ status: "approved", approved: true })]],
    ["Send item 3, once it has gone", { action: "send", value: 3 }, "carl", record({ assignee: carls }), [entry("email_out", people.cora, { item: 3 })], false, [item({ status: "sent", approved: true })]],
    ["Draft an acknowledgement, after a call", { action: "draft", value: "acknowledgement" }, "carl", record({ assignee: carls }), [entry("call_out")], true, []],
    ["Draft an acknowledgement, after someone drafted one", { action: "draft", value: "acknowledgement" }, "carl", record({ assignee: carls }), [entry("outgoing_drafted", people.cora, { item: 1 })], false, [item({ number: 1, templateKey: "acknowledgement", status: "draft" })]],
    ["Draft an acknowledgement, after the address was corrected", { action: "draft", value: "acknowledgement" }, "carl", record({ assignee: carls }), [entry("details_corrected")], false, []],
  ])("%s: %s", (_label, pressed, who, current, since, acts, items) => {
    const decided = decideOnOlderCard(pressed, { record: current, actor: people[who], audience: "private", items, needsSignOff: () => false }, since);
    expect(decided.act).toBe(acts);
  });

  it("says what changed and who changed it, never what an entry says", () => {
    const decided = decideOnOlderCard({ action: "assign" }, { record: record({ assignee: coras }), actor: people.manager, audience: "private" }, [entry("note", people.carl), entry("assigned", people.cora)]);
    expect(decided).toEqual({
      act: false,
      changed: "Nothing was done: PFCC-2026-0001 changed after your card was shown (Assigned by Cora Caseworker). The card now shows PFCC-2026-0001 as it is.",
    });
    const gone = decideOnOlderCard({ action: "approve", value: 3 }, { record: record({ assignee: carls }), actor: people.manager, audience: "private", items: [item()] }, [entry("outgoing_drafted", people.carl, { item: 3 })]);
    expect(gone.act === false && gone.changed).toContain("(item 3: Letter or email drafted by Carl Caseworker)");
    expect(JSON.stringify(gone)).not.toContain("words nobody else should read");
  });

  it("refuses a card so old that more than a few dozen changes were made since", () => {
    const many = Array.from({ length: MOST_CHANGES_SINCE + 1 }, () => entry("note"));
    expect(decideOnOlderCard({ action: "add_entry" }, { record: record({ assignee: carls }), actor: people.carl, audience: "private" }, many).act).toBe(false);
    expect(decideOnOlderCard({ action: "add_entry" }, { record: record({ assignee: carls }), actor: people.carl, audience: "private" }, many.slice(1)).act).toBe(true);
  });
});
