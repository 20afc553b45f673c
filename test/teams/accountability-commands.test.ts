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

  it("report: a card with the figures and the weekly chart as an embedded PNG, inside the card size limit", async () => {
    const { card, sent } = await teams.message("viewer", "report 2026-11");
    expect(cardText(card)).toMatch(/Performance report — Nov 2026[\s\S]*Received: 1/);
    const image = card.body.find((element: { type: string }) => element.type === "Image");
    expect(image.url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(image.url.split(",")[1], "base64");
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(Buffer.byteLength(JSON.stringify(sent[0]!.body))).toBeLessThan(28 * 1024);
  });

  it("audit: managers see 0 exceptions; export and subject access are refused in Teams before anything is read", async () => {
    expect(cardText((await teams.message("manager", "audit")).card)).toMatch(/0 exceptions/);
    const refused = await teams.message("manager", "export");
    expect(refused.text).toMatch(/Files cannot be sent in Teams yet/);
    expect(await teams.postbag.core.accessLog.list(teams.office.manager)).toEqual([]);
  });
});
