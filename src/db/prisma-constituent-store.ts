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

/** Live records sharing the name key, or the email or phone key when given (a null key matches nothing), with their cases counted. */
const CANDIDATES = `
  SELECT p."id", p."name", p."email", p."phone", p."name_key" AS "nameKey", p."email_key" AS "emailKey", p."phone_key" AS "phoneKey",
         count(c."id")::int AS "caseCount", coalesce(bool_or(c."sensitive"), false) AS "anySensitive"
  FROM "constituent" p LEFT JOIN "case" c ON c."constituent_id" = p."id"
  WHERE p."merged_into_id" IS NULL AND p."erased_at" IS NULL AND (p."name_key" = $1 OR p."email_key" = $2 OR p."phone_key" = $3)
  GROUP BY p."id"
  ORDER BY p."id"
  LIMIT 20`;

interface CandidateRow {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  nameKey: string | null;
  emailKey: string | null;
  phoneKey: string | null;
  caseCount: number;
  anySensitive: boolean;
}

export class PrismaConstituentStore implements ConstituentStore {
  constructor(private readonly prisma: PrismaClient) {}

  async candidates(keys: ConstituentKeys): Promise<ConstituentCandidate[]> {
    // One statement (it runs with every case logged): Prisma's include of the cases took two.
    const rows = await this.prisma.$queryRawUnsafe<CandidateRow[]>(CANDIDATES, keys.nameKey, keys.emailKey, keys.phoneKey);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      keys: { nameKey: row.nameKey ?? "", emailKey: row.emailKey, phoneKey: row.phoneKey },
      caseCount: row.caseCount,
      anySensitive: row.anySensitive,
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
