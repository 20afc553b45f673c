import { describe, expect, it } from "vitest";
import { constituentMatch, formatReference, loggingKeys } from "../../src/domain/cases/reference.ts";

/** The reference format and the "same constituent" rule, decided in the core (the logging statement only compares and inserts). */
describe("case references and known constituents", () => {
  it.each([
    [1, "PFCC-2026-0001"],
    [42, "PFCC-2026-0042"],
    [9999, "PFCC-2026-9999"],
    [10000, "PFCC-2026-10000"],
  ])("number %i is %s", (number, reference) => {
    expect(formatReference("PFCC", 2026, number)).toBe(reference);
  });

  it("numbers by the year of logging", () => {
    expect(loggingKeys("PFCC", "2027-01-04", { name: "A", email: null, phone: null })).toMatchObject({ referenceStem: "PFCC-2027-", referenceDigits: 4, year: 2027 });
  });

  it.each([
    ["name only: a new constituent", { name: "Jane Doe", email: null, phone: null }, null],
    ["name and email, compared without case", { name: "Jane Doe", email: "Jane@Example.com", phone: null }, { name: "jane doe", email: "jane@example.com", phone: null }],
    ["name and phone", { name: "Jane Doe", email: null, phone: "01632 960001" }, { name: "jane doe", email: null, phone: "01632 960001" }],
  ])("%s", (_label, constituent, match) => {
    expect(constituentMatch(constituent)).toEqual(match);
  });
});
