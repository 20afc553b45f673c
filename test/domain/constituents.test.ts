import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { constituentKeys } from "../../src/domain/constituents/constituent-keys.ts";
import { decideConstituent, type ConstituentCandidate } from "../../src/domain/constituents/matching.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { seedOffice, type Office } from "../support/office.ts";

/**
 * One constituent is one person: details compared however they were written, a probable match
 * asked rather than guessed, records merged without losing a case, cases linked, and the card
 * naming the person's earlier cases as far as the reader may see them.
 */

describe("how people's details compare (no database)", () => {
  it.each([
    ["phone, spaced", { name: "Jane Doe", phone: "07700 900123" }, { name: "jane doe", phone: "+44 7700 900123" }],
    ["phone, run together", { name: "Jane Doe", phone: "07700900123" }, { name: "Jane Doe", phone: "+44 (0)7700 900123" }],
    ["email, any case", { name: "Jane Doe", email: "Jane.Doe@Example.COM" }, { name: "JANE DOE", email: "jane.doe@example.com" }],
    ["accents, apostrophes and spaces", { name: "Seán O’Brien", email: "s@example.com" }, { name: "Sean OBrien", email: "s@example.com" }],
    ["Welsh letters", { name: "Siân Llŷr", email: "s@example.com" }, { name: "sian llyr", email: "s@example.com" }],
  ])("%s: the same keys", (_label, a, b) => {
    expect(constituentKeys(a)).toEqual(constituentKeys(b));
  });

  const known = (id: number, person: { name: string; email?: string; phone?: string }): ConstituentCandidate => ({
    id,
    name: person.name,
    email: person.email ?? null,
    phone: person.phone ?? null,
    keys: constituentKeys(person),
    caseCount: 1,
    anySensitive: false,
  });
  const jane = known(7, { name: "Jane Doe", email: "jane@example.com" });

  it.each([
    ["same name and email: the same person", { name: "jane  doe", email: "JANE@example.com" }, [jane], { kind: "existing", id: 7 }],
    ["same name, a phone instead: asked", { name: "Jane Doe", phone: "07700 900123" }, [jane], { kind: "ask" }],
    ["same email, another name: asked", { name: "J Doe", email: "jane@example.com" }, [jane], { kind: "ask" }],
    ["same name, nothing else known: asked", { name: "Jane Doe" }, [jane], { kind: "ask" }],
    ["nobody alike: a new person", { name: "John Roe", email: "john@example.com" }, [], { kind: "new" }],
  ] as const)("%s", (_label, person, candidates, expected) => {
    expect(decideConstituent(constituentKeys(person), candidates)).toMatchObject(expected);
  });

  it("whoever logs decides when asked", () => {
    const keys = constituentKeys({ name: "Jane Doe", phone: "07700 900123" });
    expect(decideConstituent(keys, [jane], "new")).toEqual({ kind: "new" });
    expect(decideConstituent(keys, [jane], { existing: 7 })).toEqual({ kind: "existing", id: 7 });
  });
});

describeEachDatabase("constituents", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-02T10:00:00Z"); // Wed 2 Dec 2026

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());
  beforeEach(() => clock.set("2026-12-02T10:00:00Z"));

  async function say(who: StaffRecord, text: string): Promise<string> {
    try {
      return resultText(await executeCommand(postbag.core, who, parseCommand(text), { audience: "private", request: { platform: "cli" } }));
    } catch (error) {
      if (isDomainError(error)) return `refused: ${error.message}`;
      throw error;
    }
  }
  const logged = async (text: string) => {
    const answer = await say(office.admin, text);
    const reference = /Logged (PFCC-\d{4}-\d{4,})/.exec(answer)?.[1];
    if (!reference) throw new Error(`not logged: ${answer}`);
    return reference;
  };
  const constituentOf = async (reference: string) => (await postbag.db.prisma.case.findUniqueOrThrow({ where: { reference }, select: { constituentId: true } })).constituentId;
  const counts = async () => ({ cases: await postbag.db.prisma.case.count(), people: await postbag.db.prisma.constituent.count(), entries: await postbag.db.prisma.timelineEntry.count() });

  it("a phone number typed three ways is one person, silently", async () => {
    const first = await logged('log phone 2026-12-01 "Priya Patel" Burglary --phone "07700 900123"');
    const second = await logged('log letter 2026-12-01 "priya patel" Follow-up --phone 07700900123');
    const third = await logged('log email 2026-12-02 "Priya  Patel" Again --phone "+44 7700 900123"');
    expect(new Set([await constituentOf(first), await constituentOf(second), await constituentOf(third)]).size).toBe(1);
    for (const typed of ["07700 900123", "07700900123", "+44 7700 900123"]) {
      const found = (await postbag.core.cases.searchCases(office.caseworker, typed)).map((view) => view.reference);
      expect(found, typed).toEqual(expect.arrayContaining([first, second, third]));
    }
  });

  it("a probable match is asked, writes nothing, and takes the answer on the CLI", async () => {
    const first = await logged('log letter 2026-12-01 "Róisín Ní Bhriain" Speeding --email roisin@example.com');
    const before = await counts();
    const asked = await say(office.admin, 'log phone 2026-12-02 "Roisin Ni Bhriain" Parking --phone "01632 960001"');
    const id = await constituentOf(first);
    expect(asked).toBe(
      `refused: Roisin Ni Bhriain may be someone already on record: C${id} Róisín Ní Bhriain (r…@example.com; 1 case). Say which: log again with --constituent C${id} if it is the same person, or --new-person if not.`,
    );
    expect(await counts()).toEqual(before);

    const same = await logged(`log phone 2026-12-02 "Roisin Ni Bhriain" Parking --phone "01632 960001" --constituent C${id}`);
    expect(await constituentOf(same)).toBe(id);
    // The phone her record lacked is added; an email that differs from the record's is kept on the case, never overwriting it.
    const another = await logged(`log email 2026-12-02 "Róisín Ní Bhriain" Parking again --email roisin.nb@example.org --phone "01632 960001"`);
    expect(await constituentOf(another)).toBe(id);
    expect((await postbag.core.constituents.show(office.manager, `C${id}`)).contact).toEqual({ email: "roisin@example.com", phone: "01632 960001", address: null });
    expect((await postbag.core.cases.showCase(office.manager, another)).timeline!.entries[0]!.text).toBe(
      "Email received Wed 2 Dec 2026; details given differ from the record: email roisin.nb@example.org",
    );
    const other = await logged('log phone 2026-12-02 "Roisin Ni Bhriain" Noise --phone "01632 960002" --new-person');
    expect(await constituentOf(other)).not.toBe(id);
    // The reference numbers follow on: the question drew none.
    expect(Number(other.slice(-4)) - Number(another.slice(-4))).toBe(1);
  });

  it("the card names the person's earlier cases, sensitive ones by reference alone for those who may not read them", async () => {
    // The card a log answers with: for a person new to the office it names no earlier case; logged again for them, it names the first.
    const firstCard = await say(office.admin, 'log letter 2026-11-20 "Tomás Ó Súilleabháin" Noise --email tomas@example.com');
    const first = /Logged (PFCC-\d{4}-\d{4,})/.exec(firstCard)![1]!;
    expect(firstCard).not.toContain("earlier case");
    const second = await logged('log letter 2026-11-23 "Tomás Ó Súilleabháin" Threats --email tomas@example.com --sensitive --assign "Cora Caseworker"');
    const thirdCard = await say(office.admin, 'log email 2026-12-01 "Tomas O Suilleabhain" Parking --email TOMAS@example.com');
    expect(thirdCard).toContain(`2 earlier cases from this person: ${second} (New, sensitive); ${first} (New: Noise)`);
    const third = /Logged (PFCC-\d{4}-\d{4,})/.exec(thirdCard)![1]!;

    const forCarl = await postbag.core.cases.showCase(office.caseworker, third);
    expect(forCarl.related?.earlierCount).toBe(2);
    expect(forCarl.related?.earlier).toEqual([
      { reference: second, statusLabel: "New", subject: null },
      { reference: first, statusLabel: "New", subject: "Noise" },
    ]);
    const text = await say(office.caseworker, `show ${third}`);
    expect(text).toContain(`2 earlier cases from this person: ${second} (New, sensitive); ${first} (New: Noise)`);
    expect(text).toContain(`constituent show C${await constituentOf(third)}`);
    expect((await postbag.core.cases.showCase(office.manager, third)).related?.earlier[0]).toEqual({ reference: second, statusLabel: "New", subject: "Threats" });
    // A case the reader sees redacted shows no relations: that the person wrote before is itself personal.
    expect((await postbag.core.cases.showCase(office.caseworker, second)).related).toBeUndefined();

    // Their record: every case with its state; the contact details withheld from a reader who may not see a sensitive case of theirs.
    const forCarlRecord = await say(office.caseworker, `constituent show ${first}`);
    expect(forCarlRecord).toContain("Contact details withheld");
    expect(forCarlRecord).not.toContain("tomas@example.com");
    expect(forCarlRecord).toContain("3 cases:");
    const forCora = await say(office.otherCaseworker, `constituent show C${await constituentOf(first)}`);
    expect(forCora).toContain("Email: tomas@example.com");
    const reads = await postbag.db.prisma.auditEvent.count({ where: { action: "sensitive_read", subject: `constituent #${await constituentOf(first)}` } });
    expect(reads).toBe(1);
  });

  it("one person written three ways: merged twice, every case moves, both records stay on the timeline, and a subject access request finds all", async () => {
    const byEmail = await logged('log letter 2026-11-25 "Mary-Jane Watson" Streetlights --email mj@example.com');
    const byPhone = await logged('log phone 2026-11-26 "MJ Watson" Streetlights again --phone "07700 900456"');
    // Asked whether M. J. Watson is MJ Watson, the admin was not sure: a new record, to merge once known.
    const byAddress = await logged('log hand-delivered 2026-11-27 "M. J. Watson" Still dark --address "1 High Street, York" --new-person');
    const [keep, phoneRecord, addressRecord] = [await constituentOf(byEmail), await constituentOf(byPhone), await constituentOf(byAddress)];
    expect(new Set([keep, phoneRecord, addressRecord]).size).toBe(3);

    const before = await counts();
    expect(await say(office.caseworker, `constituent merge C${keep} C${phoneRecord} same person`)).toBe("refused: Only managers can merge constituent records.");
    expect(await say(office.manager, `constituent merge C${keep} C${phoneRecord}`)).toMatch(/^refused: Say which record to keep/);
    expect(await counts()).toEqual(before);

    expect(await say(office.manager, `constituent merge C${keep} ${byPhone} she phoned about the same street`)).toBe(
      `Merged C${phoneRecord} into C${keep}: 1 case moved (${byPhone}). Both records' details stay on the timeline; see them with: constituent show C${keep}`,
    );
    expect(await say(office.manager, `constituent merge ${byEmail} C${addressRecord} same street, same letter`)).toContain(`1 case moved (${byAddress})`);
    expect(await say(office.manager, `constituent merge C${keep} C${phoneRecord} again`)).toBe(`refused: C${phoneRecord} was merged into C${keep} already.`);

    for (const reference of [byEmail, byPhone, byAddress]) expect(await constituentOf(reference)).toBe(keep);
    const moved = (await postbag.core.cases.showCase(office.manager, byPhone)).timeline!.entries.at(-1)!;
    expect(moved).toMatchObject({
      label: "Constituent records merged",
      actor: "Maya Manager",
      text: `Constituent record C${phoneRecord} MJ Watson (07700 900456) merged into C${keep} Mary-Jane Watson (mj@example.com): she phoned about the same street`,
    });
    // The kept record takes the details it lacked; nothing it held is overwritten.
    const person = await postbag.core.constituents.show(office.manager, `C${keep}`);
    expect(person.contact).toEqual({ email: "mj@example.com", phone: "07700 900456", address: "1 High Street, York" });
    expect(person.alsoRecordedAs.map((record) => record.id)).toEqual([phoneRecord, addressRecord]);
    expect(person.cases.map((view) => view.reference)).toEqual([byEmail, byPhone, byAddress]);

    // Whichever way she is looked up, a subject access request returns every case, once.
    for (const who of ["mj@example.com", "07700 900456", `#${phoneRecord}`, byAddress]) {
      const sar = await postbag.core.subjectAccess.subjectAccess(office.manager, who, { platform: "cli" });
      expect(sar.file.cases.map((c) => c.reference), who).toEqual([byEmail, byPhone, byAddress]);
      expect(sar.text).toContain("Also recorded as: MJ Watson, 07700 900456");
    }
    const merges = await postbag.db.prisma.auditEvent.findMany({ where: { action: "constituent_merge" }, orderBy: { id: "asc" } });
    expect(merges.map((event) => event.subject)).toEqual([`constituent #${phoneRecord} → #${keep}`, `constituent #${addressRecord} → #${keep}`]);
    // The chain of every moved case still verifies.
    const audit = await postbag.core.audit.runAudit(office.manager);
    expect(audit.exceptions.filter((exception) => ["tampered_history", "timeline_gap", "count_mismatch", "reference_gap"].includes(exception.kind))).toEqual([]);
    expect(audit.entries.verified).toBe(audit.entries.total);
  });

  it("cases linked from either end, shown on both cards; a duplicate is closed against its original", async () => {
    const original = await logged('log letter 2026-11-30 "Dafydd ap Gwilym" Potholes --email dafydd@example.com');
    const later = await logged('log email 2026-12-01 "Gruffudd ab Ieuan" Potholes on Church Lane --email gruffudd@example.com');
    const copy = await logged('log web 2026-12-02 "Dafydd ap Gwilym" Potholes --email dafydd@example.com');

    expect(await say(office.caseworker, `link ${later} ${original} previous`)).toContain(`Linked ${later} to ${original}; both cards show it.`);
    expect(await say(office.caseworker, `link ${original} ${later}`)).toBe(`refused: ${original} and ${later} are linked already.`);
    expect(await say(office.caseworker, `link ${later} ${later}`)).toBe("refused: A case cannot be linked to itself.");
    expect(await say(office.caseworker, `link ${later} PFCC-2026-9999`)).toMatch(/^refused: No case PFCC-2026-9999/);

    expect(await say(office.caseworker, `close ${copy} duplicate`)).toBe(`refused: Say which case ${copy} duplicates: close ${copy} duplicate --of <its reference>.`);
    expect(await say(office.caseworker, `close ${copy} duplicate --of ${original}`)).toContain(`Closed ${copy} (duplicate of ${original}).`);

    const originalCard = await say(office.caseworker, `show ${original}`);
    expect(originalCard).toContain(`Followed by later correspondence ${later} (New: Potholes on Church Lane)`);
    expect(originalCard).toContain(`Duplicated by ${copy} (Closed: Potholes)`);
    expect(await say(office.caseworker, `show ${later}`)).toContain(`Follows earlier correspondence ${original} (New: Potholes)`);
    expect(await say(office.caseworker, `show ${copy}`)).toContain(`Duplicate of ${original} (New: Potholes)`);
  });

  it("an import never guesses: only a certain match joins a known person", async () => {
    const known = await logged('log letter 2026-11-30 "Ffion Hughes" Parking --email ffion@example.com');
    const row = (name: string, email: string) => ({ received_on: "2026-11-02", channel: "letter", constituent_name: name, constituent_email: email, subject: "Imported", reference: `OLD-${email.length}` });
    const same = await postbag.core.cases.importCase(office.manager, row("FFION HUGHES", "Ffion@Example.com"), { platform: "cli" });
    const probable = await postbag.core.cases.importCase(office.manager, row("Ffion Hughes", "f.hughes@example.com"), { platform: "cli" });
    expect(await constituentOf(same.view.reference)).toBe(await constituentOf(known));
    expect(await constituentOf(probable.view.reference)).not.toBe(await constituentOf(known));
    // The spreadsheet's own reference still finds it.
    expect((await postbag.core.cases.searchCases(office.manager, "OLD-17")).map((view) => view.reference)).toEqual([same.view.reference]);
  });
});
