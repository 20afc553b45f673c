import type { Period } from "../domain/reports/period.ts";
import type { CaseHistory, ReportStore } from "../domain/reports/report.ts";
import { endOfLondonDay, addDays } from "../domain/calendar/local-date.ts";
import type { PrismaClient } from "./generated/client.ts";

/**
 * The cases a report may count, each with its whole timeline (types, times and details;
 * never free text), in one statement. Which of them count, and how, is decided by the
 * figures (src/domain/reports); this is a superset by the case table's dates: received by
 * the period's end and either received in it, not closed before it began, or with a
 * referral open during it.
 */
const CASE_HISTORIES = `
  SELECT c."reference", c."sensitive", c."kind", c."themes",
    (SELECT json_agg(json_build_object('seq', t."seq", 'cycle', t."cycle", 'type', t."type", 'at', t."at",
                                       'recordedAt', t."recorded_at", 'detail', t."detail") ORDER BY t."seq")
     FROM "timeline_entry" t WHERE t."case_id" = c."id") AS "entries"
  FROM "case" c
  WHERE c."received_on" <= $2::date
    AND (c."received_on" >= $1::date OR c."status" <> 'closed' OR c."closed_at" >= $3
         OR EXISTS (SELECT 1 FROM "referral" r WHERE r."case_id" = c."id" AND (r."replied_at" IS NULL OR r."replied_at" >= $3))
         -- A case closed before the period with a step in it or since (a review's finding, the force's answer, a
         -- satisfaction answer), or still owed the force's answer: the figures read its history too.
         OR c."force_answer_due" IS NOT NULL
         OR EXISTS (SELECT 1 FROM "timeline_entry" t WHERE t."case_id" = c."id" AND t."at" >= $3))
  ORDER BY c."received_on", c."reference"`;

interface HistoryRow {
  reference: string;
  sensitive: boolean;
  kind: string;
  themes: string[];
  entries: { seq: number; cycle: number; type: string; at: string; recordedAt: string | null; detail: Record<string, unknown> | null }[] | null;
}

export class PrismaReportStore implements ReportStore {
  constructor(private readonly prisma: PrismaClient) {}

  async caseHistories(period: Period): Promise<CaseHistory[]> {
    const start = new Date(endOfLondonDay(addDays(period.from, -1)).getTime() + 1);
    const rows = await this.prisma.$queryRawUnsafe<HistoryRow[]>(CASE_HISTORIES, period.from, period.to, start);
    return rows.map((row) => ({
      reference: row.reference,
      sensitive: row.sensitive,
      kind: row.kind,
      themes: row.themes,
      entries: (row.entries ?? []).map((entry) => ({
        seq: entry.seq,
        cycle: entry.cycle,
        type: entry.type,
        at: new Date(entry.at),
        recordedAt: entry.recordedAt === null ? null : new Date(entry.recordedAt),
        detail: entry.detail ?? {},
      })),
    }));
  }

  async themeCounts(period: Period) {
    return this.prisma.$queryRawUnsafe<{ theme: string; kind: string; count: number; examples: string[] }[]>(
      `SELECT lower(theme) AS "theme", c."kind", count(*)::int AS "count",
              coalesce((array_agg(c."reference" ORDER BY c."received_on" DESC) FILTER (WHERE NOT c."sensitive"))[1:3], '{}') AS "examples"
       FROM "case" c CROSS JOIN LATERAL unnest(c."themes") AS theme
       WHERE c."received_on" BETWEEN $1::date AND $2::date AND c."status" <> 'voided'
       GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
      period.from,
      period.to,
    );
  }
}
