import type { TemplateStore, TemplateVersion } from "../domain/letters/template-service.ts";
import type { TemplateForm } from "../domain/letters/templates.ts";
import type { PrismaClient } from "./generated/client.ts";
import { isUniqueViolation } from "./prisma-errors.ts";

type Row = { key: string; form: string; version: number; subject: string | null; body: string; changedBy: string; changedAt: Date; note: string | null };

const toVersion = (row: Row): TemplateVersion => ({ ...row, form: row.form as TemplateForm });

export class PrismaTemplateStore implements TemplateStore {
  constructor(private readonly prisma: PrismaClient) {}

  async latestAll(): Promise<TemplateVersion[]> {
    const rows = await this.prisma.letterTemplate.findMany({ orderBy: [{ key: "asc" }, { form: "asc" }, { version: "desc" }], distinct: ["key", "form"] });
    return rows.map(toVersion);
  }

  async history(key: string, form: TemplateForm): Promise<TemplateVersion[]> {
    return (await this.prisma.letterTemplate.findMany({ where: { key, form }, orderBy: { version: "desc" } })).map(toVersion);
  }

  async add(version: TemplateVersion): Promise<boolean> {
    try {
      await this.prisma.letterTemplate.create({ data: version });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
