import { disconnectionWords, type PlatformConnections } from "../platforms/connections.ts";
import type { TeamService } from "../teams/team-service.ts";
import { queueFilter } from "../teams/team.ts";
import { addDays, endOfLondonDay, formatDate, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { CaseFilter, CaseStore } from "../cases/case-record.ts";
import { toCaseView, type Audience } from "../cases/case-view.ts";
import { flagStale, staleCutoff, type RuleContext } from "../cases/lifecycle.ts";
import { forceAnswerOverdue } from "../clocks/case-clock.ts";
import { DomainError } from "../errors.ts";
import type { Clock } from "../ports.ts";
import type { ServiceStandards } from "../settings.ts";
import type { Reachability } from "../staff/reachability.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import { MAILBOX_FAILING_MINUTES } from "../intake/intake-rules.ts";
import { SECTION_TITLES, type Digest, type DigestSection, type DigestSectionKey } from "./digest.ts";

/** What the manager digest asks of mail intake (domain/intake/intake-service.ts). */
export interface IntakeDigest {
  unaccounted(today: LocalDate, limit: number): Promise<{ total: number }>;
  awaitingReopenDecision(limit: number): Promise<unknown[]>;
  /** Mailboxes that have failed to read for at least `minutes`. */
  failingSources(minutes: number): Promise<unknown[]>;
}

/** A reader who may see every case in full; channel digests are redacted by audience instead. */
const OFFICE_READER: Actor = { id: 0, name: "Postbag", roles: ["manager"] };

export interface DigestOptions {
  /** Cases listed per section (the counts are always complete). */
  perSection?: number;
  audience?: Audience;
  late?: boolean;
  /** "Logged since the last digest" starts here. */
  since?: Date;
}

/**
 * Builds the manager and personal digests as of a working morning, and flags stale
 * cases. Every query is bounded: counts use indexes and only the listed cases are
 * loaded, so the cost follows the number of late cases shown, not the case table.
 */
export class DigestService {
  constructor(
    private readonly store: CaseStore,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly standards: ServiceStandards,
    /** Names, in the manager digest, the staff who cannot be messaged. */
    private readonly reachability?: Reachability,
    /** Mail intake, whose overdue triage and reopen questions the manager digest counts. */
    private readonly intake?: IntakeDigest,
    /** Platforms Postbag may no longer post to, which the manager digest names (on the platform still connected). */
    private readonly connections?: Pick<PlatformConnections, "list">,
    /** Teams: a team's lead gets its queue's overdue and unowned cases in their own digest. */
    private readonly teams?: Pick<TeamService, "list">,
  ) {}

  /** The rules as they stand on the morning of `asOf`. */
  contextFor(asOf: LocalDate): RuleContext {
    return { now: this.clock.now(), today: asOf, calendar: this.calendar, standards: this.standards };
  }

  today(): LocalDate {
    return londonDateOf(this.clock.now());
  }

  /** Everything late, stale or unowned in the office, and the staff who cannot be messaged. */
  async managerDigest(asOf: LocalDate, options: DigestOptions = {}): Promise<Digest> {
    const ctx = this.contextFor(asOf);
    const filters: [DigestSectionKey, CaseFilter][] = [
      ["acknowledgement_overdue", { acknowledgeByBefore: asOf }],
      ["response_overdue", { respondByBefore: asOf }],
      ["due_soon", { respondByOnOrBefore: this.calendar.addWorkingDays(asOf, 1), respondByFrom: asOf }],
      ["stale", { lastActionBefore: this.staleCutoff(asOf) }],
      ["unassigned", { unassigned: true }],
      ["partner_overdue", { referralOverdueBefore: asOf }],
      ["logged_since", { loggedSince: options.since ?? this.defaultSince(asOf) }],
      ["clocks_stopped", { clockStopped: true }],
    ];
    const [sections, clockSteps, forceAnswers, unreachable, emails, disconnected] = await Promise.all([
      Promise.all(filters.map(([key, filter]) => this.section(key, filter, ctx, options))),
      this.clockStepsOwed({}, ctx, options),
      this.forceAnswersOverdue({}, ctx, options),
      this.reachability?.unreachable() ?? [],
      this.emailSections(asOf),
      this.connections?.list() ?? [],
    ]);
    return {
      kind: "manager",
      asOf,
      asOfText: formatDate(asOf),
      late: options.late ?? false,
      sections: [...sections, clockSteps, forceAnswers, ...emails],
      unreachable,
      ...(disconnected.length ? { disconnected: disconnected.map((d) => ({ platform: d.platform, words: disconnectionWords(d) })) } : {}),
    };
  }

  /** One caseworker's own overdue, due-soon and stale cases and partner chases. */
  async personalDigest(person: Actor, asOf: LocalDate, options: DigestOptions = {}): Promise<Digest> {
    const ctx = this.contextFor(asOf);
    const mine = { assigneeId: person.id };
    const filters: [DigestSectionKey, CaseFilter][] = [
      ["acknowledgement_overdue", { ...mine, acknowledgeByBefore: asOf }],
      ["response_overdue", { ...mine, respondByBefore: asOf }],
      ["due_soon", { ...mine, respondByOnOrBefore: this.calendar.addWorkingDays(asOf, 1), respondByFrom: asOf }],
      ["stale", { ...mine, lastActionBefore: this.staleCutoff(asOf) }],
      ["partner_overdue", { ...mine, referralOverdueBefore: asOf }],
    ];
    const [sections, clockSteps, forceAnswers, teamSections] = await Promise.all([
      Promise.all(filters.map(([key, filter]) => this.section(key, filter, ctx, { ...options, audience: "private" }, person))),
      this.clockStepsOwed(mine, ctx, { ...options, audience: "private" }, person),
      this.forceAnswersOverdue(mine, ctx, { ...options, audience: "private" }, person),
      this.teamQueues(person, asOf, ctx, { ...options, audience: "private" }),
    ]);
    return { kind: "personal", asOf, asOfText: formatDate(asOf), late: options.late ?? false, recipient: { id: person.id, name: person.name }, sections: [...sections, clockSteps, forceAnswers, ...teamSections] };
  }

  /** Managers' preview of today's digest, changing nothing. */
  async previewManagerDigest(actor: Actor, asOf = this.today()): Promise<Digest> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can preview the office digest. Your own cases: mine.");
    return this.managerDigest(asOf, { audience: "private" });
  }

  /**
   * Adds a "flagged stale" entry to each case that has gone quiet, once per quiet
   * spell: the case is flagged again only after someone has acted on it since.
   */
  async flagStaleCases(asOf: LocalDate): Promise<string[]> {
    const ctx = this.contextFor(asOf);
    const flagged: string[] = [];
    for (;;) {
      const batch = await this.store.listOpen({ lastActionBefore: this.staleCutoff(asOf), notFlaggedSinceLastAction: true, limit: 200 });
      const due = batch.filter((record) => toCaseView(record, OFFICE_READER, "private", ctx).stale);
      if (due.length === 0) return flagged;
      for (const record of due) {
        await this.store.changeCase(record.reference, (current) => flagStale(current, ctx), {
          actorId: null,
          platform: "system",
          at: ctx.now,
          requestKey: `stale:${record.reference}:${record.lastActionAt.toISOString()}`,
        }, { last: 0 });
        flagged.push(record.reference);
      }
      if (batch.length < 200) return flagged;
    }
  }

  /** A case quiet since before this instant is stale as of `asOf` (lifecycle's isStale). */
  private staleCutoff(asOf: LocalDate): Date {
    return staleCutoff({ today: asOf, calendar: this.calendar, standards: this.standards });
  }

  /** Without a previous digest: since the start of the previous working day. */
  private defaultSince(asOf: LocalDate): Date {
    let day = addDays(asOf, -1);
    while (!this.calendar.isWorkingDay(day)) day = addDays(day, -1);
    return new Date(endOfLondonDay(addDays(day, -1)).getTime() + 1);
  }

  /** Emails are not cases: their sections give the count and the command that lists them. */
  private async emailSections(asOf: LocalDate): Promise<DigestSection[]> {
    if (!this.intake) return [];
    const [unaccounted, reopen, failing] = await Promise.all([this.intake.unaccounted(asOf, 0), this.intake.awaitingReopenDecision(500), this.intake.failingSources(MAILBOX_FAILING_MINUTES)]);
    const sections: DigestSection[] = [
      { key: "mailboxes_failing", ...SECTION_TITLES.mailboxes_failing, count: failing.length, cases: [] },
      { key: "emails_unaccounted", ...SECTION_TITLES.emails_unaccounted, count: unaccounted.total, cases: [] },
      { key: "emails_reopen", ...SECTION_TITLES.emails_reopen, count: reopen.length, cases: [] },
    ];
    // Where no mail is read (or all of it is decided), the digest says nothing of it.
    return sections.filter((section) => section.count > 0);
  }

  /**
   * Cases whose statutory clock asks for a step no date list shows: a review made out of time
   * awaiting its decision, a complainant about the Chief Constable owed their update. Decided on
   * the case's view (the clock's own reading), over every open case on a clock (a few hundred at most).
   */
  /** A team lead's digest: each team they lead, its queue's overdue and unowned cases (the team's digest). */
  private async teamQueues(person: Actor, asOf: LocalDate, ctx: RuleContext, options: DigestOptions): Promise<DigestSection[]> {
    const teams = (await this.teams?.list()) ?? [];
    const led = teams.filter((team) => team.lead?.id === person.id);
    const sections = await Promise.all(
      led.flatMap((team) => {
        const queue = queueFilter(teams, team);
        return [
          this.section("team_overdue", { queue, overdueBefore: asOf }, ctx, options, person).then((section) => ({ ...section, title: `${team.name}'s queue: overdue`, seeAll: `queue ${team.name}` })),
          this.section("team_unassigned", { queue, unassigned: true }, ctx, options, person).then((section) => ({ ...section, title: `${team.name}'s queue: unassigned`, seeAll: `queue ${team.name}` })),
        ];
      }),
    );
    return sections;
  }

  private async clockStepsOwed(filter: CaseFilter, ctx: RuleContext, options: DigestOptions, viewer: Actor = OFFICE_READER): Promise<DigestSection> {
    const audience = options.audience ?? "shared";
    const owed = (await this.store.listOpen({ ...filter, clocked: true }))
      .map((record) => toCaseView(record, viewer, audience, ctx))
      .filter((view) => view.clock?.application?.decision === "needed" || view.clock?.nextUpdate?.state === "overdue");
    return { key: "clock_decisions", ...SECTION_TITLES.clock_decisions, count: owed.length, cases: owed.slice(0, options.perSection ?? 20) };
  }

  /** Reviews, closed ones too, whose recommendation the force has not answered by its day (read afresh from the clock). */
  private async forceAnswersOverdue(filter: { assigneeId?: number }, ctx: RuleContext, options: DigestOptions, viewer: Actor = OFFICE_READER): Promise<DigestSection> {
    const audience = options.audience ?? "shared";
    // Decided on the record (a sensitive case's shared view withholds its clock), shown as the reader may see it.
    const owed = (await this.store.listForceAnswersDue(ctx.today, filter)).filter((record) => forceAnswerOverdue(record, ctx)).map((record) => toCaseView(record, viewer, audience, ctx));
    return { key: "force_answers_overdue", ...SECTION_TITLES.force_answers_overdue, count: owed.length, cases: owed.slice(0, options.perSection ?? 20) };
  }

  private async section(key: DigestSectionKey, filter: CaseFilter, ctx: RuleContext, options: DigestOptions, viewer: Actor = OFFICE_READER): Promise<DigestSection> {
    const perSection = options.perSection ?? 20;
    const [count, records] = await Promise.all([this.store.countOpen(filter), this.store.listOpen({ ...filter, limit: perSection })]);
    const audience = options.audience ?? "shared";
    return {
      key,
      ...SECTION_TITLES[key],
      count,
      cases: records.map((record) => toCaseView(record, viewer, audience, ctx)),
    };
  }
}
