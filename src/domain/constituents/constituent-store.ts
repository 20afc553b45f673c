import type { CaseRecord } from "../cases/case-record.ts";
import type { ConstituentKeys } from "./constituent-keys.ts";
import type { ConstituentCandidate } from "./matching.ts";

/** A constituent's own record: details as written, and whether it was merged into another. */
export interface ConstituentProfileRecord {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  createdAt: Date;
  erasedAt: Date | null;
  mergedIntoId: number | null;
  mergedAt: Date | null;
}

/** Where constituents are kept; only the store knows the tables. */
export interface ConstituentStore {
  /** Constituents (neither merged away nor erased) sharing any key with these. */
  candidates(keys: ConstituentKeys): Promise<ConstituentCandidate[]>;
  find(id: number): Promise<ConstituentProfileRecord | null>;
  /** The records merged into this one, oldest first. */
  mergedInto(id: number): Promise<ConstituentProfileRecord[]>;
  /** Every case of a constituent, oldest first, whatever its state. */
  cases(id: number): Promise<CaseRecord[]>;
  /**
   * Marks `fromId` merged into `intoId` (and whatever was merged into `fromId` with it), its cases
   * having moved, and gives `intoId` the details it lacked (`fill`).
   */
  markMerged(fromId: number, intoId: number, at: Date, fill: MergeFill): Promise<void>;
  /** Fills the comparison keys of records written before they existed; returns how many. */
  fillMissingKeys(keysOf: (person: { name: string; email: string | null; phone: string | null }) => ConstituentKeys): Promise<number>;
}

/** Details the kept record lacked and takes from the merged one, with their keys. */
export type MergeFill = Partial<{ email: string; phone: string; address: string; emailKey: string; phoneKey: string }>;
