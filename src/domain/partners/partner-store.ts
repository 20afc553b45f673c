/** One entry of the partner directory. */
export interface PartnerRecord {
  id: number;
  name: string;
  /** Other names it goes by, as written ("NYP"). */
  aliases: string[];
  /** Working days it usually has to reply; null: the office default. */
  replyDays: number | null;
  contact: string | null;
  /** A retired partner stays for the history and reports but takes no new referral. */
  active: boolean;
}

export type NewPartner = Omit<PartnerRecord, "id">;

/** One change to the directory, decided by the core on the directory as it is when written. */
export type PartnerWrite = { kind: "create"; partner: NewPartner } | { kind: "update"; id: number; patch: Partial<NewPartner> };

/** Where the partner directory is kept; only the store knows the table. */
export interface PartnerStore {
  /** Every entry, by name. */
  list(): Promise<PartnerRecord[]>;
  /**
   * Writes one change while no other directory change can be written: `decide` sees the
   * directory as it is then, and refuses (throws) or says what to write.
   */
  write(decide: (directory: PartnerRecord[]) => PartnerWrite): Promise<PartnerRecord>;
}
