import type { PartnerRecord, PartnerStore, PartnerWrite } from "../domain/partners/partner-store.ts";
import type { PrismaClient } from "./generated/client.ts";

type PartnerRow = Awaited<ReturnType<PrismaClient["partner"]["findFirstOrThrow"]>>;

export class PrismaPartnerStore implements PartnerStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<PartnerRecord[]> {
    return (await this.prisma.partner.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toPartnerRecord);
  }

  write(decide: (directory: PartnerRecord[]) => PartnerWrite): Promise<PartnerRecord> {
    return this.prisma.$transaction(async (tx) => {
      // Two managers adding the same alias at once: the second decides on the directory with the first's change in it.
      // (Referrals only read partner rows, so they are not held up.)
      await tx.$executeRaw`LOCK TABLE "partner" IN SHARE ROW EXCLUSIVE MODE`;
      const directory = (await tx.partner.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toPartnerRecord);
      const write = decide(directory);
      const row = write.kind === "create" ? await tx.partner.create({ data: write.partner }) : await tx.partner.update({ where: { id: write.id }, data: write.patch });
      return toPartnerRecord(row);
    });
  }
}

function toPartnerRecord(row: PartnerRow): PartnerRecord {
  return { id: row.id, name: row.name, aliases: row.aliases, replyDays: row.replyDays, contact: row.contact, active: row.active };
}
