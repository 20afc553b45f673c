import { formatDateTime } from "../calendar/local-date.ts";
import { ACCEPTED_TYPES, formatSize } from "./file-rules.ts";

/** Where a case's file came from: attached by a person, an attachment of an email taken in, or a letter Postbag made. */
export type FileSource = "upload" | "email" | "letter";

/** A file held on a case, as stored (its bytes are in the FileStore under `sha256`). */
export interface CaseFileRecord {
  id: number;
  caseId: number;
  sha256: string;
  filename: string;
  mediaType: string;
  size: number;
  addedBy: { id: number; name: string } | null;
  addedAt: Date;
  source: FileSource;
}

/** A file about to be attached: decided by the rules, written with the case's timeline entry. */
export interface NewCaseFile {
  sha256: string;
  filename: string;
  mediaType: string;
  size: number;
  source: FileSource;
}

/** The rows that say which case holds which stored bytes. Only src/db knows they are Prisma. */
export interface CaseFileStore {
  /** A case's files, oldest first (their number on the card is their place here, from 1). */
  list(caseId: number): Promise<CaseFileRecord[]>;
  /** Whether any row (of any case) still names these bytes. */
  isReferenced(sha256: string): Promise<boolean>;
}

/** A file as a card lists it. `number` is how to ask for it back (`file <ref> <number>`). */
export interface CaseFileView {
  number: number;
  filename: string;
  mediaType: string;
  typeLabel: string;
  size: number;
  sizeText: string;
  sha256: string;
  addedBy: string | null;
  addedAt: string;
  addedText: string;
  source: FileSource;
}

export function toFileViews(files: readonly CaseFileRecord[]): CaseFileView[] {
  return files.map((file, index) => ({
    number: index + 1,
    filename: file.filename,
    mediaType: file.mediaType,
    typeLabel: ACCEPTED_TYPES[file.mediaType] ?? file.mediaType,
    size: file.size,
    sizeText: formatSize(file.size),
    sha256: file.sha256,
    addedBy: file.addedBy?.name ?? null,
    addedAt: file.addedAt.toISOString(),
    addedText: formatDateTime(file.addedAt),
    source: file.source,
  }));
}
