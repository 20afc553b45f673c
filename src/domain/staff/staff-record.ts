import type { Role } from "./roles.ts";

export interface StaffRecord {
  id: number;
  name: string;
  email: string | null;
  slackUserId: string | null;
  teamsUserId: string | null;
  roles: Role[];
  active: boolean;
}

export type NewStaff = Omit<StaffRecord, "id" | "active">;

/** How a platform names the person making a request. */
export type StaffIdentity =
  | { slackUserId: string }
  | { teamsUserId: string }
  /** Name, email, Slack user id or Teams user id, as typed at the CLI. */
  | { lookup: string };

export interface StaffStore {
  /** Creates the record; with `onlyIfEmpty`, atomically refuses unless no staff exist yet. */
  create(staff: NewStaff, options: { onlyIfEmpty: boolean }): Promise<StaffRecord | null>;
  update(id: number, patch: Partial<NewStaff & { active: boolean }>): Promise<StaffRecord>;
  count(): Promise<number>;
  findById(id: number): Promise<StaffRecord | null>;
  findBySlackId(slackUserId: string): Promise<StaffRecord | null>;
  findByTeamsId(teamsUserId: string): Promise<StaffRecord | null>;
  /** Every active record whose name, email or platform id matches, ignoring case. */
  findByLookup(text: string): Promise<StaffRecord[]>;
  list(): Promise<StaffRecord[]>;
}
