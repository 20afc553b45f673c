import type { NewStaff, StaffRecord, StaffStore } from "../domain/staff/staff-record.ts";
import type { Role } from "../domain/staff/roles.ts";
import type { PrismaClient } from "./generated/client.ts";
import { DomainError } from "../domain/errors.ts";
import { isUniqueViolation } from "./prisma-errors.ts";

type StaffRow = Awaited<ReturnType<PrismaClient["staff"]["findFirstOrThrow"]>>;

export class PrismaStaffStore implements StaffStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(staff: NewStaff, options: { onlyIfEmpty: boolean }): Promise<StaffRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      if (options.onlyIfEmpty) {
        // Two first registrations at once must not both become the bootstrap admin.
        await tx.$executeRaw`LOCK TABLE "staff" IN SHARE ROW EXCLUSIVE MODE`;
        if ((await tx.staff.count()) > 0) return null;
      }
      return toStaffRecord(await tx.staff.create({ data: staff }));
    });
  }

  async update(id: number, patch: Partial<NewStaff & { active: boolean }>): Promise<StaffRecord> {
    try {
      return toStaffRecord(await this.prisma.staff.update({ where: { id }, data: patch }));
    } catch (error) {
      // Two changes at once gave the same id or email to two people: the second is refused.
      if (isUniqueViolation(error)) throw new DomainError("already_exists", "That email or platform id was just given to someone else. See who has it with: staff list.");
      throw error;
    }
  }

  count(): Promise<number> {
    return this.prisma.staff.count();
  }

  async findById(id: number): Promise<StaffRecord | null> {
    const row = await this.prisma.staff.findUnique({ where: { id } });
    return row && toStaffRecord(row);
  }

  async findBySlackId(slackUserId: string): Promise<StaffRecord | null> {
    const row = await this.prisma.staff.findUnique({ where: { slackUserId } });
    return row && toStaffRecord(row);
  }

  async findByTeamsId(teamsUserId: string): Promise<StaffRecord | null> {
    const row = await this.prisma.staff.findUnique({ where: { teamsUserId } });
    return row && toStaffRecord(row);
  }

  async findByLookup(text: string): Promise<StaffRecord[]> {
    const equals = { equals: text, mode: "insensitive" as const };
    const rows = await this.prisma.staff.findMany({
      where: { active: true, OR: [{ name: equals }, { email: equals }, { slackUserId: equals }, { teamsUserId: equals }] },
      orderBy: { id: "asc" },
    });
    return rows.map(toStaffRecord);
  }

  async list(): Promise<StaffRecord[]> {
    return (await this.prisma.staff.findMany({ orderBy: { name: "asc" } })).map(toStaffRecord);
  }
}

function toStaffRecord(row: StaffRow): StaffRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    slackUserId: row.slackUserId,
    teamsUserId: row.teamsUserId,
    roles: row.roles as Role[],
    active: row.active,
  };
}
