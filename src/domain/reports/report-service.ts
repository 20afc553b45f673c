import { endOfLondonDay, londonDateOf } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { DomainError } from "../errors.ts";
import type { Clock } from "../ports.ts";
import type { ServiceStandards } from "../settings.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import type { StaffService } from "../staff/staff-service.ts";
import { partnerNamer } from "../partners/partner-directory.ts";
import type { PartnerRecord } from "../partners/partner-store.ts";
import { caseFactsOf } from "./case-facts.ts";
import { computeReport } from "./figures.ts";
import type { IntakeFigures } from "../intake/intake-message.ts";
import type { LocalDate } from "../calendar/local-date.ts";
import { parsePeriod, type Period } from "./period.ts";
import { computeStatement, parseQuarter, statementCsv, statementHtml, type ComplaintsStatement } from "./complaints-statement.ts";
import type { PerformanceReport, ReportStore, ThemesReport } from "./report.ts";

/** The Commissioner's figures: managers and viewers read them; nobody changes anything. */
export class ReportService {
  constructor(
    private readonly store: ReportStore,
    private readonly staff: StaffService,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly standards: ServiceStandards,
    /** The partner directory: referrals are counted under its entries, not the text once typed. */
    private readonly partners?: { list(): Promise<PartnerRecord[]> },
    /** Mail intake: the period's emails and what became of them. */
    private readonly intake?: { figures(from: LocalDate, to: LocalDate, today: LocalDate): Promise<IntakeFigures> },
    /** The office's name, heading the published complaints statement. */
    private readonly officeName = "The Police, Fire and Crime Commissioner's office",
  ) {}

  /**
   * `statement [YYYY-Qn]`: the quarter's complaints and requests statement (the last complete
   * quarter by default), with the spreadsheet and the page the office publishes.
   */
  async complaintsStatement(actor: Actor, rawQuarter?: unknown): Promise<{ statement: ComplaintsStatement; csv: string; html: string; baseName: string }> {
    assertCanReadReports(actor);
    const today = londonDateOf(this.clock.now());
    const period = parseQuarter(rawQuarter, today);
    if (period.from > today) throw new DomainError("invalid_input", "That quarter has not started yet.");
    const statement = computeStatement({ histories: await this.store.caseHistories(period), period, today, calendar: this.calendar, clocks: this.standards.clocks });
    const quarter = `${period.from.slice(0, 4)}-Q${Math.floor(Number(period.from.slice(5, 7)) / 3) + 1}`;
    return { statement, csv: statementCsv(statement), html: statementHtml(statement, this.officeName), baseName: `postbag-statement-${quarter}` };
  }

  /** `report [YYYY-MM | YYYY-MM..YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]`: the performance report, from the timeline alone. */
  async performanceReport(actor: Actor, rawPeriod?: unknown): Promise<PerformanceReport> {
    assertCanReadReports(actor);
    const today = londonDateOf(this.clock.now());
    const period = parsePeriod(rawPeriod, today);
    if (period.from > today) throw new DomainError("invalid_input", "That period has not started yet.");
    return this.reportFor(period, today);
  }

  /** The report for a period as known on `today` (the monthly job uses this unattended). */
  async reportFor(period: Period, today = londonDateOf(this.clock.now())): Promise<PerformanceReport> {
    const periodEnd = endOfLondonDay(period.to < today ? period.to : today);
    const [histories, themes, staff, directory] = await Promise.all([this.store.caseHistories(period), this.store.themeCounts(period), this.staff.list(), this.partners?.list() ?? []]);
    const partnerOf = partnerNamer(directory);
    const themeTotals = new Map<string, number>();
    for (const row of themes) themeTotals.set(row.theme, (themeTotals.get(row.theme) ?? 0) + row.count);
    const report = computeReport({
      period,
      today,
      cases: histories.map((history) => caseFactsOf(history, periodEnd, partnerOf)).filter((facts) => facts !== null),
      staffNames: new Map(staff.map((person) => [person.id, person.name])),
      topThemes: [...themeTotals].map(([theme, count]) => ({ theme, count })).sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme)).slice(0, 10),
      calendar: this.calendar,
      standards: this.standards,
    });
    const intake = await this.intake?.figures(period.from, period.to, today);
    return intake && intake.received > 0 ? { ...report, intake } : report;
  }

  /** `themes [period]`: what people write about, by kind, with example references to read. */
  async themes(actor: Actor, rawPeriod?: unknown): Promise<ThemesReport> {
    assertCanReadReports(actor);
    const period = parsePeriod(rawPeriod, londonDateOf(this.clock.now()));
    const byTheme = new Map<string, ThemesReport["themes"][number]>();
    for (const row of await this.store.themeCounts(period)) {
      const entry = byTheme.get(row.theme) ?? { theme: row.theme, total: 0, byKind: {}, examples: [] };
      entry.total += row.count;
      entry.byKind[row.kind] = row.count;
      entry.examples = [...entry.examples, ...row.examples].slice(0, 3);
      byTheme.set(row.theme, entry);
    }
    return { period, themes: [...byTheme.values()].sort((a, b) => b.total - a.total || a.theme.localeCompare(b.theme)) };
  }
}

export function assertCanReadReports(actor: Actor): void {
  if (!hasRole(actor, "manager", "viewer")) throw new DomainError("not_permitted", "Reports are for managers and viewers.");
}
