import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { TestClock } from "../support/clock.ts";
import { refusal } from "../support/refusal.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const cli = { platform: "cli" as const };


describeEachDatabase("case operations", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-11-25T10:00:00Z"); // Wed 25 Nov 2026

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());
  beforeEach(() => clock.set("2026-11-25T10:00:00Z"));

  const cases = () => postbag.core.cases;
  const countRows = async (table: string) =>
    (await postbag.db.transaction((tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`)))[0]!.n;

  describe("logging", () => {
    it("a letter found late is logged with its true receipt date, and its clock has been running since", async () => {
      const view = await cases().logCase(office.admin, letter({ receivedOn: "2026-11-19" }), cli);
      expect(view.reference).toMatch(/^PFCC-2026-\d{4}$/);
      expect(view.status).toBe("new");
      expect(view.receivedOn).toBe("2026-11-19");
      expect(view.acknowledgeBy).toBe("2026-11-23");
      expect(view.respondBy).toBe("2026-12-03");
      expect(view.acknowledgement.state).toBe("overdue");
      expect(view.acknowledgement.workingDaysLate).toBe(2);
      expect(view.timeline?.entries.map((e) => [e.type, e.actor, e.platform])).toEqual([["logged", "Alice Admin", "cli"]]);
    });

    it("answers with the case exactly as it was stored, whoever it is assigned to and whoever wrote before", async () => {
      await cases().logCase(office.admin, letter({ constituent: { name: "Olive Oyl", email: "olive@example.com", address: "1 Quay Street" } }), cli);
      const input = letter({
        constituent: { name: "olive oyl", email: "OLIVE@example.com", phone: "01234 567890" },
        kind: "complaint",
        themes: ["roads", "speeding"],
        sensitive: true,
        assignee: "Carl Caseworker",
        summary: "A longer account.",
      });
      for (const timelineEntries of [undefined, 1]) {
        const logged = await cases().logCase(office.manager, input, { platform: "slack", requestKey: `same-as-stored:${timelineEntries}` }, { timelineEntries });
        const stored = await cases().showCase(office.manager, logged.reference, { timelineEntries });
        expect(logged).toEqual(stored);
        expect(logged.timeline?.total).toBe(2);
        expect(logged.timeline?.entries.length).toBe(timelineEntries ?? 2);
      }
    });

    it("refuses a receipt date in the future, writing nothing", async () => {
      const before = await countRows("case");
      const error = await refusal(cases().logCase(office.admin, letter({ receivedOn: "2026-11-26" }), cli));
      expect(error.code).toBe("invalid_input");
      expect(error.field).toBe("receivedOn");
      expect(error.message).toBe("Date received cannot be in the future.");
      expect(await countRows("case")).toBe(before);
    });

    it.each([
      [{ channel: "pigeon" }, "channel", /Channel must be one of: letter, hand-delivered/],
      [{ receivedOn: "2026-02-30" }, "receivedOn", /real date/],
      [{ subject: "   " }, "subject", /Subject is required/],
      [{ kind: "rant" }, "kind", /Kind must be one of/],
      [{ constituent: { name: "X", email: "not-an-email" } }, "constituent.email", /email address/],
      [{ subject: "x".repeat(201) }, "subject", /too long/],
    ])("refuses bad input %j with a message naming the field", async (overrides, field, message) => {
      const error = await refusal(cases().logCase(office.admin, letter(overrides), cli));
      expect(error.code).toBe("invalid_input");
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    });

    it("a viewer cannot log", async () => {
      const error = await refusal(cases().logCase(office.viewer, letter(), cli));
      expect(error.code).toBe("not_permitted");
    });

    it("keeps one constituent's cases together by name and email", async () => {
      const first = await cases().logCase(office.admin, letter({ constituent: { name: "Robert Roe", email: "rob@example.com" } }), cli);
      const second = await cases().logCase(office.admin, letter({ constituent: { name: "robert roe", email: "ROB@example.com" } }), cli);
      const ids = await postbag.db.prisma.case.findMany({ where: { reference: { in: [first.reference, second.reference] } }, select: { constituentId: true } });
      expect(new Set(ids.map((row) => row.constituentId)).size).toBe(1);
    });

    it("the same request delivered many times, at once and later, logs one case", async () => {
      const before = await countRows("case");
      const request = { platform: "slack" as const, requestKey: `slack:test:${Math.random()}` };
      const input = letter();
      const [a, ...others] = await Promise.all(Array.from({ length: 6 }, () => cases().logCase(office.admin, input, request)));
      const again = await cases().logCase(office.admin, input, request);
      for (const other of others) expect(other.reference).toBe(a!.reference);
      expect(again.reference).toBe(a!.reference);
      expect(await countRows("case")).toBe(before + 1);
    });

    it("a retry is answered with the case it logged, though the person it made now matches the name only and a new request would be asked who they are", async () => {
      const before = await countRows("case");
      const request = { platform: "slack" as const, requestKey: `slack:test:${Math.random()}` };
      const input = letter({ constituent: { name: "Morwenna Retry" } });
      const first = await cases().logCase(office.admin, input, request);
      expect((await cases().logCase(office.admin, input, request)).reference).toBe(first.reference);
      await expect(cases().logCase(office.admin, input, cli)).rejects.toMatchObject({ message: expect.stringContaining("may be someone already on record") });
      expect(await countRows("case")).toBe(before + 1);
    });
  });

  describe("the whole journey", () => {
    it("log, acknowledge, assign, call, refer, partner reply, respond, close, reopen and search — every step on the timeline", async () => {
      const logged = await cases().logCase(office.admin, letter({ constituent: { name: "Journey Jones", phone: "01234 567899" } }), cli);
      const ref = logged.reference;
      await cases().perform(office.admin, "acknowledge", { reference: ref, method: "letter" }, cli);
      await cases().perform(office.manager, "assign", { reference: ref, assignee: "carl@pfcc.example" }, cli);
      const called = (await cases().perform(office.caseworker, "add_entry", { reference: ref, type: "call_out", text: "Rang Mr Jones" }, { platform: "slack" })).view;
      expect(called.status).toBe("in_progress");
      const referred = (await cases().perform(office.caseworker, "refer", { reference: ref, partner: "Thames Valley Police" }, { platform: "teams" })).view;
      expect(referred.status).toBe("awaiting_partner");
      expect(referred.referrals[0]).toMatchObject({ partner: "Thames Valley Police", expectedBy: "2026-12-09", repliedOn: null });
      const chased = (await cases().perform(office.caseworker, "chase", { reference: ref }, cli)).view;
      expect(chased.referrals[0]!.chaseCount).toBe(1);
      const replied = (await cases().perform(office.caseworker, "partner_reply", { reference: ref, text: "Extra patrols from Monday" }, cli)).view;
      expect(replied.status).toBe("in_progress");
      expect(replied.referrals[0]!.repliedOn).toBe("2026-11-25");
      const responded = (await cases().perform(office.caseworker, "respond", { reference: ref, text: "Wrote explaining the patrols" }, cli)).view;
      expect(responded.status).toBe("responded");
      expect(responded.response.state).toBe("met");
      const closed = (await cases().perform(office.caseworker, "close", { reference: ref, outcome: "responded" }, cli)).view;
      expect(closed.status).toBe("closed");

      clock.set("2026-12-01T11:00:00Z");
      const reopened = (await cases().perform(office.caseworker, "reopen", { reference: ref, reason: "Still speeding" }, cli)).view;
      expect(reopened.status).toBe("in_progress");
      expect(reopened.cycle).toBe(2);
      expect(reopened.respondBy).toBe("2026-12-15");
      expect(reopened.outcome).toBeNull();

      const found = await cases().searchCases(office.caseworker, "journey");
      expect(found.map((v) => v.reference)).toEqual([ref]);
      expect((await cases().searchCases(office.caseworker, "567899")).map((v) => v.reference)).toEqual([ref]);

      const shown = await cases().showCase(office.caseworker, ref.toLowerCase());
      expect(shown.timeline!.entries.map((e) => [e.seq, e.type, e.cycle, e.platform])).toEqual([
        [1, "logged", 1, "cli"],
        [2, "acknowledged", 1, "cli"],
        [3, "assigned", 1, "cli"],
        [4, "call_out", 1, "slack"],
        [5, "partner_referral", 1, "teams"],
        [6, "partner_chase", 1, "cli"],
        [7, "partner_reply", 1, "cli"],
        [8, "responded", 1, "cli"],
        [9, "closed", 1, "cli"],
        [10, "reopened", 2, "cli"],
      ]);
      expect(shown.timeline!.entries.map((e) => e.actor)).toEqual([
        "Alice Admin", "Alice Admin", "Maya Manager", ...Array(7).fill("Carl Caseworker"),
      ]);
    });
  });

  describe("lifecycle rules", () => {
    it("closing as responded needs a full response first; other outcomes close at once", async () => {
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      const error = await refusal(cases().perform(office.admin, "close", { reference, outcome: "responded" }, cli));
      expect(error.code).toBe("invalid_transition");
      expect(error.message).toMatch(/no full response yet/);
      const closed = (await cases().perform(office.admin, "close", { reference, outcome: "withdrawn", text: "Constituent withdrew" }, cli)).view;
      expect(closed.outcome).toBe("withdrawn");
      expect(closed.response.state).toBe("not_applicable");
    });

    it("a closed case refuses work until it is reopened", async () => {
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      await cases().perform(office.admin, "close", { reference, outcome: "withdrawn" }, cli);
      const error = await refusal(cases().perform(office.admin, "add_entry", { reference, type: "note", text: "late note" }, cli));
      expect(error.message).toMatch(/is closed.*Reopen it first/);
      const reopenOpen = await refusal(cases().perform(office.admin, "reopen", { reference: (await cases().logCase(office.admin, letter(), cli)).reference, reason: "x" }, cli));
      expect(reopenOpen.code).toBe("invalid_transition");
    });

    it("acknowledging twice is refused, and a full response counts as the acknowledgement", async () => {
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      await cases().perform(office.admin, "acknowledge", { reference }, cli);
      expect((await refusal(cases().perform(office.admin, "acknowledge", { reference }, cli))).message).toMatch(/already acknowledged/);
      // Received Tue 24 Nov, acknowledgement due Thu 26 Nov: a full response on Wed 25 Nov is in time for both.
      const other = await cases().logCase(office.admin, letter({ receivedOn: "2026-11-24" }), cli);
      const responded = (await cases().perform(office.admin, "respond", { reference: other.reference, text: "Full reply" }, cli)).view;
      expect(responded.acknowledgement).toMatchObject({ state: "met", doneOn: "2026-11-25", workingDaysLate: 0 });
      expect(responded.response).toMatchObject({ state: "met", doneOn: "2026-11-25" });
    });

    it("a deadline met late says so: the day it was done and how many working days late", async () => {
      // Received Mon 16 Nov: acknowledgement due Wed 18 Nov, response due Mon 30 Nov.
      const { reference } = await cases().logCase(office.admin, letter({ receivedOn: "2026-11-16" }), cli);
      clock.set("2026-12-02T11:00:00Z"); // Wed 2 Dec
      const acknowledged = (await cases().perform(office.admin, "acknowledge", { reference }, cli)).view;
      expect(acknowledged.acknowledgement).toEqual({
        step: "acknowledgement", due: "2026-11-18", dueText: "Wed 18 Nov 2026", state: "done_late",
        doneOn: "2026-12-02", doneText: "Wed 2 Dec 2026", workingDaysLate: 10, daysLate: 10, unit: "working_days",
      });
      expect(acknowledged.response).toMatchObject({ state: "overdue", workingDaysLate: 2 });
      await cases().perform(office.caseworker, "refer", { reference, partner: "Police", workingDays: 1 }, cli); // reply expected Thu 3 Dec
      clock.set("2026-12-07T11:00:00Z"); // Mon 7 Dec
      const replied = (await cases().perform(office.caseworker, "partner_reply", { reference, text: "Done" }, cli)).view;
      expect(replied.referrals[0]!.reply).toMatchObject({ step: "partner_reply", state: "done_late", doneOn: "2026-12-07", workingDaysLate: 2 });
      const responded = (await cases().perform(office.caseworker, "respond", { reference, text: "Full reply" }, cli)).view;
      expect(responded.response).toMatchObject({ state: "done_late", due: "2026-11-30", doneText: "Mon 7 Dec 2026", workingDaysLate: 5 });
    });

    it("an unknown reference is named, with a way to find the case", async () => {
      const error = await refusal(cases().showCase(office.admin, "PFCC-2026-9999"));
      expect(error.code).toBe("case_not_found");
      expect(error.message).toBe("No case PFCC-2026-9999. Find it with: search <name or subject>.");
      expect((await refusal(cases().showCase(office.admin, "hello"))).code).toBe("invalid_input");
    });

    it("a partner reply or chase without a referral is refused; several referrals need the partner named", async () => {
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      expect((await refusal(cases().perform(office.admin, "chase", { reference }, cli))).message).toMatch(/no referral awaiting a reply/);
      await cases().perform(office.admin, "acknowledge", { reference }, cli);
      await cases().perform(office.admin, "refer", { reference, partner: "Police", workingDays: 5 }, cli);
      await cases().perform(office.admin, "refer", { reference, partner: "County Council" }, cli);
      expect((await refusal(cases().perform(office.admin, "partner_reply", { reference, text: "ok" }, cli))).message).toMatch(/several partners/);
      const replied = (await cases().perform(office.admin, "partner_reply", { reference, partner: "police", text: "ok" }, cli)).view;
      expect(replied.status).toBe("awaiting_partner");
      expect(replied.referrals.find((r) => r.partner === "Police")!.repliedOn).not.toBeNull();
    });
  });

  describe("authorisation", () => {
    it("only registered staff act; a caseworker may take an unassigned case but only managers reassign", async () => {
      expect((await refusal(postbag.core.staff.resolveActor({ slackUserId: "UNOBODY" }))).code).toBe("not_registered");
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      expect((await refusal(cases().perform(office.caseworker, "assign", { reference, assignee: "cora@pfcc.example" }, cli))).code).toBe("not_permitted");
      const mine = (await cases().perform(office.caseworker, "assign", { reference, assignee: "me" }, cli)).view;
      expect(mine.assignee?.name).toBe("Carl Caseworker");
      const stolen = await refusal(cases().perform(office.otherCaseworker, "assign", { reference, assignee: "me" }, cli));
      expect(stolen.message).toBe(`Only managers can reassign: ${reference} is assigned to Carl Caseworker.`);
      const reassigned = (await cases().perform(office.manager, "assign", { reference, assignee: "Cora Caseworker" }, cli)).view;
      expect(reassigned.assignee?.name).toBe("Cora Caseworker");
      expect((await refusal(cases().perform(office.manager, "assign", { reference, assignee: "victor@pfcc.example" }, cli))).message).toMatch(/not a caseworker or manager/);
      expect((await refusal(cases().perform(office.viewer, "add_entry", { reference, type: "note", text: "hi" }, cli))).code).toBe("not_permitted");
    });

    it("a sensitive case is shown in full only to its assignee and managers, never in a shared channel", async () => {
      const logged = await cases().logCase(
        office.admin,
        letter({ sensitive: true, subject: "Son's mental health crisis", constituent: { name: "Sally Secret", email: "sally@example.com" }, assignee: "carl@pfcc.example" }),
        cli,
      );
      const ref = logged.reference;
      const asAssignee = await cases().showCase(office.caseworker, ref);
      expect(asAssignee.redacted).toBe(false);
      expect(asAssignee.constituent?.name).toBe("Sally Secret");
      const asManager = await cases().showCase(office.manager, ref);
      expect(asManager.summary).toContain("Cars race");
      for (const view of [await cases().showCase(office.otherCaseworker, ref), await cases().showCase(office.caseworker, ref, { audience: "shared" })]) {
        expect(view.redacted).toBe(true);
        expect(JSON.stringify(view)).not.toMatch(/Sally|sally@|mental health|Cars race/);
        expect(view.respondBy).toBe(logged.respondBy);
      }
      expect((await refusal(cases().perform(office.otherCaseworker, "add_entry", { reference: ref, type: "note", text: "x" }, cli))).message).toMatch(/sensitive/);
      // A search by name finds the case for others too, by its reference alone: they ask, rather than log a duplicate.
      const found = await cases().searchCases(office.otherCaseworker, "Sally");
      expect(found.map((v) => [v.reference, v.redacted, v.subject, v.constituent])).toEqual([[ref, true, null, null]]);
      expect(JSON.stringify(found)).not.toMatch(/Sally|sally@|mental health|Cars race/);
      expect((await cases().searchCases(office.manager, "Sally")).map((v) => v.reference)).toEqual([ref]);
    });
  });

  describe("concurrency", () => {
    it("two people changing the same case at once: one wins, the other is told it changed meanwhile", async () => {
      const { reference, version } = await cases().logCase(office.admin, letter(), cli);
      const results = await Promise.allSettled([
        cases().perform(office.manager, "assign", { reference, assignee: "carl@pfcc.example", version }, cli),
        cases().perform(office.manager, "assign", { reference, assignee: "cora@pfcc.example", version }, cli),
      ]);
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(failures).toHaveLength(1);
      expect((failures[0]!.reason as DomainError).code).toBe("changed_meanwhile");
      expect((failures[0]!.reason as DomainError).message).toMatch(new RegExp(`^Nothing was done: ${reference} changed after your card was shown \\(Assigned by Maya Manager\\)`));
      // Acknowledging on the version both saw still makes sense after the assignment: it is done on the case as it now is.
      const acknowledged = await cases().perform(office.admin, "acknowledge", { reference, version }, cli);
      expect(acknowledged.view.status).toBe("acknowledged");
      // Assigning it again on that version does not: who has it changed.
      const stale = await refusal(cases().perform(office.manager, "assign", { reference, assignee: "me", version }, cli));
      expect(stale.code).toBe("changed_meanwhile");
      const shown = await cases().showCase(office.manager, reference);
      expect(shown.timeline!.entries.filter((e) => e.type === "assigned")).toHaveLength(1);
    });

    it("a retried change with the same request key writes one timeline entry", async () => {
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      const request = { platform: "teams" as const, requestKey: `teams:activity:${reference}` };
      await Promise.all([
        cases().perform(office.admin, "add_entry", { reference, type: "note", text: "once" }, request),
        cases().perform(office.admin, "add_entry", { reference, type: "note", text: "once" }, request),
      ]);
      await cases().perform(office.admin, "add_entry", { reference, type: "note", text: "once" }, request);
      const shown = await cases().showCase(office.admin, reference);
      expect(shown.timeline!.entries.filter((e) => e.type === "note")).toHaveLength(1);
    });

    it("the same request key with a different request is refused and writes nothing", async () => {
      const { reference } = await cases().logCase(office.admin, letter(), cli);
      const other = await cases().logCase(office.admin, letter(), cli);
      const request = { platform: "slack" as const, requestKey: `slack:trigger:${reference}` };
      await cases().perform(office.admin, "add_entry", { reference, type: "note", text: "Called back" }, request);
      const entries = async (ref: string) => (await cases().showCase(office.admin, ref)).timeline!.total;
      const before = [await entries(reference), await entries(other.reference)];
      const refusals = [
        () => cases().perform(office.admin, "add_entry", { reference, type: "note", text: "Something else" }, request),
        () => cases().perform(office.admin, "add_entry", { reference: other.reference, type: "note", text: "Called back" }, request),
        () => cases().perform(office.admin, "acknowledge", { reference }, request),
        () => cases().perform(office.manager, "add_entry", { reference, type: "note", text: "Called back" }, request),
        () => cases().logCase(office.admin, letter(), request),
      ];
      for (const refused of refusals) {
        const error = await refusal(refused());
        expect(error.code).toBe("request_reused");
        expect(error.message).toMatch(/already used for a different request, so nothing was done/);
      }
      expect([await entries(reference), await entries(other.reference)]).toEqual(before);
      // The first request, sent again, is still its own retry.
      const again = (await cases().perform(office.admin, "add_entry", { reference, type: "note", text: "Called back" }, request)).view;
      expect(again.timeline!.total).toBe(before[0]);
    });
  });

  describe("lists", () => {
    it("overdue, due soon, stale and unassigned find the right cases", async () => {
      clock.set("2026-11-25T10:00:00Z");
      const overdueAck = await cases().logCase(office.admin, letter({ receivedOn: "2026-11-19", subject: "Overdue ack" }), cli);
      const fresh = await cases().logCase(office.admin, letter({ receivedOn: "2026-11-25", subject: "Fresh", assignee: "carl@pfcc.example" }), cli);
      const overdue = (await cases().listOverdue(office.manager)).map((v) => v.reference);
      expect(overdue).toContain(overdueAck.reference);
      expect(overdue).not.toContain(fresh.reference);
      expect((await cases().listUnassigned(office.manager)).map((v) => v.reference)).toContain(overdueAck.reference);
      expect((await cases().listMine(office.caseworker)).map((v) => v.reference)).toContain(fresh.reference);

      // Thu 3 Dec is overdueAck's response deadline: due today.
      clock.set("2026-12-03T09:00:00Z");
      expect((await cases().listDueSoon(office.manager)).map((v) => v.reference)).toContain(overdueAck.reference);

      // Ten working days with no action after Wed 25 Nov end on Wed 9 Dec: stale from Thu 10 Dec.
      clock.set("2026-12-09T15:00:00Z");
      expect((await cases().listStale(office.manager)).map((v) => v.reference)).not.toContain(fresh.reference);
      clock.set("2026-12-10T09:00:00Z");
      const stale = await cases().listStale(office.manager);
      expect(stale.map((v) => v.reference)).toContain(fresh.reference);
      // Any action — a holding letter — resets it.
      await cases().perform(office.caseworker, "add_entry", { reference: fresh.reference, type: "holding_reply", text: "No news yet" }, cli);
      expect((await cases().listStale(office.manager)).map((v) => v.reference)).not.toContain(fresh.reference);
    });

    it("a case awaiting a partner past its response deadline is due a holding reply", async () => {
      clock.set("2026-11-25T10:00:00Z");
      const { reference } = await cases().logCase(office.admin, letter({ receivedOn: "2026-11-25" }), cli);
      await cases().perform(office.admin, "acknowledge", { reference }, cli);
      await cases().perform(office.admin, "refer", { reference, partner: "Police" }, cli);
      clock.set("2026-12-10T10:00:00Z");
      const view = await cases().showCase(office.admin, reference);
      expect(view.response.state).toBe("overdue");
      expect(view.holdingReplyDue).toBe(true);
      expect(view.referrals[0]!.overdue).toBe(true);

      // A holding reply satisfies it; the next is due 10 working days later (Thu 24 Dec), and the
      // Christmas bank holidays (Fri 25, Mon 28 Dec) put the first day it is owed again at Tue 29 Dec.
      const afterReply = (await cases().perform(office.caseworker, "add_entry", { reference, type: "holding_reply", text: "Still waiting on the police" }, cli)).view;
      expect(afterReply.holdingReplyDue).toBe(false);
      const flagged = async (asOf: string) => {
        const section = (await postbag.core.digests.managerDigest(asOf)).sections.find((s) => s.key === "response_overdue")!;
        return section.cases.find((c) => c.reference === reference)!.holdingReplyDue;
      };
      expect(await flagged("2026-12-11")).toBe(false);
      expect(await flagged("2026-12-24")).toBe(false);
      expect(await flagged("2026-12-29")).toBe(true);
    });
  });
  // Last, as they add cases that would crowd the lists earlier tests read.
  describe("reading and numbering", () => {
    it("reads a case the same however it is found: the logging's answer, a look-up, a list and a search agree", async () => {
      const input = letter({ constituent: { name: "Rita Reader", email: "rita@example.com", phone: "01632 960001", address: "2 Mill Lane" }, themes: ["lighting"], assignee: "Carl Caseworker" });
      const answer = await cases().logCase(office.manager, input, cli, { timelineEntries: 0 });
      // A card of one case also names the person's earlier cases and links, and its letters and emails (lists leave them out): the rest agrees.
      const { timeline: _t, related: foundRelated, ...found } = await cases().showCase(office.manager, answer.reference, { timelineEntries: 0 });
      const listed = (await cases().listMine(office.caseworker)).find((view) => view.reference === answer.reference);
      const searched = (await cases().searchCases(office.manager, "Rita Reader")).find((view) => view.reference === answer.reference);
      const { timeline: _a, related: answeredRelated, ...answered } = answer;
      // Lists and searches are the reader's own screen; the look-ups above are the manager's: compare as one person.
      const asCarl = await cases().showCase(office.caseworker, answer.reference, { timelineEntries: 0 });
      // A card of one case also reads its letters and the office's sign-off rules, so it alone offers "Send acknowledgement…" (send_new).
      const asListed = <View extends { outgoing?: unknown; nextActions: string[]; variants?: { action: string }[] }>({ outgoing: _o, ...view }: View) => ({
        ...view,
        nextActions: view.nextActions.filter((action) => action !== "send_new"),
        variants: view.variants?.filter((variant) => variant.action !== "send_new"),
      });
      const { timeline: _c, related: _r, ...carlFound } = asCarl;
      expect(answered).toEqual(found);
      expect(answeredRelated).toEqual(foundRelated);
      expect(listed).toEqual(asListed(carlFound));
      expect(searched).toEqual(asListed(found));
    });

    it("numbers past 9,999 in a year are not cut: PFCC-2026-10000 follows PFCC-2026-9999", async () => {
      await postbag.db.transaction((tx) => tx.query(`UPDATE "case_counter" SET "last_number" = 9999 WHERE "year" = 2026`));
      const view = await cases().logCase(office.admin, letter(), cli);
      expect(view.reference).toBe("PFCC-2026-10000");
      expect((await cases().showCase(office.admin, "PFCC-2026-10000")).reference).toBe("PFCC-2026-10000");
    });
});

describeEachDatabase("case references", (database) => {
  it("50 cases logged at once get 50 distinct, gap-free references", async () => {
    const clock = new TestClock("2026-11-25T10:00:00Z");
    const postbag = await openTestPostbag(database, clock);
    try {
      const office = await seedOffice(postbag);
      const views = await Promise.all(Array.from({ length: 50 }, () => postbag.core.cases.logCase(office.admin, letter(), cli)));
      const numbers = views.map((v) => Number(v.reference.slice(-4))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // A log that fails after its number was drawn gives the number back.
      const key = { platform: "slack" as const, requestKey: "dup" };
      const retried = letter();
      await Promise.all([postbag.core.cases.logCase(office.admin, retried, key), postbag.core.cases.logCase(office.admin, retried, key)]);
      // The same key with a different request is refused, and its number too is given back.
      await expect(postbag.core.cases.logCase(office.admin, letter(), key)).rejects.toMatchObject({ code: "request_reused" });
      const next = await postbag.core.cases.logCase(office.admin, letter(), cli);
      expect(next.reference).toBe("PFCC-2026-0052");
      // A new year starts again at 0001.
      clock.set("2027-01-04T10:00:00Z");
      expect((await postbag.core.cases.logCase(office.admin, letter({ receivedOn: "2026-12-31" }), cli)).reference).toBe("PFCC-2027-0001");
    } finally {
      await postbag.close();
    }
  });
});

describeEachDatabase("the office's counts", (database) => {
  it("are counts however many cases there are, not the length of a list capped at 200; a case late twice counts once", async () => {
    const clock = new TestClock("2026-11-25T10:00:00Z");
    const postbag = await openTestPostbag(database, clock);
    try {
      const office = await seedOffice(postbag);
      // Received Mon 2 Nov: acknowledgement (Wed 4 Nov) and response (Mon 16 Nov) both overdue.
      for (let batch = 0; batch < 5; batch += 1) {
        await Promise.all(Array.from({ length: 41 }, () => postbag.core.cases.logCase(office.admin, letter({ receivedOn: "2026-11-02" }), cli)));
      }
      expect((await postbag.core.cases.listOverdue(office.manager)).length).toBe(200);
      expect(await postbag.core.cases.officeCounts(office.manager)).toEqual({ overdue: 205, stale: 0, unassigned: 205 });
      clock.set("2026-12-10T10:00:00Z"); // 10 working days after Wed 25 Nov have passed: all stale
      expect((await postbag.core.cases.officeCounts(office.manager)).stale).toBe(205);
      await expect(postbag.core.cases.officeCounts(office.caseworker)).rejects.toMatchObject({ code: "not_permitted" });
    } finally {
      await postbag.close();
    }
  });

  });
});
