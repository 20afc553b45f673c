import type { CaseRecord } from "../domain/cases/case-record.ts";
import type { ConstituentKeys } from "../domain/constituents/constituent-keys.ts";
import type { ConstituentProfileRecord, ConstituentStore, MergeFill } from "../domain/constituents/constituent-store.ts";
import type { ConstituentCandidate } from "../domain/constituents/matching.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import { CASE_INCLUDE, toCaseRecord } from "./prisma-case-store.ts";

const PROFILE = {
  id: true,
  name: true,
  email: true,
  phone: true,
  address: true,
  createdAt: true,
  erasedAt: true,
  mergedIntoId: true,
  mergedAt: true,
} satisfies Prisma.ConstituentSelect;

export class PrismaConstituentStore implements ConstituentStore {
  constructor(private readonly prisma: PrismaClient) {}

  async candidates(keys: ConstituentKeys): Promise<ConstituentCandidate[]> {
    const or: Prisma.ConstituentWhereInput[] = [{ nameKey: keys.nameKey }];
    if (keys.emailKey) or.push({ emailKey: keys.emailKey });
    if (keys.phoneKey) or.push({ phoneKey: keys.phoneKey });
    const rows = await this.prisma.constituent.findMany({
      where: { mergedIntoId: null, erasedAt: null, OR: or },
      select: { ...PROFILE, nameKey: true, emailKey: true, phoneKey: true, cases: { select: { sensitive: true } } },
      orderBy: { id: "asc" },
      take: 20,
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      keys: { nameKey: row.nameKey ?? "", emailKey: row.emailKey, phoneKey: row.phoneKey },
      caseCount: row.cases.length,
      anySensitive: row.cases.some((c) => c.sensitive),
    }));
  }

  find(id: number): Promise<ConstituentProfileRecord | null> {
    return this.prisma.constituent.findUnique({ where: { id }, select: PROFILE });
  }

  mergedInto(id: number): Promise<ConstituentProfileRecord[]> {
    return this.prisma.constituent.findMany({ where: { mergedIntoId: id }, select: PROFILE, orderBy: { id: "asc" } });
  }

  async cases(id: number): Promise<CaseRecord[]> {
    const rows = await this.prisma.case.findMany({ where: { constituentId: id }, include: CASE_INCLUDE, orderBy: { id: "asc" } });
    return rows.map(toCaseRecord);
  }

  async markMerged(fromId: number, intoId: number, at: Date, fill: MergeFill): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.constituent.updateMany({ where: { mergedIntoId: fromId }, data: { mergedIntoId: intoId } }),
      this.prisma.constituent.update({ where: { id: fromId }, data: { mergedIntoId: intoId, mergedAt: at } }),
      this.prisma.constituent.update({ where: { id: intoId }, data: fill }),
    ]);
  }

  async fillMissingKeys(keysOf: (person: { name: string; email: string | null; phone: string | null }) => ConstituentKeys): Promise<number> {
    const rows = await this.prisma.constituent.findMany({ where: { nameKey: null, erasedAt: null }, select: { id: true, name: true, email: true, phone: true } });
    for (const row of rows) await this.prisma.constituent.update({ where: { id: row.id }, data: keysOf(row) });
    return rows.length;
  }
}
