import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

/**
 * The partner directory (issue 14): one entry per partner with its other names, its usual
 * reply time and a contact; referrals, replies and chases name a partner by any of its names,
 * and reports count each partner once.
 */
describeEachDatabase("the partner directory", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-11-25T10:00:00Z"); // Wednesday 25 November 2026

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag); // the directory already holds Police, County Council, Thames Valley Police…
  });
  afterAll(() => postbag?.close());

  /** Says a command as `who`, at the CLI: the answer, or the refusal. */
  async function say(who: StaffRecord, text: string): Promise<string> {
    try {
      return resultText(await executeCommand(postbag.core, who, parseCommand(text), { audience: "private", request: { platform: "cli" } }));
    } catch (error) {
      if (isDomainError(error)) return `refused: ${error.message}`;
      throw error;
    }
  }

  const directory = () => postbag.db.prisma.partner.findMany({ orderBy: { id: "asc" } });
  const logged = async () => (await postbag.core.cases.logCase(office.admin, letter({ assignee: office.caseworker.id }), { platform: "cli" })).reference;
  const written = () => Promise.all([postbag.db.prisma.timelineEntry.count(), postbag.db.prisma.referral.count()]);

  describe("managing it", () => {
    it("managers add a partner with its aliases, usual reply time and contact; anyone lists it; the audit log has it", async () => {
      const before = await directory();
      expect(await say(office.caseworker, 'partner add "North Yorkshire Police" --alias NYP')).toBe("refused: Only managers can add partners: ask a manager. Anyone can see the directory with: partner list");
      expect(await directory()).toEqual(before);

      const added = await say(office.manager, 'partner add "North Yorkshire Police" --alias NYP --alias "North Yorks Police" --reply-days 15 --contact "Control room, 01609 789000"');
      expect(added).toBe("Added North Yorkshire Police to the partner directory.\nNorth Yorkshire Police · also NYP, North Yorks Police · replies within 15 working days · contact: Control room, 01609 789000");
      const listed = await say(office.viewer, "partner list");
      expect(listed).toContain("  North Yorkshire Police · also NYP, North Yorks Police · replies within 15 working days · contact: Control room, 01609 789000");
      expect(listed).toContain("  County Council · replies within the office default");

      const nyp = (await directory()).find((p) => p.name === "North Yorkshire Police")!;
      const audit = await postbag.core.accessLog.list(office.manager, 10);
      // The contact may name a person: the audit log says only that one was given.
      expect(audit.find((e) => e.action === "partner_change")).toMatchObject({
        actorName: "Maya Manager",
        subject: `partner #${nyp.id}`,
        detail: "added “North Yorkshire Police”; aliases NYP, North Yorks Police; reply days 15; contact given",
      });
    });

    it("an alias belongs to one partner only, and bad input is refused with what to do instead, writing nothing", async () => {
      const before = await directory();
      expect(await say(office.manager, 'partner add "North Yorkshire Fire and Rescue" --alias nyp')).toBe(
        "refused: “nyp” is already an alias of North Yorkshire Police: a name or alias may belong to one partner only. See them with: partner list",
      );
      expect(await say(office.manager, 'partner add "  north   YORKSHIRE police "')).toMatch(/^refused: “north YORKSHIRE police” is the name of a partner already in the directory/);
      expect(await say(office.manager, "partner change NYP --alias Police")).toMatch(/^refused: “Police” is the name of a partner already in the directory/);
      expect(await say(office.manager, 'partner add "Fire Service" --reply-days 0')).toBe("refused: Reply days must be a whole number of working days from 1 to 60.");
      expect(await say(office.manager, 'partner add "Fire Service" --reply-days 61')).toBe("refused: Reply days must be a whole number of working days from 1 to 60.");
      expect(await say(office.manager, 'partner add "Fire Service" --reply-days soon')).toBe("refused: Reply days must be a whole number of working days from 1 to 60.");
      expect(await say(office.manager, 'partner add "Fire Service" --alias North Fire')).toMatch(/^refused: Put the value of --alias in quotes/);
      expect(await say(office.manager, 'partner change "Nowhere Constabulary" --reply-days 5')).toMatch(/^refused: No partner “Nowhere Constabulary” in the directory\. Known partners: .*North Yorkshire Police.*partner add "<name>"/);
      expect(await say(office.manager, "partner change NYP --remove-alias TVP")).toBe("refused: “TVP” is not an alias of North Yorkshire Police; its aliases are: NYP, North Yorks Police.");
      expect(await say(office.manager, "partner change NYP")).toMatch(/^refused: Nothing to change for North Yorkshire Police\. Usage: partner change/);
      expect(await say(office.caseworker, "partner change NYP --reply-days 5")).toMatch(/^refused: Only managers can change partners/);
      expect(await say(office.manager, "partner frobnicate")).toMatch(/^refused: Say what to do with the partner directory\. Usage: partner list/);
      expect(await directory()).toEqual(before);
    });

    it("managers change aliases, reply days and contact; a renamed partner is still found by its old name", async () => {
      expect(await say(office.manager, 'partner change "Thames Valley Police" --alias TVP --alias "Thames Valley Constabulary" --reply-days 5 --contact "tvp-liaison@example.org"')).toBe(
        "Thames Valley Police: aliases added: TVP, Thames Valley Constabulary; reply days office default → 5; contact changed.\nThames Valley Police · also TVP, Thames Valley Constabulary · replies within 5 working days · contact: tvp-liaison@example.org",
      );
      expect(await say(office.manager, 'partner change tvp --remove-alias "thames valley constabulary" --reply-days default --contact ""')).toBe(
        "Thames Valley Police: aliases removed: thames valley constabulary; reply days 5 → office default; contact cleared.\nThames Valley Police · also TVP · replies within the office default",
      );
      expect(await say(office.manager, 'partner change TVP --rename "Thames Valley Police Service"')).toBe(
        "Thames Valley Police Service: renamed “Thames Valley Police” → “Thames Valley Police Service”.\nThames Valley Police Service · also TVP, Thames Valley Police · replies within the office default",
      );
      const reference = await logged();
      expect(await say(office.caseworker, `refer ${reference} "Thames Valley Police"`)).toMatch(new RegExp(`^${reference} referred to Thames Valley Police Service; reply expected by Wed 9 Dec 2026\\.`));
    });
  });

  describe("referrals pick from it", () => {
    it("a partner is named by name or alias, in any case or spacing, and recorded under the directory's name", async () => {
      const reference = await logged();
      // North Yorkshire Police usually has 15 working days: from Wed 25 Nov (day 0) that is Wed 16 Dec.
      expect(await say(office.caseworker, `refer ${reference} NYP`)).toMatch(new RegExp(`^${reference} referred to North Yorkshire Police; reply expected by Wed 16 Dec 2026\\.`));
      const shown = await postbag.core.cases.showCase(office.caseworker, reference);
      expect(shown.referrals).toMatchObject([{ partner: "North Yorkshire Police", expectedBy: "2026-12-16", repliedOn: null }]);
      expect(shown.timeline!.entries.at(-1)).toMatchObject({ type: "partner_referral", text: "Referred to North Yorkshire Police" });
      // The same partner again, by another of its names, is the same referral still awaited.
      expect(await say(office.caseworker, `refer ${reference} "north   yorks police"`)).toBe(`refused: ${reference} is already awaiting a reply from North Yorkshire Police. Chase it instead: chase ${reference}.`);

      expect(await say(office.caseworker, `chase ${reference} --partner nyp`)).toMatch(new RegExp(`^Chase recorded on ${reference}\\.`));
      expect(await say(office.caseworker, `partner-reply ${reference} Officers visited --partner "NORTH YORKS POLICE"`)).toMatch(new RegExp(`^Partner reply recorded on ${reference}\\.`));
      const after = await postbag.core.cases.showCase(office.caseworker, reference);
      expect(after.timeline!.entries.slice(-2).map((e) => e.text)).toEqual(["Chased North Yorkshire Police", "North Yorkshire Police replied: Officers visited"]);
      expect(after.referrals[0]!.repliedOn).not.toBeNull();
    });

    it("the reply is expected within the working days typed, else the partner's usual time, else the office default", async () => {
      const [typed, usual, office10] = [await logged(), await logged(), await logged()];
      // 3 working days typed from Wed 25 Nov: Thu 26, Fri 27, Mon 30 Nov.
      expect(await say(office.caseworker, `refer ${typed} "North Yorkshire Police" 3`)).toContain("reply expected by Mon 30 Nov 2026.");
      expect(await say(office.caseworker, `refer ${usual} nyp`)).toContain("reply expected by Wed 16 Dec 2026.");
      // County Council has no usual time: the office's 10 working days, Wed 9 Dec.
      expect(await say(office.caseworker, `refer ${office10} "County Council"`)).toContain("reply expected by Wed 9 Dec 2026.");
    });

    it("an unknown partner is refused with the partners it knows and how a manager adds one, writing nothing", async () => {
      const reference = await logged();
      const before = await written();
      const said = await say(office.caseworker, `refer ${reference} "Nowhere Constabulary" 5`);
      expect(said).toMatch(/^refused: No partner “Nowhere Constabulary” in the directory\. Known partners: County Council, North Yorkshire Police, Police/);
      expect(said).toContain('A manager adds one with: partner add "<name>" [--alias <other name>] [--reply-days N] [--contact C]');
      expect(await written()).toEqual(before);
      expect(await directory()).not.toContainEqual(expect.objectContaining({ name: "Nowhere Constabulary" }));

      // A retired partner keeps its history but takes no new referral, until it is back in use.
      expect(await say(office.manager, 'partner change "County Council" --inactive')).toContain("County Council: retired: offered for no new referral.");
      expect(await say(office.manager, "partner list")).toContain("County Council · replies within the office default [retired]");
      expect(await say(office.caseworker, `refer ${reference} "county council"`)).toBe('refused: County Council is retired from the partner directory. A manager can bring it back: partner change "County Council" --active');
      expect(await written()).toEqual(before);
      expect(await say(office.manager, 'partner change "County Council" --active')).toContain("County Council: back in use.");
      expect(await say(office.caseworker, `refer ${reference} "county council"`)).toContain(`${reference} referred to County Council;`);
    });
  });
});

describeEachDatabase("the report counts each partner of the directory once", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-11-25T10:00:00Z");
  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  it("referring once as “NYP” and once as “north yorkshire police” is one partner line with both referrals, under its current name", async () => {
    const { cases, partners, reports } = postbag.core;
    const cli = { platform: "cli" as const };
    await partners.add(office.manager, { name: "North Yorkshire Police", aliases: ["NYP"], replyDays: 15 }, "cli");
    const first = (await cases.logCase(office.admin, letter({ receivedOn: "2026-11-19", assignee: office.caseworker.id }), cli)).reference;
    const second = (await cases.logCase(office.admin, letter({ receivedOn: "2026-11-20", assignee: office.caseworker.id }), cli)).reference;
    await cases.perform(office.caseworker, "refer", { reference: first, partner: "NYP" }, cli);
    await cases.perform(office.caseworker, "refer", { reference: second, partner: "north yorkshire police" }, cli);
    clock.set("2026-11-26T10:00:00Z"); // Thursday: the first is answered a working day later
    await cases.perform(office.caseworker, "partner_reply", { reference: first, partner: "nyp", text: "Patrols arranged" }, cli);

    const report = await reports.performanceReport(office.manager, "2026-11");
    expect(report.partners).toEqual([{ partner: "North Yorkshire Police", referred: 2, replied: 1, medianReplyWorkingDays: 1, outstandingPastDue: 0 }]);

    // Renamed, it is still one partner, reported under its new name.
    await partners.change(office.manager, { partner: "NYP", rename: "North Yorkshire Police Service" }, "cli");
    const renamed = await reports.performanceReport(office.manager, "2026-11");
    expect(renamed.partners).toEqual([{ partner: "North Yorkshire Police Service", referred: 2, replied: 1, medianReplyWorkingDays: 1, outstandingPastDue: 0 }]);
  });
});
