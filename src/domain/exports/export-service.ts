import { londonDateOf } from "../calendar/local-date.ts";
import { IMPORT_COLUMNS } from "../cases/import.schema.ts";
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

/** One case as a row of the office's spreadsheet, in the columns `postbag import` reads. */
export function exportRow({ record, assigneeLookup }: ExportCase): Record<string, string> {
  const on = (instant: Date | null) => (instant ? londonDateOf(instant) : "");
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
    acknowledged_on: on(record.acknowledgedAt),
    responded_on: on(record.respondedAt),
    closed_on: record.status === "closed" ? on(record.closedAt) : "",
    outcome: record.status === "closed" ? (record.outcome ?? "") : "",
  };
}

/** `export [period]` (managers): the back-up spreadsheet; every export is written to the audit log. */
export class ExportService {
  constructor(
    private readonly store: PrivacyStore,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
  ) {}

  async exportCases(actor: Actor, rawPeriod: unknown, request: RequestContext): Promise<CsvFile> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can export cases.");
    const today = londonDateOf(this.clock.now());
    const period = rawPeriod === undefined || rawPeriod === "" ? null : parsePeriod(rawPeriod, today);
    const chunks: string[] = [];
    let rows = 0;
    for (let after = 0; ; ) {
      const batch = await this.store.exportBatch(period && { from: period.from, to: period.to }, after, BATCH);
      chunks.push(toCsv(IMPORT_COLUMNS, batch.map(exportRow), { header: after === 0 }));
      rows += batch.length;
      if (batch.length < BATCH) break;
      after = batch.at(-1)!.id;
    }
    const scope = period ? period.label : "all cases";
    await this.accessLog.record(actor, request.platform, "export", period ? `${period.from}..${period.to}` : "all", `${rows} case(s) exported as CSV`);
    return {
      filename: `postbag-cases-${period ? `${period.from.slice(0, 7)}${period.to.slice(0, 7) !== period.from.slice(0, 7) ? `-to-${period.to.slice(0, 7)}` : ""}` : `all-${today}`}.csv`,
      content: chunks.join(""),
      rows,
      title: `Cases export — ${scope} (${rows} case${rows === 1 ? "" : "s"})`,
    };
  }
}
