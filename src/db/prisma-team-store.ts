import type { NewTeam, TeamRecord, TeamStore } from "../domain/teams/team.ts";
import type { PrismaClient } from "./generated/client.ts";

const INCLUDE = { lead: { select: { id: true, name: true } }, members: { select: { staff: { select: { id: true, name: true } } }, orderBy: { staffId: "asc" as const } } };

type TeamRow = { id: number; name: string; caseTypes: string[]; lead: { id: number; name: string } | null; members: { staff: { id: number; name: string } }[] };

function toRecord(row: TeamRow): TeamRecord {
  return { id: row.id, name: row.name, lead: row.lead, caseTypes: row.caseTypes, members: row.members.map((member) => member.staff).sort((a, b) => a.name.localeCompare(b.name)) };
}

export class PrismaTeamStore implements TeamStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<TeamRecord[]> {
    return (await this.prisma.team.findMany({ include: INCLUDE, orderBy: { id: "asc" } })).map(toRecord);
  }

  async add(team: NewTeam): Promise<TeamRecord> {
    return toRecord(await this.prisma.team.create({ data: team, include: INCLUDE }));
  }

  async update(id: number, change: { leadId?: number | null; caseTypes?: string[] }): Promise<void> {
    await this.prisma.team.update({ where: { id }, data: change });
  }

  async join(teamId: number, staffId: number): Promise<void> {
    await this.prisma.teamMember.upsert({ where: { teamId_staffId: { teamId, staffId } }, create: { teamId, staffId }, update: {} });
  }

  async leave(teamId: number, staffId: number): Promise<boolean> {
    return (await this.prisma.teamMember.deleteMany({ where: { teamId, staffId } })).count > 0;
  }
}
