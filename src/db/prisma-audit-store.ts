import { formatDate, localDateFromDb } from "../domain/calendar/local-date.ts";
import type { AuditException, AuditStore, ChainRow, DeadlineRow } from "../domain/audit/audit.ts";
import type { PrismaClient } from "./generated/client.ts";
import { sealCase } from "./timeline-chain.ts";

const OPEN = `c."status" NOT IN ('closed', 'voided')`;
const AWAITING = `c."status" IN ('new', 'acknowledged', 'in_progress', 'awaiting_partner')`;
/** Entries that are work on the case (not bookkeeping such as assignment or stale flags). */
const ACTION_TYPES = `('note','call_in','call_out','email_in','email_out','letter_in','letter_out','meeting','holding_reply','partner_referral','partner_reply','partner_chase','responded','closed')`;

/** Per case, what its timeline says: the facts the status and dates must agree with. */
const PER_CASE = `
  SELECT c."id", c."reference", c."status", c."cycle", c."outcome", c."logged_at",
         c."acknowledged_at" IS NOT NULL AS "has_acknowledged_at", c."responded_at" IS NOT NULL AS "has_responded_at",
         c."closed_at" IS NOT NULL AS "has_closed_at",
         count(t."id")::int AS "entries", coalesce(max(t."seq"), 0)::int AS "max_seq",
         count(t."id") FILTER (WHERE t."type" = 'reopened')::int AS "reopens",
         (array_agg(t."type" ORDER BY t."seq"))[1] AS "first_type",
         (array_agg(t."at" ORDER BY t."seq"))[1] AS "first_at",
         (array_agg(t."type" ORDER BY t."seq" DESC) FILTER (WHERE t."type" IN ('closed', 'reopened', 'voided')))[1] AS "last_close",
         coalesce(bool_or(t."type" IN ('acknowledged', 'responded')), false) AS "acknowledged",
         coalesce(bool_or(t."type" = 'responded' AND t."cycle" = c."cycle"), false) AS "responded",
         coalesce(bool_or(t."type" = 'partner_referral'), false) AS "referred"
  FROM "case" c LEFT JOIN "timeline_entry" t ON t."case_id" = c."id"
  GROUP BY c."id"`;

interface PerCase {
  id: number;
  reference: string;
  status: string;
  cycle: number;
  outcome: string | null;
  has_acknowledged_at: boolean;
  has_responded_at: boolean;
  has_closed_at: boolean;
  entries: number;
  max_seq: number;
  reopens: number;
  first_type: string | null;
  last_close: string | null;
  acknowledged: boolean;
  responded: boolean;
  referred: boolean;
}

/** Why a case's status or dates are not explained by its timeline, or null when they are. */
function timelineGap(row: PerCase): string | null {
  if (row.entries === 0) return "no timeline entries at all";
  if (row.first_type !== "logged" && row.first_type !== "imported") return `first entry is “${row.first_type}”, not the logging`;
  if ((row.status === "closed") !== (row.last_close === "closed")) return `status ${row.status}, but the timeline's last close/reopen is ${row.last_close ?? "none"}`;
  if ((row.status === "voided") !== (row.last_close === "voided")) return `status ${row.status}, but the timeline's last close/reopen/void is ${row.last_close ?? "none"}`;
  // A case closed and then voided keeps its closing date.
  if (row.status !== "voided" && row.has_closed_at !== (row.status === "closed")) return "closing date and status disagree";
  if (row.cycle !== row.reopens + 1) return `cycle ${row.cycle}, but ${row.reopens} reopening(s) on the timeline`;
  // Closing (withdrawn, duplicate…) and reopening may skip the acknowledgement; only these claim one.
  if ((row.status === "acknowledged" || row.has_acknowledged_at) && !row.acknowledged) return `status ${row.status}, but no acknowledgement on the timeline`;
  if ((row.status === "responded" || row.has_responded_at) && !row.responded) return "marked responded, but no response in this cycle on the timeline";
  if (row.status === "awaiting_partner" && !row.referred) return "awaiting a partner, but no referral on the timeline";
  return null;
}

export class PrismaAuditStore implements AuditStore {
  constructor(private readonly prisma: PrismaClient) {}

  async sealPreChainEntries(): Promise<number> {
    const cases = await this.prisma.timelineEntry.findMany({ where: { chainHash: null }, distinct: ["caseId"], select: { caseId: true } });
    let sealed = 0;
    for (const { caseId } of cases) {
      sealed += await this.prisma.$transaction(async (tx) => {
        // Lock the case row so a change being written meanwhile waits for the seal.
        await tx.$queryRaw`SELECT 1 FROM "case" WHERE "id" = ${caseId} FOR UPDATE`;
        return sealCase(tx, caseId);
      });
    }
    return sealed;
  }

  async findRuleExceptions(today: string): Promise<AuditException[]> {
    const found: AuditException[] = [];
    const unassigned = await this.prisma.$queryRawUnsafe<{ reference: string; acknowledge_by: Date }[]>(
      `SELECT c."reference", c."acknowledge_by" FROM "case" c WHERE ${OPEN} AND c."assignee_id" IS NULL AND c."acknowledge_by" < $1::date ORDER BY c."id"`,
      today,
    );
    for (const row of unassigned) {
      found.push({ kind: "unassigned_past_acknowledgement", subject: row.reference, detail: `no assignee; acknowledgement was due ${formatDate(localDateFromDb(row.acknowledge_by))}` });
    }
    const idle = await this.prisma.$queryRawUnsafe<{ reference: string; respond_by: Date }[]>(
      `SELECT c."reference", c."respond_by" FROM "case" c
       WHERE ${AWAITING} AND c."acknowledged_at" IS NOT NULL AND c."respond_by" < $1::date
         AND NOT EXISTS (SELECT 1 FROM "timeline_entry" t WHERE t."case_id" = c."id" AND t."cycle" = c."cycle"
                         AND t."at" > c."acknowledged_at" AND t."type" IN ${ACTION_TYPES})
       ORDER BY c."id"`,
      today,
    );
    for (const row of idle) {
      found.push({ kind: "no_action_past_response", subject: row.reference, detail: `nothing done since the acknowledgement; response was due ${formatDate(localDateFromDb(row.respond_by))}` });
    }
    const closed = await this.prisma.$queryRawUnsafe<{ reference: string; outcome: string | null }[]>(
      `SELECT c."reference", c."outcome" FROM "case" c
       WHERE c."status" = 'closed' AND (c."outcome" IS NULL OR (c."outcome" = 'responded' AND (c."responded_at" IS NULL
         OR NOT EXISTS (SELECT 1 FROM "timeline_entry" t WHERE t."case_id" = c."id" AND t."cycle" = c."cycle" AND t."type" = 'responded'))))
       ORDER BY c."id"`,
    );
    for (const row of closed) {
      found.push({ kind: "closed_without_outcome", subject: row.reference, detail: row.outcome ? "closed as responded, but no response was recorded" : "closed with no outcome" });
    }
    for (const row of await this.prisma.$queryRawUnsafe<PerCase[]>(`${PER_CASE} ORDER BY c."id"`)) {
      const gap = timelineGap(row);
      if (gap) found.push({ kind: "timeline_gap", subject: row.reference, detail: gap });
    }
    return found;
  }

  async openCaseDeadlines(afterId: number, limit: number): Promise<DeadlineRow[]> {
    const rows = await this.prisma.case.findMany({
      where: { id: { gt: afterId }, status: { notIn: ["closed", "voided"] } },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true, reference: true, receivedOn: true, cycleStartedOn: true, acknowledgeBy: true, respondBy: true },
    });
    return rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      receivedOn: localDateFromDb(row.receivedOn),
      cycleStartedOn: localDateFromDb(row.cycleStartedOn),
      acknowledgeBy: localDateFromDb(row.acknowledgeBy),
      respondBy: localDateFromDb(row.respondBy),
    }));
  }

  timelineBatch(after: { caseId: number; seq: number }, limit: number): Promise<ChainRow[]> {
    return this.prisma.timelineEntry.findMany({
      where: { OR: [{ caseId: { gt: after.caseId } }, { caseId: after.caseId, seq: { gt: after.seq } }] },
      orderBy: [{ caseId: "asc" }, { seq: "asc" }],
      take: limit,
      select: {
        id: true, caseId: true, seq: true, cycle: true, at: true, type: true, actorId: true, platform: true,
        text: true, detail: true, recordedAt: true, nonce: true, contentHash: true, chainHash: true, erasedAt: true,
      },
    });
  }

  async referencesOf(caseIds: number[]): Promise<Map<number, string>> {
    if (caseIds.length === 0) return new Map();
    const rows = await this.prisma.case.findMany({ where: { id: { in: caseIds } }, select: { id: true, reference: true } });
    return new Map(rows.map((row) => [row.id, row.reference]));
  }

  async monthCounts() {
    const rows = await this.prisma.$queryRawUnsafe<{ month: string; logged: number; closed: number; voided: number; open: number; cases_in_table: number; closed_by_status: number; voided_by_status: number }[]>(
      `WITH per_case AS (${PER_CASE}),
       by_timeline AS (
         SELECT to_char("first_at" AT TIME ZONE 'Europe/London', 'YYYY-MM') AS "month",
                count(*)::int AS "logged",
                count(*) FILTER (WHERE "last_close" = 'closed')::int AS "closed",
                count(*) FILTER (WHERE "last_close" = 'voided')::int AS "voided",
                count(*) FILTER (WHERE "last_close" IS NULL OR "last_close" = 'reopened')::int AS "open"
         FROM per_case WHERE "first_type" IN ('logged', 'imported') GROUP BY 1),
       by_table AS (
         SELECT to_char("logged_at" AT TIME ZONE 'Europe/London', 'YYYY-MM') AS "month", count(*)::int AS "cases_in_table",
                count(*) FILTER (WHERE "status" = 'closed')::int AS "closed_by_status",
                count(*) FILTER (WHERE "status" = 'voided')::int AS "voided_by_status"
         FROM "case" GROUP BY 1)
       SELECT coalesce(t."month", c."month") AS "month", coalesce(t."logged", 0) AS "logged", coalesce(t."closed", 0) AS "closed",
              coalesce(t."voided", 0) AS "voided", coalesce(t."open", 0) AS "open", coalesce(c."cases_in_table", 0) AS "cases_in_table",
              coalesce(c."closed_by_status", 0) AS "closed_by_status", coalesce(c."voided_by_status", 0) AS "voided_by_status"
       FROM by_timeline t FULL JOIN by_table c ON c."month" = t."month" ORDER BY 1`,
    );
    return rows.map((row) => ({
      month: row.month,
      logged: row.logged,
      closed: row.closed,
      voided: row.voided,
      open: row.open,
      casesInTable: row.cases_in_table,
      closedByStatus: row.closed_by_status,
      voidedByStatus: row.voided_by_status,
    }));
  }

  async yearCounts() {
    const rows = await this.prisma.$queryRawUnsafe<{ year: number; last_number: number; cases: number; beyond: number; missing: number[] | null }[]>(
      `SELECT y."year", coalesce(k."last_number", 0)::int AS "last_number", y."cases"::int AS "cases", y."beyond"::int AS "beyond",
              (SELECT array_agg(n ORDER BY n) FROM (
                 SELECT n FROM generate_series(1, coalesce(k."last_number", 0)) AS n
                 WHERE NOT EXISTS (SELECT 1 FROM "case" c WHERE c."year" = y."year" AND c."number" = n) LIMIT 100) m) AS "missing"
       FROM (SELECT c."year", count(*) AS "cases",
                    count(*) FILTER (WHERE c."number" > coalesce((SELECT "last_number" FROM "case_counter" WHERE "year" = c."year"), 0)) AS "beyond"
             FROM "case" c GROUP BY c."year"
             UNION ALL SELECT k2."year", 0, 0 FROM "case_counter" k2 WHERE NOT EXISTS (SELECT 1 FROM "case" c WHERE c."year" = k2."year")) y
       LEFT JOIN "case_counter" k ON k."year" = y."year" ORDER BY y."year"`,
    );
    return rows.map((row) => ({ year: row.year, lastNumber: row.last_number, cases: row.cases, beyondCounter: row.beyond, missing: row.missing ?? [] }));
  }

  async caseCounts() {
    const [row] = await this.prisma.$queryRawUnsafe<{ total: number; open: number; closed: number; voided: number; erased: number }[]>(
      `SELECT count(*)::int AS "total", count(*) FILTER (WHERE "status" NOT IN ('closed', 'voided'))::int AS "open",
              count(*) FILTER (WHERE "status" = 'closed')::int AS "closed", count(*) FILTER (WHERE "status" = 'voided')::int AS "voided",
              count("erased_at")::int AS "erased" FROM "case"`,
    );
    return row ?? { total: 0, open: 0, closed: 0, voided: 0, erased: 0 };
  }
}
