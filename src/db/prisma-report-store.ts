import type { Period } from "../domain/reports/period.ts";
import type { CaseFacts, ReferralFacts, ReportStore } from "../domain/reports/report.ts";
import type { PrismaClient } from "./generated/client.ts";

/**
 * Report facts from the timeline, aggregated in SQL: one small row per case received in
 * the period or open at its end, never whole timelines. Receipt date and channel come from
 * each case's first entry; every step from the entries up to the period's end.
 */
const CASE_FACTS = `
  WITH first AS (
    SELECT t."case_id", t."detail"->>'receivedOn' AS "received_on", t."detail"->>'channel' AS "channel"
    FROM "timeline_entry" t WHERE t."seq" = 1 AND t."type" IN ('logged', 'imported') AND t."detail"->>'receivedOn' <= $2
  ), facts AS (
    SELECT c."reference", c."sensitive", c."kind", c."themes", f."received_on", f."channel",
      min(t."at") FILTER (WHERE t."type" IN ('acknowledged', 'responded')) AS "acknowledged_at",
      min(t."at") FILTER (WHERE t."type" = 'responded' AND t."cycle" = 1) AS "responded_at",
      coalesce(bool_or(t."type" = 'closed' AND t."cycle" = 1 AND t."detail"->>'outcome' <> 'responded'), false) AS "closed_without_response",
      (array_agg(t."type" ORDER BY t."seq" DESC) FILTER (WHERE t."type" IN ('closed', 'reopened')))[1] AS "last_close",
      (array_agg(t."detail"->>'respondBy' ORDER BY t."seq" DESC) FILTER (WHERE t."type" = 'reopened'))[1] AS "reopen_respond_by",
      max(t."seq") FILTER (WHERE t."type" = 'responded') AS "last_response_seq",
      max(t."seq") FILTER (WHERE t."type" = 'reopened') AS "last_reopen_seq",
      max(t."at") FILTER (WHERE t."type" NOT IN ('assigned', 'flagged_stale')) AS "last_action_at",
      (array_agg(t."detail"->>'to' ORDER BY t."seq" DESC) FILTER (WHERE t."type" = 'assigned'))[1] AS "assignee_id"
    FROM first f JOIN "case" c ON c."id" = f."case_id" JOIN "timeline_entry" t ON t."case_id" = f."case_id" AND t."at" <= $3
    GROUP BY c."id", f."received_on", f."channel"
  )
  SELECT * FROM facts WHERE "received_on" >= $1 OR "last_close" IS DISTINCT FROM 'closed'
  ORDER BY "received_on", "reference"`;

const REFERRAL_FACTS = `
  SELECT * FROM (
    SELECT c."reference", r."detail"->>'partner' AS "partner", r."at" AS "sent_at", r."detail"->>'expectedBy' AS "expected_by",
      (SELECT min(p."at") FROM "timeline_entry" p WHERE p."case_id" = r."case_id" AND p."type" = 'partner_reply'
         AND lower(p."detail"->>'partner') = lower(r."detail"->>'partner') AND p."seq" > r."seq" AND p."at" <= $2) AS "replied_at"
    FROM "timeline_entry" r JOIN "case" c ON c."id" = r."case_id"
    WHERE r."type" = 'partner_referral' AND r."at" <= $2) x
  WHERE x."sent_at" >= $1 OR x."replied_at" IS NULL OR x."replied_at" >= $1
  ORDER BY x."sent_at"`;

interface FactsRow {
  reference: string;
  sensitive: boolean;
  kind: string;
  themes: string[];
  received_on: string;
  channel: string;
  acknowledged_at: Date | null;
  responded_at: Date | null;
  closed_without_response: boolean;
  last_close: string | null;
  reopen_respond_by: string | null;
  last_response_seq: number | null;
  last_reopen_seq: number | null;
  last_action_at: Date | null;
  assignee_id: string | null;
}

export class PrismaReportStore implements ReportStore {
  constructor(private readonly prisma: PrismaClient) {}

  async caseFacts(period: Period, end: Date): Promise<CaseFacts[]> {
    const rows = await this.prisma.$queryRawUnsafe<FactsRow[]>(CASE_FACTS, period.from, period.to, end);
    return rows.map((row) => ({
      reference: row.reference,
      sensitive: row.sensitive,
      kind: row.kind,
      themes: row.themes,
      receivedOn: row.received_on,
      channel: row.channel,
      acknowledgedAt: row.acknowledged_at,
      respondedAt: row.responded_at,
      closedWithoutResponse: row.closed_without_response,
      closedAtEnd: row.last_close === "closed",
      reopenRespondBy: row.reopen_respond_by,
      respondedThisCycleAtEnd: row.last_response_seq !== null && (row.last_reopen_seq === null || row.last_response_seq > row.last_reopen_seq),
      lastActionAt: row.last_action_at,
      assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
    }));
  }

  async referralFacts(period: Period, end: Date): Promise<ReferralFacts[]> {
    const start = new Date(`${period.from}T00:00:00Z`);
    const rows = await this.prisma.$queryRawUnsafe<{ reference: string; partner: string; sent_at: Date; expected_by: string; replied_at: Date | null }[]>(
      REFERRAL_FACTS,
      // A London day starts at most an hour before UTC midnight; the figures use London dates of each instant.
      new Date(start.getTime() - 3_600_000),
      end,
    );
    return rows.map((row) => ({ caseReference: row.reference, partner: row.partner, sentAt: row.sent_at, expectedBy: row.expected_by, repliedAt: row.replied_at }));
  }

  async reopenedCount(from: Date, end: Date): Promise<number> {
    return this.prisma.timelineEntry.count({ where: { type: "reopened", at: { gte: from, lte: end } } });
  }

  async themeCounts(period: Period) {
    return this.prisma.$queryRawUnsafe<{ theme: string; kind: string; count: number; examples: string[] }[]>(
      `SELECT lower(theme) AS "theme", c."kind", count(*)::int AS "count",
              coalesce((array_agg(c."reference" ORDER BY c."received_on" DESC) FILTER (WHERE NOT c."sensitive"))[1:3], '{}') AS "examples"
       FROM "case" c CROSS JOIN LATERAL unnest(c."themes") AS theme
       WHERE c."received_on" BETWEEN $1::date AND $2::date
       GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
      period.from,
      period.to,
    );
  }
}
