import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

describeEachDatabase("Teams: reports and the audit", (database) => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
    await teams.message("manager", 'log letter 2026-11-02 "Jane Doe" Speeding on Main Street --assign me');
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  it("report: a real Adaptive Card — a FactSet per group of figures, a Table per list with a header row, the weekly chart as an embedded PNG — inside the card size limit", async () => {
    const { card, sent } = await teams.message("viewer", "report 2026-11");
    expect(sent[0]!.body.summary).toBe("Performance report — Nov 2026");
    expect(card.body[0].text).toBe("Performance report — Nov 2026");
    // No monospace wall: the figures are facts and tables a person reads as such.
    expect(JSON.stringify(card)).not.toContain("Monospace");
    const facts = card.body.filter((element: { type: string }) => element.type === "FactSet");
    expect(facts.map((set: any) => set.facts[0].title)).toEqual(["Received", "Acknowledged within 2 working days", "Open"]);
    expect(facts[0].facts[0].value).toBe("1");
    const tables = card.body.filter((element: { type: string }) => element.type === "Table");
    const caseworkers = tables.find((table: any) => table.rows[0].cells[0].items[0].text === "Caseworker");
    expect(caseworkers.firstRowAsHeader).toBe(true);
    expect(caseworkers.rows[1].cells.map((cell: any) => cell.items[0].text)).toEqual(["Maya Manager", "1", "0 of 1 (0%)", "1", "0"]);
    expect(cardText(card)).toMatch(/Partner referrals\nNo referrals in the period\./);
    const image = card.body.find((element: { type: string }) => element.type === "Image");
    expect(image.altText).toBe("Received vs responded on time — Nov 2026");
    expect(image.url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(image.url.split(",")[1], "base64");
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(Buffer.byteLength(JSON.stringify(sent[0]!.body))).toBeLessThan(28 * 1024);
  });

  it("report over a year: the card stays inside Teams' size limit and says what it left out", async () => {
    const { card, sent } = await teams.message("manager", "report 2026-01..2026-12");
    expect(Buffer.byteLength(JSON.stringify(sent[0]!.body))).toBeLessThan(28 * 1024);
    // 53 weeks: the table shows the first 20 and counts the rest; a chart that wide would not fit, and the card says so.
    const weeks = card.body.find((element: any) => element.type === "Table" && element.rows[0].cells[0].items[0].text === "Week of");
    expect(weeks.rows).toHaveLength(21);
    expect(cardText(card)).toMatch(/Mon 11 May 2026\n0\n0\n0\n…and 33 more\./);
    expect(card.body.some((element: { type: string }) => element.type === "Image")).toBe(false);
    expect(cardText(card)).toMatch(/The chart is left out: with it the card would be too large for Teams\. postbag report 2026-01-01\.\.2026-12-31 --chart weekly\.png draws it\./);
  });

  it("audit: managers see 0 exceptions; export asked in a channel is refused before anything is read", async () => {
    expect(cardText((await teams.message("manager", "audit")).card)).toMatch(/0 exceptions/);
    const refused = await teams.message("manager", "export", { where: "channel" });
    expect(refused.text).toMatch(/Teams lets Postbag send files only in a personal chat/);
    expect(await teams.postbag.core.accessLog.list(teams.office.manager)).toEqual([]);
  });
});
