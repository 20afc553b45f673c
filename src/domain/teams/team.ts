import type { ClockType } from "../clocks/clock.ts";
import { TYPE_WORDS } from "../clocks/case-clock.ts";

/**
 * Teams of staff and their queues. A case is in the queue of the team a manager moved it to,
 * else of the team its type is routed to (a team's `caseTypes`: the words of `type`, and `none`
 * for cases on the office's own standard). A case no team claims is in no team's queue: the
 * office digest and "my cases" see every case as before.
 */

export interface TeamRecord {
  id: number;
  name: string;
  lead: { id: number; name: string } | null;
  /** Type words routed here: foi, foi-review, sar, review, cc-complaint, none. */
  caseTypes: string[];
  members: { id: number; name: string }[];
}

export interface NewTeam {
  name: string;
  leadId: number | null;
  caseTypes: string[];
  createdAt: Date;
}

export interface TeamStore {
  list(): Promise<TeamRecord[]>;
  add(team: NewTeam): Promise<TeamRecord>;
  update(id: number, change: { leadId?: number | null; caseTypes?: string[] }): Promise<void>;
  join(teamId: number, staffId: number): Promise<void>;
  leave(teamId: number, staffId: number): Promise<boolean>;
}

/** The clock types (null: the office's own standard) a team's queue takes by routing. */
export function routedTypes(team: Pick<TeamRecord, "caseTypes">): (ClockType | null)[] {
  return team.caseTypes.filter((word) => word in TYPE_WORDS).map((word) => TYPE_WORDS[word]!);
}

/** The team a type is routed to: the first (oldest) team that claims it. */
export function routeOf(teams: readonly TeamRecord[], type: ClockType | null): TeamRecord | null {
  return teams.find((team) => routedTypes(team).includes(type)) ?? null;
}

/** What a queue holds, as a case filter: moved there, or routed there by type and moved nowhere; a type another, older team claims first goes there. */
export function queueFilter(teams: readonly TeamRecord[], team: TeamRecord): { teamId: number; routedTypes: (ClockType | null)[] } {
  return { teamId: team.id, routedTypes: routedTypes(team).filter((type) => routeOf(teams, type)?.id === team.id) };
}

/** A team named as typed: by its name, whatever the case. */
export function findTeam(teams: readonly TeamRecord[], typed: string): TeamRecord | undefined {
  const wanted = typed.trim().toLowerCase();
  return teams.find((team) => team.name.toLowerCase() === wanted);
}
