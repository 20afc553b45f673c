import type { IntakeRecord } from "../intake/intake-message.ts";
import type { LocalDate } from "../calendar/local-date.ts";
import type { CaseRecord, TimelineEntryRecord } from "../cases/case-record.ts";
import type { CaseFileRecord } from "../files/case-files.ts";
import type { OutgoingItem } from "../letters/outgoing.ts";

export interface ConstituentSummary {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  createdAt: Date;
  erasedAt: Date | null;
  references: string[];
  /** Records of the same person merged into this one, with the details they held. */
  alsoRecordedAs: { id: number; name: string; email: string | null; phone: string | null; address: string | null }[];
}

/** A case for the back-up spreadsheet: the import columns' raw material. */
export interface ExportCase {
  id: number;
  record: CaseRecord;
  /** The assignee's email when known (what import matches on), else their name. */
  assigneeLookup: string | null;
  /** When the current assignment happened (its timeline entry). */
  assignedAt: Date | null;
}

export interface RetentionCandidate {
  reference: string;
  closedOn: LocalDate;
  outcome: string | null;
}

/** What subject access, erasure, retention and export need from storage. */
export interface PrivacyStore {
  /** Constituents matching a reference, an email, a phone number, `#<id>` or an exact name. */
  findConstituents(query: string): Promise<ConstituentSummary[]>;
  /** Each case with its timeline, files, and letters and emails (drafts too: they are about the person). */
  casesOf(constituentId: number): Promise<{ record: CaseRecord; timeline: TimelineEntryRecord[]; erasedAt: Date | null; files: CaseFileRecord[]; outgoing?: OutgoingItem[]; emails?: IntakeRecord[] }[]>;
  /**
   * Removes personal data from the cases (and the constituent when no case of theirs remains), keeping the anonymised record.
   * The cases' file rows go too; `removedFiles` are the hashes they named, whose bytes may now be unreferenced.
   * The emails taken in for the cases, and the emails `emailIds` (on no case), are cleared of sender, subject, words and
   * attachments and marked erased, keeping what became of them; their triage cards are then updated.
   */
  eraseCases(caseIds: number[], at: Date, emailIds?: readonly number[]): Promise<{ erasedEntries: number; constituentsRemoved: number; removedFiles: string[]; erasedEmails: number }>;
  /** Emails on no case, not yet erased, from any of these addresses (compared as email keys): oldest first. */
  emailsFrom(addresses: readonly string[]): Promise<IntakeRecord[]>;
  caseIdsOf(references: string[]): Promise<{ id: number; reference: string; status: string; erased: boolean; constituentId: number }[]>;
  closedBefore(instant: Date, limit: number): Promise<{ total: number; cases: RetentionCandidate[] }>;
  /** Cases not erased, received in [from, to] when given, in batches after `afterId`. */
  exportBatch(range: { from: LocalDate; to: LocalDate } | null, afterId: number, limit: number): Promise<ExportCase[]>;
}
