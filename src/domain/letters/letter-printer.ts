import type { OfficeDetails } from "./merge-values.ts";

/** What a printed letter says: the merged words, and who it goes to. */
export interface LetterContent {
  office: OfficeDetails;
  recipient: { name: string; address: string | null };
  /** As a letter writes it: `4 December 2026`. */
  date: string;
  reference: string;
  /** The merged template: greeting, paragraphs and sign-off. */
  body: string;
  /** When the letter was made: the PDF's creation date, so the same letter gives the same bytes. */
  madeAt: Date;
}

/** Makes a letter's printable file (a PDF: src/letters/letter-pdf.ts). The same letter gives the same bytes. */
export type LetterPrinter = (letter: LetterContent) => Promise<Uint8Array>;
