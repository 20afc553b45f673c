import { describe, expect, it } from "vitest";
import { formatReference, loggingKeys } from "../../src/domain/cases/reference.ts";

/** The reference format, decided in the core (the logging statement only draws the number and inserts). */
describe("case references", () => {
  it.each([
    [1, "PFCC-2026-0001"],
    [42, "PFCC-2026-0042"],
    [9999, "PFCC-2026-9999"],
    [10000, "PFCC-2026-10000"],
  ])("number %i is %s", (number, reference) => {
    expect(formatReference("PFCC", 2026, number)).toBe(reference);
  });

  it("numbers by the year of logging", () => {
    expect(loggingKeys("PFCC", "2027-01-04")).toMatchObject({ referenceStem: "PFCC-2027-", referenceDigits: 4, year: 2027 });
  });
});
