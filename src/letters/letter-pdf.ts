import type { LetterContent } from "../domain/letters/letter-printer.ts";
import { BUNDLED_FONTS } from "../fonts.ts";

export type { LetterContent } from "../domain/letters/letter-printer.ts";

const MM = 72 / 25.4;

/**
 * A letter as a PDF for A4 window envelopes: the office's letterhead (name and address) at the
 * top right, the recipient's address block where a DL window shows it, then the date, the
 * reference, and the body; further pages carry the reference and a page number. Drawn with the
 * bundled DejaVu font, so every name prints whatever its alphabet.
 */
export async function renderLetterPdf(letter: LetterContent): Promise<Buffer> {
  // Loaded when the first letter is made, not at start: most processes never make one.
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 20 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM },
    bufferPages: true,
    info: { Title: `Letter ${letter.reference}`, Author: letter.office.name, Subject: letter.reference, CreationDate: letter.madeAt, ModDate: letter.madeAt },
  });
  doc.registerFont("regular", BUNDLED_FONTS.regular);
  doc.registerFont("bold", BUNDLED_FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  // Letterhead, top right.
  doc.font("bold").fontSize(13).text(letter.office.name, { width, align: "right" });
  doc.font("regular").fontSize(9).text([letter.office.address, letter.office.email].filter(Boolean).join("\n"), { width, align: "right" });
  // The address block, where a DL window envelope shows it (45 mm from the top).
  doc.font("regular").fontSize(11);
  doc.text([letter.recipient.name, letter.recipient.address ?? ""].filter(Boolean).join("\n"), 25 * MM, 50 * MM, { width: 85 * MM });
  doc.moveDown(2);
  doc.text(letter.date, { width, align: "right" });
  doc.moveDown(0.5);
  doc.font("bold").text(`Our reference: ${letter.reference}`, doc.page.margins.left, doc.y, { width });
  doc.moveDown(1);
  doc.font("regular");
  for (const paragraph of letter.body.split(/\n{2,}/)) {
    doc.text(paragraph, { width, align: "left", lineGap: 2 });
    doc.moveDown(0.8);
  }
  // Page numbers and the reference on every page of a longer letter.
  const pages = doc.bufferedPageRange();
  if (pages.count > 1) {
    for (let index = 0; index < pages.count; index += 1) {
      doc.switchToPage(pages.start + index);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font("regular").fontSize(8).text(`${letter.reference} — page ${index + 1} of ${pages.count}`, doc.page.margins.left, doc.page.height - 15 * MM, { width, align: "center" });
      doc.page.margins.bottom = bottom;
    }
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
