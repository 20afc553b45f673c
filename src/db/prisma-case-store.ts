import { localDateFromDb, localDateToDb, type LocalDate } from "../domain/calendar/local-date.ts";
import type {
  CaseChange,
  CaseFilter,
  CaseRecord,
  CaseSearch,
  CaseStore,
  CaseTimeline,
  EntryMeta,
  LoadedCase,
  NewCase,
  NewEntry,
  ReferralChange,
  TimelineWindow,
} from "../domain/cases/case-record.ts";
import { caseNotFound } from "../domain/cases/case-service.ts";
import { AWAITING_RESPONSE } from "../domain/cases/lifecycle.ts";
import { storedClock } from "../domain/clocks/case-clock.ts";
import { FINISHED, type Channel, type Kind, type LinkKind, type Outcome, type Status } from "../domain/cases/vocabulary.ts";
import type { RelatedCaseRecord, RelatedRecords } from "../domain/cases/related-cases.ts";
import { DomainError } from "../domain/errors.ts";
import { Prisma, type PrismaClient } from "./generated/client.ts";
import { CaseIdReserve } from "./case-id-reserve.ts";
import { fromSnapshot, inTransaction, snapshotById, snapshotByReference, snapshotByRequestKey, type CaseSnapshot, type RunSql } from "./case-snapshot.ts";
import { assertSameRequest } from "../domain/cases/request-fingerprint.ts";
import { isUniqueViolation } from "./prisma-errors.ts";
import { chainColumns, chainTip } from "./timeline-chain.ts";
import { applyOutgoingWrite } from "./prisma-outgoing-store.ts";
import { CHAIN_START } from "../domain/audit/entry-hash.ts";

type Tx = Prisma.TransactionClient;

export const CASE_INCLUDE = {
  constituent: true,
  assignee: { select: { id: true, name: true } },
  referrals: { include: { partner: { select: { name: true } } }, orderBy: { id: "asc" } },
} satisfies Prisma.CaseInclude;

type CaseRow = Prisma.CaseGetPayload<{ include: typeof CASE_INCLUDE }>;


/** The case store on Prisma: the only place that knows how cases sit in tables. */
export class PrismaCaseStore implements CaseStore {
  private readonly caseIds: CaseIdReserve;

  /** `sql` runs the hot statements (load a case, log one) on the driver itself, outside Prisma. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: RunSql,
  ) {
    this.caseIds = new CaseIdReserve(sql);
  }

  async insertCase(draft: NewCase, entries: NewEntry[], meta: EntryMeta, window: TimelineWindow = {}): Promise<LoadedCase & { created: boolean }> {
    const id = await this.caseIds.next();
    let previous = CHAIN_START;
    const sealed = entries.map((entry, index) => {
      const content = {
        caseId: id,
        seq: index + 1,
        cycle: 1,
        at: entry.at ?? meta.at,
        recordedAt: entry.at && entry.at.getTime() !== meta.at.getTime() ? meta.at : null,
        type: entry.type,
        actorId: meta.actorId,
        platform: meta.platform,
        text: entry.text,
        detail: entry.detail,
      };
      const chain = chainColumns(content, previous);
      previous = chain.chainHash;
      const first = index === 0;
      return { ...content, ...chain, requestKey: first ? (meta.requestKey ?? null) : null, requestFingerprint: first ? (meta.requestFingerprint ?? null) : null };
    });
    const payload = { ...draft, id, requestKey: meta.requestKey ?? null, entries: sealed };
    try {
      // One statement (postbag_log_case): the reference, constituent, case and entries commit together or not at all.
      const logCase = (run: RunSql) => run<{ logged: LogResult }>(`SELECT "postbag_log_case"($1::jsonb, $2::int) AS "logged"`, [JSON.stringify(payload), window.last ?? null]);
      // A case logged with its statutory type has its clock written in the same transaction; any other is one statement.
      const [row] = draft.clock
        ? await this.prisma.$transaction(async (tx) => {
            const rows = await logCase(inTransaction(tx));
            if (rows[0]?.logged.created) await tx.case.update({ where: { id }, data: { clock: draft.clock!, clockStopped: draft.clockStopped ?? false } });
            return rows;
          })
        : await logCase(this.sql);
      const logged = row!.logged;
      if (!logged.created) {
        assertSameRequest(logged.fingerprint, meta.requestFingerprint);
        return { ...loaded(fromSnapshot(logged.snapshot)), created: false };
      }
      // The new case as written: what Postbag sent, and what the database chose or holds.
      const record: CaseRecord = {
        id,
        reference: logged.reference,
        channel: draft.channel,
        receivedOn: draft.receivedOn,
        loggedAt: draft.loggedAt,
        subject: draft.subject,
        summary: draft.summary,
        kind: draft.kind,
        themes: draft.themes,
        sensitive: draft.sensitive,
        status: draft.status,
        constituent: logged.constituent,
        assignee: logged.assignee,
        cycle: 1,
        cycleStartedOn: draft.receivedOn,
        acknowledgeBy: draft.acknowledgeBy,
        respondBy: draft.respondBy,
        acknowledgedAt: draft.acknowledgedAt,
        respondedAt: draft.respondedAt,
        closedAt: draft.closedAt,
        outcome: draft.outcome,
        lastActionAt: draft.lastActionAt,
        staleFlaggedAt: null,
        lastHoldingReplyAt: null,
        version: 1,
        referrals: [],
        clock: draft.clock ?? null,
        clockStopped: draft.clockStopped ?? false,
        teamId: null,
      };
      const entries = sealed.map(({ seq, cycle, at, recordedAt, type, platform, text, detail }) => ({ seq, cycle, at, recordedAt, type, actor: logged.actor, platform, text, detail }));
      const shown = window.last === undefined ? entries : entries.slice(Math.max(0, entries.length - window.last));
      // A case just logged has no files yet (a scan sent with it is attached after, by its own change), nor letters, nor links;
      // logged for a person new to the office (their record made with it), it is their only case, so it has no related cases.
      const related = draft.constituentId === null ? { related: { constituentId: logged.constituent.id, earlier: [], earlierCount: 0, links: [] } } : {};
      return { record, timeline: { entries: shown, total: entries.length }, files: [], outgoing: [], ...related, created: true };
    } catch (error) {
      // The same request arrived twice at once: the loser returns the winner's case.
      if (meta.requestKey && isUniqueViolation(error)) {
        const earlier = await this.findByRequestKey(meta.requestKey, window, meta.requestFingerprint);
        if (earlier) return { ...earlier, created: false };
      }
      throw error;
    }
  }

  async changeCase(
    reference: string,
    decide: (current: CaseRecord) => CaseChange,
    meta: EntryMeta & { expectedVersion?: number },
    window: TimelineWindow = {},
  ): Promise<LoadedCase> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (meta.requestKey) {
          const earlier = await snapshotByRequestKey(inTransaction(tx), meta.requestKey, window);
          if (earlier) {
            assertSameRequest(earlier.fingerprint, meta.requestFingerprint);
            return earlier.loaded;
          }
        }
        const found = await snapshotByReference(inTransaction(tx), reference, { last: 0 });
        if (!found) throw caseNotFound(reference);
        const current = found.record;
        if (meta.expectedVersion !== undefined && meta.expectedVersion !== current.version) throw changedMeanwhile(reference);
        const change = decide(current);
        await this.applyChange(tx, current, change, meta);
        return loaded(await snapshotById(inTransaction(tx), current.id, window));
      });
    } catch (error) {
      // The same request arriving twice at once (a double click, a redelivery): the loser
      // returns the winner's result, whether it lost on the request key or on the version
      // the winner had just moved on.
      const lostRace = isUniqueViolation(error) || (error instanceof DomainError && error.code === "changed_meanwhile");
      if (meta.requestKey && lostRace) {
        const earlier = await this.findByRequestKey(meta.requestKey, window, meta.requestFingerprint);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  async findByRequestKey(requestKey: string, window: TimelineWindow = {}, fingerprint?: string): Promise<LoadedCase | null> {
    const earlier = await snapshotByRequestKey(this.sql, requestKey, window);
    if (!earlier) return null;
    assertSameRequest(earlier.fingerprint, fingerprint);
    return earlier.loaded;
  }

  async entryDetailByRequestKey(requestKey: string): Promise<Record<string, unknown> | null> {
    const entry = await this.prisma.timelineEntry.findUnique({ where: { requestKey }, select: { detail: true } });
    return entry ? ((entry.detail ?? {}) as Record<string, unknown>) : null;
  }

  findCase(reference: string, window: TimelineWindow = {}): Promise<LoadedCase | null> {
    return snapshotByReference(this.sql, reference, window);
  }

  async findCaseWithRelated(reference: string, window: TimelineWindow = {}): Promise<(LoadedCase & { related: RelatedRecords }) | null> {
    // One statement for both reads a card shown in full makes (it runs with every case shown).
    const [row] = await this.sql<{ card: { snapshot: CaseSnapshot; related: RelatedRow } | null }>(
      `SELECT "postbag_case_card_by_reference"($1::text, $2::int, $3::int, $4::int) AS "card"`,
      [reference, window.last ?? null, RELATED_SHOWN, RELATED_COUNTED],
    );
    const loaded = fromSnapshot(row?.card?.snapshot ?? null);
    return loaded ? { ...loaded, related: toRelated(loaded.record, row!.card!.related) } : null;
  }

  async timeline(caseId: number, window: TimelineWindow = {}): Promise<CaseTimeline> {
    return loaded(await snapshotById(this.sql, caseId, window)).timeline;
  }

  async listOpen(filter: CaseFilter): Promise<CaseRecord[]> {
    const rows = await this.prisma.case.findMany({
      where: this.openWhere(filter),
      include: CASE_INCLUDE,
      orderBy: [{ respondBy: "asc" }, { id: "asc" }],
      take: filter.limit,
    });
    return rows.map(toCaseRecord);
  }

  async listForceAnswersDue(before: LocalDate, filter: { assigneeId?: number } = {}): Promise<CaseRecord[]> {
    const rows = await this.prisma.case.findMany({
      where: { forceAnswerDue: { lt: localDateToDb(before) }, status: { not: "voided" }, erasedAt: null, ...(filter.assigneeId === undefined ? {} : { assigneeId: filter.assigneeId }) },
      include: CASE_INCLUDE,
      orderBy: [{ forceAnswerDue: "asc" }, { id: "asc" }],
    });
    return rows.map(toCaseRecord);
  }

  countOpen(filter: CaseFilter): Promise<number> {
    return this.prisma.case.count({ where: this.openWhere(filter) });
  }

  private openWhere(filter: CaseFilter): Prisma.CaseWhereInput {
    const and: Prisma.CaseWhereInput[] = [{ status: { notIn: [...FINISHED] } }];
    if (filter.assigneeId !== undefined) and.push({ assigneeId: filter.assigneeId });
    // A case whose assignee has left is unowned until reassigned.
    if (filter.unassigned) and.push({ OR: [{ assigneeId: null }, { assignee: { active: false } }] });
    if (filter.acknowledgeByBefore) and.push({ acknowledgedAt: null, acknowledgeBy: { lt: localDateToDb(filter.acknowledgeByBefore) } });
    // A response date counts while the response is awaited and the case's clock runs (the domain stores whether it is stopped).
    const responseDue = { status: { in: [...AWAITING_RESPONSE] }, clockStopped: false };
    if (filter.respondByBefore) and.push({ ...responseDue, respondBy: { lt: localDateToDb(filter.respondByBefore) } });
    if (filter.overdueBefore) {
      const before = localDateToDb(filter.overdueBefore);
      and.push({ OR: [{ acknowledgedAt: null, acknowledgeBy: { lt: before } }, { ...responseDue, respondBy: { lt: before } }] });
    }
    if (filter.respondByOnOrBefore) and.push({ ...responseDue, respondBy: { lte: localDateToDb(filter.respondByOnOrBefore) } });
    if (filter.respondByFrom) and.push({ ...responseDue, respondBy: { gte: localDateToDb(filter.respondByFrom) } });
    if (filter.lastActionBefore) and.push({ status: { in: [...AWAITING_RESPONSE] }, lastActionAt: { lt: filter.lastActionBefore } });
    if (filter.clocked) and.push({ NOT: { clock: { equals: Prisma.DbNull } } });
    if (filter.clockStopped !== undefined) and.push({ clockStopped: filter.clockStopped });
    if (filter.queue) {
      const routed = filter.queue.routedTypes.map((type): Prisma.CaseWhereInput => (type === null ? { clock: { equals: Prisma.DbNull } } : { clock: { path: ["type"], equals: type } }));
      and.push({ OR: [{ teamId: filter.queue.teamId }, ...(routed.length ? [{ teamId: null, OR: routed }] : [])] });
    }
    if (filter.notFlaggedSinceLastAction) {
      and.push({ OR: [{ staleFlaggedAt: null }, { staleFlaggedAt: { lt: this.prisma.case.fields.lastActionAt } }] });
    }
    if (filter.loggedSince) and.push({ loggedAt: { gte: filter.loggedSince } });
    if (filter.referralOverdueBefore) {
      and.push({ referrals: { some: { repliedAt: null, expectedBy: { lt: localDateToDb(filter.referralOverdueBefore) } } } });
    }
    return { AND: and };
  }

  async search(query: CaseSearch, limit: number): Promise<CaseRecord[]> {
    const contains = { contains: query.text, mode: "insensitive" as const };
    const person: Prisma.ConstituentWhereInput[] = [{ name: contains }, { email: contains }, { phone: contains }];
    if (query.nameKey.length >= 2) person.push({ nameKey: { contains: query.nameKey } });
    if (query.emailKey) person.push({ emailKey: query.emailKey });
    if (query.phoneKey) person.push({ phoneKey: query.phoneKey });
    const rows = await this.prisma.case.findMany({
      where: {
        OR: [
          { reference: contains },
          { subject: contains },
          // A person found by any record of theirs, merged ones included.
          { constituent: { OR: [...person, { mergedFrom: { some: { OR: person } } }] } },
          // What a correction replaced, and an imported case's old reference, are still found: the entries keep them.
          { timeline: { some: { type: { in: ["details_corrected", "imported"] }, text: contains } } },
        ],
      },
      include: CASE_INCLUDE,
      orderBy: { loggedAt: "desc" },
      take: limit,
    });
    return rows.map(toCaseRecord);
  }

  async related(record: Pick<CaseRecord, "id" | "constituent">): Promise<RelatedRecords> {
    // One statement on the driver, planned once per session (it runs with every card shown):
    // through Prisma's relation loading the same read took seven, most of them empty.
    const [{ related: row }] = (await this.sql<{ related: RelatedRow }>(`SELECT "postbag_related_cases"($1::int, $2::int, $3::int, $4::int) AS "related"`, [
      record.id,
      record.constituent.id,
      RELATED_SHOWN,
      RELATED_COUNTED,
    ])) as [{ related: RelatedRow }];
    return toRelated(record, row);
  }

  private async applyChange(tx: Tx, current: CaseRecord, change: CaseChange, meta: EntryMeta): Promise<void> {
    const { patch } = change;
    const at = change.at ?? meta.at;
    // The version check makes a concurrent writer wait for this row and then miss it.
    const updated = await tx.case.updateMany({
      where: { id: current.id, version: current.version },
      data: {
        status: patch.status,
        assigneeId: patch.assigneeId,
        constituentId: patch.constituentId,
        acknowledgedAt: patch.acknowledgedAt,
        respondedAt: patch.respondedAt,
        closedAt: patch.closedAt,
        outcome: patch.outcome,
        cycle: patch.cycle,
        cycleStartedOn: patch.cycleStartedOn ? localDateToDb(patch.cycleStartedOn) : undefined,
        receivedOn: patch.receivedOn ? localDateToDb(patch.receivedOn) : undefined,
        acknowledgeBy: patch.acknowledgeBy ? localDateToDb(patch.acknowledgeBy) : undefined,
        respondBy: patch.respondBy ? localDateToDb(patch.respondBy) : undefined,
        sensitive: patch.sensitive,
        subject: patch.subject,
        summary: patch.summary,
        kind: patch.kind,
        channel: patch.channel,
        themes: patch.themes,
        staleFlaggedAt: patch.staleFlaggedAt,
        lastHoldingReplyAt: patch.lastHoldingReplyAt,
        clock: patch.clock === undefined ? undefined : patch.clock === null ? Prisma.DbNull : patch.clock,
        clockStopped: patch.clockStopped,
        forceAnswerDue: patch.forceAnswerDue === undefined ? undefined : patch.forceAnswerDue === null ? null : localDateToDb(patch.forceAnswerDue),
        teamId: patch.teamId,
        // A step recorded late never moves the last action back.
        lastActionAt: change.countsAsAction && at > current.lastActionAt ? at : undefined,
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) throw changedMeanwhile(current.reference);
    if (patch.constituent) await this.correctConstituent(tx, current, patch.constituent);
    if (change.referral) await this.applyReferral(tx, current, change.referral, at);
    if (change.link) await tx.caseLink.create({ data: { caseId: current.id, linkedCaseId: change.link.linkedCaseId, kind: change.link.kind, createdAt: meta.at } });
    for (const file of [...(change.file ? [change.file] : []), ...(change.files ?? [])]) {
      await tx.caseFile.create({ data: { caseId: current.id, ...file, addedById: meta.actorId, addedAt: meta.at } });
    }
    if (change.outgoing) await applyOutgoingWrite(tx, current.id, current.reference, change.outgoing);
    const tip = await chainTip(tx, current.id);
    const content = {
      caseId: current.id,
      seq: tip.nextSeq,
      cycle: patch.cycle ?? current.cycle,
      at,
      ...(at.getTime() !== meta.at.getTime() ? { recordedAt: meta.at } : {}),
      type: change.entry.type,
      actorId: meta.actorId,
      platform: meta.platform,
      text: change.entry.text,
      detail: change.entry.detail,
    };
    await tx.timelineEntry.create({
      data: { ...content, ...chainColumns(content, tip.previous), detail: change.entry.detail as Prisma.InputJsonObject, requestKey: meta.requestKey ?? null, requestFingerprint: meta.requestKey ? (meta.requestFingerprint ?? null) : null },
    });
  }

  /**
   * The constituent's details as corrected on this case: written on the constituent when
   * this is their only case, else on a new constituent for this case (the others keep theirs).
   */
  private async correctConstituent(tx: Tx, current: CaseRecord, corrected: NonNullable<CaseChange["patch"]["constituent"]>): Promise<void> {
    const { keys, ...written } = corrected;
    const details = { ...written, ...keys };
    const others = await tx.case.count({ where: { constituentId: current.constituent.id, id: { not: current.id } } });
    if (others === 0) {
      await tx.constituent.update({ where: { id: current.constituent.id }, data: details });
      return;
    }
    const created = await tx.constituent.create({ data: details });
    await tx.case.update({ where: { id: current.id }, data: { constituentId: created.id } });
  }

  private async applyReferral(tx: Tx, current: CaseRecord, change: ReferralChange, at: Date): Promise<void> {
    if (change.kind === "create") {
      await tx.referral.create({
        data: { caseId: current.id, partnerId: change.partnerId, cycle: current.cycle, sentAt: at, expectedBy: localDateToDb(change.expectedBy) },
      });
    } else if (change.kind === "reply") {
      await tx.referral.update({ where: { id: change.referralId }, data: { repliedAt: at } });
    } else {
      await tx.referral.update({ where: { id: change.referralId }, data: { chaseCount: { increment: 1 }, lastChasedAt: at } });
    }
  }
}

/** What postbag_log_case answers: the earlier case for a request seen before, else what the database chose. */
type LogResult =
  | { created: false; fingerprint: string | null; snapshot: CaseSnapshot }
  | { created: true; reference: string; constituent: CaseRecord["constituent"]; assignee: CaseRecord["assignee"]; actor: { id: number; name: string } | null };

/** A case the transaction has just written or found is there to load. */
function loaded(snapshot: LoadedCase | null): LoadedCase {
  if (!snapshot) throw new Error("A case written or found in this transaction could not be loaded.");
  return snapshot;
}

/** How many earlier cases a card names, and how many it counts at most (a person with more is rare). */
const RELATED_SHOWN = 5;
const RELATED_COUNTED = 100;

interface RelatedCaseRow {
  id: number;
  reference: string;
  status: string;
  subject: string;
  sensitive: boolean;
  assignee_id: number | null;
  assignee_name: string | null;
}

/** What postbag_related_cases returns (prisma/migrations/20261207000000_related_cases). */
interface RelatedRow {
  earlierCount: number;
  earlier: RelatedCaseRow[];
  links: (RelatedCaseRow & { kind: string; outgoing: boolean })[];
}

function toRelated(record: Pick<CaseRecord, "constituent">, row: RelatedRow): RelatedRecords {
  return {
    constituentId: record.constituent.id,
    earlier: row.earlier.map(toRelatedCase),
    earlierCount: row.earlierCount,
    links: row.links.map((link) => ({ kind: link.kind as LinkKind, outgoing: link.outgoing, other: toRelatedCase(link) })),
  };
}

function toRelatedCase(row: RelatedCaseRow): RelatedCaseRecord {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status as Status,
    subject: row.subject,
    sensitive: row.sensitive,
    assignee: row.assignee_id === null ? null : { id: row.assignee_id, name: row.assignee_name ?? "" },
  };
}

function changedMeanwhile(reference: string): DomainError {
  return new DomainError("changed_meanwhile", `${reference} was changed by someone else meanwhile. Look at it again (show ${reference}) and retry.`);
}

export function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    reference: row.reference,
    channel: row.channel as Channel,
    receivedOn: localDateFromDb(row.receivedOn),
    loggedAt: row.loggedAt,
    subject: row.subject,
    summary: row.summary,
    kind: row.kind as Kind,
    themes: row.themes,
    sensitive: row.sensitive,
    status: row.status as Status,
    constituent: {
      id: row.constituent.id,
      name: row.constituent.name,
      email: row.constituent.email,
      phone: row.constituent.phone,
      address: row.constituent.address,
    },
    assignee: row.assignee,
    cycle: row.cycle,
    cycleStartedOn: localDateFromDb(row.cycleStartedOn),
    acknowledgeBy: localDateFromDb(row.acknowledgeBy),
    respondBy: localDateFromDb(row.respondBy),
    acknowledgedAt: row.acknowledgedAt,
    respondedAt: row.respondedAt,
    closedAt: row.closedAt,
    outcome: row.outcome as Outcome | null,
    lastActionAt: row.lastActionAt,
    staleFlaggedAt: row.staleFlaggedAt,
    lastHoldingReplyAt: row.lastHoldingReplyAt,
    version: row.version,
    clock: storedClock(row.clock),
    clockStopped: row.clockStopped,
    teamId: row.teamId,
    erasedAt: row.erasedAt,
    referrals: row.referrals.map((referral) => ({
      id: referral.id,
      partner: referral.partner.name,
      cycle: referral.cycle,
      sentAt: referral.sentAt,
      expectedBy: localDateFromDb(referral.expectedBy),
      repliedAt: referral.repliedAt,
      chaseCount: referral.chaseCount,
      lastChasedAt: referral.lastChasedAt,
    })),
  };
}
