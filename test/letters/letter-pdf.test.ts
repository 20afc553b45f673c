import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderLetterPdf, type LetterContent } from "../../src/letters/letter-pdf.ts";

const dir = mkdtempSync(join(tmpdir(), "postbag-letters-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The letter's words as a reader gets them (poppler's pdftotext), page by page. */
function textOf(pdf: Buffer): string {
  const file = join(dir, `letter-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
}

const letter: LetterContent = {
  office: { name: "Office of the Commissioner", address: "1 Example Street\nExampletown EX1 1AA", email: "casework@pfcc.example", signature: "Sam Signer, Head of Casework" },
  recipient: { name: "Zoë Łukasiewicz-O'Brien", address: "Flat 2, 10 High Street\nSometown ST1 2AB" },
  date: "4 December 2026",
  reference: "PFCC-2026-0042",
  body: "Dear Zoë Łukasiewicz-O'Brien,\n\nThank you for your letter about street lighting.\n\nYours sincerely,\n\nSam Signer, Head of Casework\nOffice of the Commissioner",
  madeAt: new Date("2026-12-04T10:00:00Z"),
};

describe("a letter for the post", () => {
  it("prints the letterhead, the address block, the date, the reference and the body, in that order, whatever the name's alphabet", async () => {
    const text = textOf(await renderLetterPdf(letter));
    const order = ["Office of the Commissioner", "1 Example Street", "Zoë Łukasiewicz-O'Brien", "Flat 2, 10 High Street", "Sometown ST1 2AB", "4 December 2026", "Our reference: PFCC-2026-0042", "Dear Zoë Łukasiewicz-O'Brien,", "Thank you for your letter about street lighting.", "Yours sincerely,", "Sam Signer, Head of Casework"];
    const positions = order.map((words) => text.indexOf(words));
    expect(positions.every((at) => at >= 0), `missing: ${order.filter((_, i) => positions[i]! < 0).join(" | ")}\n${text}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("numbers the pages of a long letter and carries the reference on each; the same letter gives the same bytes", async () => {
    const long = { ...letter, body: Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of the response, long enough to wrap across the width of the page at least once.`).join("\n\n") };
    const pdf = await renderLetterPdf(long);
    const pages = textOf(pdf).split("\f").filter((page) => page.trim());
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => expect(page).toContain(`PFCC-2026-0042 — page ${index + 1} of ${pages.length}`));
    expect(textOf(pdf)).toContain("Paragraph 60 of the response");
    expect((await renderLetterPdf(long)).equals(pdf)).toBe(true);
  });
});
