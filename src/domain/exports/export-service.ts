import { addDays, londonDateOf } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { caseDeadlines } from "../cases/case-view.ts";
import { IMPORT_COLUMNS } from "../cases/import.schema.ts";
import type { RuleContext } from "../cases/lifecycle.ts";
import { DomainError } from "../errors.ts";
import type { Clock, RequestContext } from "../ports.ts";
import type { AccessLog } from "../privacy/access-log.ts";
import type { ExportCase, PrivacyStore } from "../privacy/privacy-store.ts";
import { parsePeriod } from "../reports/period.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import { toCsv } from "./csv.ts";

const BATCH = 1_000;

export interface CsvFile {
  filename: string;
  content: string;
  rows: number;
  title: string;
}

/**
 * The spreadsheet's columns: those `postbag import` reads, then where the case stands as of
 * the export (status, each deadline with its state and working days late), which import
 * ignores, so the spreadsheet alone shows what is late.
 */
export const EXPORT_COLUMNS = [
  ...IMPORT_COLUMNS,
  "status",
  "acknowledge_by",
  "acknowledgement_state",
  "acknowledgement_working_days_late",
  "respond_by",
  "response_state",
  "response_working_days_late",
] as const;

/** One case as a row of the office's spreadsheet. */
export function exportRow({ record, assigneeLookup, assignedAt }: ExportCase, ctx: Pick<RuleContext, "today" | "calendar">): Record<string, string> {
  const on = (instant: Date | null) => (instant ? londonDateOf(instant) : "");
  const { acknowledgement, response } = caseDeadlines(record, ctx);
  return {
    reference: record.reference,
    received_on: record.receivedOn,
    channel: record.channel,
    constituent_name: record.constituent.name,
    constituent_email: record.constituent.email ?? "",
    constituent_phone: record.constituent.phone ?? "",
    constituent_address: record.constituent.address ?? "",
    subject: record.subject,
    summary: record.summary,
    kind: record.kind,
    themes: record.themes.join(";"),
    sensitive: record.sensitive ? "yes" : "no",
    assignee: assigneeLookup ?? "",
    assigned_on: on(assignedAt),
    acknowledged_on: on(record.acknowledgedAt),
    responded_on: on(record.respondedAt),
    closed_on: record.status === "closed" ? on(record.closedAt) : "",
    outcome: record.status === "closed" ? (record.outcome ?? "") : "",
    status: record.status,
    acknowledge_by: record.acknowledgeBy,
    acknowledgement_state: acknowledgement.state,
    acknowledgement_working_days_late: String(acknowledgement.workingDaysLate),
    respond_by: record.respondBy,
    response_state: response.state,
    response_working_days_late: String(response.workingDaysLate),
  };
}

/** `export [period]` (managers): the back-up spreadsheet; every export is written to the audit log. */
export class ExportService {
  constructor(
    private readonly store: PrivacyStore,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
  ) {}

  async exportCases(actor: Actor, rawPeriod: unknown, request: RequestContext): Promise<CsvFile> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can export cases.");
    const today = londonDateOf(this.clock.now());
    const period = rawPeriod === undefined || rawPeriod === "" ? null : parsePeriod(rawPeriod, today);
    const chunks: string[] = [];
    let rows = 0;
    for (let after = 0; ; ) {
      const batch = await this.store.exportBatch(period && { from: period.from, to: period.to }, after, BATCH);
      chunks.push(toCsv(EXPORT_COLUMNS, batch.map((row) => exportRow(row, { today, calendar: this.calendar })), { header: after === 0 }));
      rows += batch.length;
      if (batch.length < BATCH) break;
      after = batch.at(-1)!.id;
    }
    const scope = period ? period.label : "all cases";
    await this.accessLog.record(actor, request.platform, "export", period ? `${period.from}..${period.to}` : "all", `${rows} case(s) exported as CSV`);
    return {
      filename: `postbag-cases-${period ? periodSlug(period) : `all-${today}`}.csv`,
      content: chunks.join(""),
      rows,
      title: `Cases export — ${scope} (${rows} case${rows === 1 ? "" : "s"})`,
    };
  }
}

/** `2026-04`, `2026-04-to-2026-06`, or for days `2026-04-01-to-2026-04-15`. */
function periodSlug(period: { from: string; to: string }): string {
  const wholeMonths = period.from.endsWith("-01") && addDays(period.to, 1).endsWith("-01");
  const [from, to] = wholeMonths ? [period.from.slice(0, 7), period.to.slice(0, 7)] : [period.from, period.to];
  return from === to ? from : `${from}-to-${to}`;
}
