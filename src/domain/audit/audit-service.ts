import { createHash } from "node:crypto";
import { formatDate, formatDateTime, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { IntakeFigures, IntakeRecord } from "../intake/intake-message.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { DomainError } from "../errors.ts";
import type { Clock } from "../ports.ts";
import type { ServiceStandards } from "../settings.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import { LISTED_PER_KIND, type AuditException, type AuditReport, type AuditStore, type ExceptionKind } from "./audit.ts";
import { CHAIN_START, chainHash, contentHash } from "./entry-hash.ts";

const BATCH = 2_000;

/** Before any email could have been recorded: the intake's figures are counted from here. */
const INTAKE_BEGINS: LocalDate = "2000-01-01";

/** What the audit asks of mail intake (domain/intake/intake-service.ts). */
export interface IntakeAudit {
  unaccounted(today: LocalDate, limit: number): Promise<{ total: number; messages: IntakeRecord[] }>;
  figures(from: LocalDate, to: LocalDate, today: LocalDate): Promise<IntakeFigures>;
}

/**
 * The no-loss audit (DOMAIN.md, "The guarantee"): every case that breaks the rules, the
 * counts that prove nothing was lost, and the hash chain that proves no history was
 * rewritten. Set-based checks run in SQL; deadlines and the chain are streamed in
 * batches, so memory stays flat however large the office.
 */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly standards: ServiceStandards,
    /** Mail intake: every email received is logged, added to a case or dismissed within a working day. */
    private readonly intake?: IntakeAudit,
  ) {}

  /** `/case audit`: managers only. */
  async runAudit(actor: Actor): Promise<AuditReport> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can run the audit.");
    return this.audit(londonDateOf(this.clock.now()));
  }

  /** The audit as of a London date (the weekly job runs it unattended). */
  async audit(asOf: LocalDate): Promise<AuditReport> {
    const sealedNow = await this.store.sealPreChainEntries();
    const found: AuditException[] = [...(await this.store.findRuleExceptions(asOf))];
    found.push(...(await this.checkDeadlines()));
    const chain = await this.verifyChains();
    found.push(...chain.exceptions);
    const months = await this.store.monthCounts();
    for (const month of months) {
      const timelineAdds = month.closed + month.voided + month.open === month.logged;
      if (month.casesInTable !== month.logged || month.closedByStatus !== month.closed || month.voidedByStatus !== month.voided || !timelineAdds) {
        found.push({
          kind: "count_mismatch",
          subject: month.month,
          detail: `timeline: ${month.logged} logged, ${month.closed} closed, ${month.voided} voided, ${month.open} open; case table: ${month.casesInTable} cases, ${month.closedByStatus} closed, ${month.voidedByStatus} voided`,
        });
      }
    }
    const years = await this.store.yearCounts();
    for (const year of years) {
      if (year.missing.length > 0 || year.beyondCounter > 0 || year.cases !== year.lastNumber) {
        const parts = [`${year.cases} cases, counter at ${year.lastNumber}`];
        if (year.missing.length) parts.push(`missing ${year.missing.slice(0, 20).join(", ")}${year.missing.length > 20 ? "…" : ""}`);
        if (year.beyondCounter) parts.push(`${year.beyondCounter} numbered beyond the counter`);
        found.push({ kind: "reference_gap", subject: String(year.year), detail: parts.join("; ") });
      }
    }
    const intake = await this.intakeFindings(asOf);
    found.push(...intake.exceptions);
    const totals: Partial<Record<ExceptionKind, number>> = {};
    const listed: AuditException[] = [];
    for (const exception of found) {
      totals[exception.kind] = (totals[exception.kind] ?? 0) + 1;
      if (totals[exception.kind]! <= LISTED_PER_KIND) listed.push(exception);
    }
    // Only the first of the unaccounted emails are read; their total is complete.
    if (intake.total > 0) totals.intake_unaccounted = intake.total;
    return {
      asOf,
      asOfText: formatDate(asOf),
      exceptions: listed,
      totals,
      exceptionCount: found.length - intake.exceptions.length + intake.total,
      cases: await this.store.caseCounts(),
      entries: { total: chain.total, verified: chain.verified, erased: chain.erased, sealedNow },
      months: months.map(({ month, logged, closed, voided, open }) => ({ month, logged, closed, voided, open })),
      years: years.map(({ year, lastNumber, cases, missing }) => ({ year, lastNumber, cases, missing })),
      seal: chain.seal,
      ...(intake.figures ? { intake: intake.figures } : {}),
    };
  }

  /** Emails nobody logged, added or dismissed within their working day, and the intake's figures since its first message. */
  private async intakeFindings(asOf: LocalDate): Promise<{ exceptions: AuditException[]; total: number; figures?: IntakeFigures }> {
    if (!this.intake) return { exceptions: [], total: 0 };
    const [{ total, messages }, figures] = await Promise.all([this.intake.unaccounted(asOf, LISTED_PER_KIND), this.intake.figures(INTAKE_BEGINS, asOf, asOf)]);
    const exceptions: AuditException[] = messages.map((message) => ({
      kind: "intake_unaccounted",
      subject: `email #${message.id}`,
      detail: `received ${formatDateTime(message.deliveredAt ?? message.recordedAt)}, ${message.state === "unreadable" ? "unreadable" : "awaiting triage"}: intake show ${message.id}`,
    }));
    // An office that reads no mailbox has no intake figures to show.
    return { exceptions, total, figures: figures.received > 0 ? figures : undefined };
  }

  /** Open cases whose stored deadlines differ from the calendar's (a changed rule or a hand edit). */
  private async checkDeadlines(): Promise<AuditException[]> {
    const out: AuditException[] = [];
    const memo = new Map<string, LocalDate>();
    const add = (date: LocalDate, days: number) => {
      const key = `${date}+${days}`;
      let due = memo.get(key);
      if (!due) memo.set(key, (due = this.calendar.addWorkingDays(date, days)));
      return due;
    };
    for (let after = 0; ; ) {
      const rows = await this.store.openCaseDeadlines(after, BATCH);
      for (const row of rows) {
        const acknowledgeBy = add(row.receivedOn, this.standards.acknowledgeWorkingDays);
        const respondBy = add(row.cycleStartedOn, this.standards.respondWorkingDays);
        const wrong: string[] = [];
        if (row.acknowledgeBy !== acknowledgeBy) wrong.push(`acknowledge by ${formatDate(row.acknowledgeBy)}, calendar says ${formatDate(acknowledgeBy)}`);
        if (row.respondBy !== respondBy) wrong.push(`respond by ${formatDate(row.respondBy)}, calendar says ${formatDate(respondBy)}`);
        if (wrong.length) out.push({ kind: "deadline_mismatch", subject: row.reference, detail: wrong.join("; ") });
      }
      if (rows.length < BATCH) return out;
      after = rows.at(-1)!.id;
    }
  }

  /** Walks every case's chain in order: each digest must match its content, each link its predecessor. */
  private async verifyChains() {
    const broken = new Map<number, string>();
    const seal = createHash("sha256");
    let total = 0;
    let verified = 0;
    let erased = 0;
    let currentCase = -1;
    let previous = CHAIN_START;
    let expectedSeq = 1;
    const closeCase = () => {
      if (currentCase >= 0) seal.update(`${currentCase}:${previous}\n`);
    };
    for (let cursor = { caseId: 0, seq: 0 }; ; ) {
      const rows = await this.store.timelineBatch(cursor, BATCH);
      for (const row of rows) {
        if (row.caseId !== currentCase) {
          closeCase();
          currentCase = row.caseId;
          previous = CHAIN_START;
          expectedSeq = 1;
        }
        total += 1;
        if (row.erasedAt) erased += 1;
        const problem =
          row.seq !== expectedSeq
            ? `entries ${expectedSeq}–${row.seq - 1} are missing`
            : !row.contentHash || !row.chainHash
              ? `entry ${row.seq} has no hash`
              : !row.erasedAt && contentHash(row) !== row.contentHash
                ? `entry ${row.seq} was edited after it was written`
                : chainHash(previous, row.contentHash) !== row.chainHash
                  ? `entry ${row.seq} does not follow entry ${row.seq - 1}`
                  : null;
        if (problem && !broken.has(row.caseId)) broken.set(row.caseId, problem);
        if (!problem) verified += 1;
        previous = row.chainHash ?? previous;
        expectedSeq = row.seq + 1;
      }
      if (rows.length < BATCH) break;
      const last = rows.at(-1)!;
      cursor = { caseId: last.caseId, seq: last.seq };
    }
    closeCase();
    const references = await this.store.referencesOf([...broken.keys()]);
    const exceptions: AuditException[] = [...broken].map(([caseId, detail]) => ({
      kind: "tampered_history",
      subject: references.get(caseId) ?? `case #${caseId}`,
      detail,
    }));
    return { exceptions, total, verified, erased, seal: seal.digest("hex") };
  }
}
