import type { CaseFileRecord, CaseFileStore, FileSource } from "../domain/files/case-files.ts";
import type { PrismaClient } from "./generated/client.ts";

/** Which case holds which stored file: rows of `case_file` (written with the case's timeline entry by the case store). */
export class PrismaCaseFileStore implements CaseFileStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(caseId: number): Promise<CaseFileRecord[]> {
    const rows = await this.prisma.caseFile.findMany({
      where: { caseId },
      include: { addedBy: { select: { id: true, name: true } } },
      orderBy: { id: "asc" },
    });
    return rows.map(({ addedById: _addedById, source, ...row }) => ({ ...row, source: source as FileSource }));
  }

  /** Whether any case file, or any email taken in (its attachments), still names these bytes. */
  async isReferenced(sha256: string): Promise<boolean> {
    const [files, emails] = await Promise.all([
      this.prisma.caseFile.count({ where: { sha256 }, take: 1 }),
      this.prisma.intakeMessage.count({ where: { attachments: { array_contains: [{ sha256 }] } }, take: 1 }),
    ]);
    return files + emails > 0;
  }
}
