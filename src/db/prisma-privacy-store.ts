import { londonDateOf, localDateToDb } from "../domain/calendar/local-date.ts";
import { searchKeys } from "../domain/constituents/constituent-keys.ts";
import type { AccessAction, AccessEvent, AccessLogStore } from "../domain/privacy/access-log.ts";
import type { ConstituentSummary, ExportCase, PrivacyStore, RetentionCandidate } from "../domain/privacy/privacy-store.ts";
import type { Platform } from "../domain/ports.ts";
import type { IntakeRecord } from "../domain/intake/intake-message.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import { CASE_INCLUDE, PrismaCaseStore, toCaseRecord } from "./prisma-case-store.ts";
import { chainTip } from "./timeline-chain.ts";
import { CLOCK_EVENT_ENTRIES, detailWithoutWords, eventWithoutWords, storedClock } from "../domain/clocks/case-clock.ts";
import type { CaseFileStore } from "../domain/files/case-files.ts";
import { PrismaCaseFileStore } from "./prisma-case-file-store.ts";
import { PrismaOutgoingStore } from "./prisma-outgoing-store.ts";
import { PrismaIntakeStore } from "./prisma-intake-store.ts";

/** What an erased case and constituent keep in place of personal data. */
const ERASED_SUBJECT = "[erased]";
const ERASED_NAME = "[erased]";

export class PrismaPrivacyStore implements PrivacyStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cases: PrismaCaseStore,
    private readonly files: CaseFileStore = new PrismaCaseFileStore(prisma),
  ) {}

  async findConstituents(query: string): Promise<ConstituentSummary[]> {
    const text = query.trim();
    const keys = searchKeys(text);
    const person: Prisma.ConstituentWhereInput[] = [
      { email: { equals: text, mode: "insensitive" } },
      { phone: text },
      { name: { equals: text, mode: "insensitive" } },
    ];
    if (keys.emailKey) person.push({ emailKey: keys.emailKey });
    if (keys.phoneKey) person.push({ phoneKey: keys.phoneKey });
    const or: Prisma.ConstituentWhereInput[] = [...person, { cases: { some: { reference: text.toUpperCase() } } }];
    const number = /^[#C](\d{1,9})$/i.exec(text);
    if (number) or.push({ id: Number(number[1]) }, { mergedFrom: { some: { id: Number(number[1]) } } });
    // A record merged into another is found as the one it was merged into, which holds its cases.
    or.push({ mergedFrom: { some: { OR: person } } });
    const rows = await this.prisma.constituent.findMany({
      where: { mergedIntoId: null, OR: or },
      include: {
        cases: { select: { reference: true }, orderBy: { id: "asc" } },
        mergedFrom: { select: { id: true, name: true, email: true, phone: true, address: true }, orderBy: { id: "asc" } },
      },
      orderBy: { id: "asc" },
      take: 50,
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      address: row.address,
      createdAt: row.createdAt,
      erasedAt: row.erasedAt,
      references: row.cases.map((c) => c.reference),
      alsoRecordedAs: row.mergedFrom,
    }));
  }

  async casesOf(constituentId: number) {
    const rows = await this.prisma.case.findMany({ where: { constituentId }, include: CASE_INCLUDE, orderBy: { id: "asc" } });
    return Promise.all(
      rows.map(async (row) => ({
        record: toCaseRecord(row),
        timeline: (await this.cases.timeline(row.id)).entries,
        erasedAt: row.erasedAt,
        files: await this.files.list(row.id),
        outgoing: await new PrismaOutgoingStore(this.prisma).list(row.id),
        emails: await new PrismaIntakeStore(this.prisma).ofCase(row.id),
      })),
    );
  }

  async caseIdsOf(references: string[]) {
    if (references.length === 0) return [];
    const rows = await this.prisma.case.findMany({
      where: { reference: { in: references } },
      select: { id: true, reference: true, status: true, erasedAt: true, constituentId: true },
      orderBy: { id: "asc" },
    });
    return rows.map((row) => ({ id: row.id, reference: row.reference, status: row.status, erased: row.erasedAt !== null, constituentId: row.constituentId }));
  }

  async emailsFrom(addresses: readonly string[]): Promise<IntakeRecord[]> {
    return new PrismaIntakeStore(this.prisma).onNoCaseFrom(addresses);
  }

  async eraseCases(caseIds: number[], at: Date, emailIds: readonly number[] = []) {
    return this.prisma.$transaction(async (tx) => {
      let erasedEntries = 0;
      let erasedEmails = 0;
      const owners = new Set<number>();
      const removedFiles = new Set<string>();
      /** An email's words, sender and attachments go (the row, its state, reason and who decided stay); its bytes go as the case's files do. */
      const clearEmails = async (where: Prisma.IntakeMessageWhereInput) => {
        for (const email of await tx.intakeMessage.findMany({ where, select: { attachments: true } })) {
          for (const attachment of (email.attachments ?? []) as { sha256?: string | null }[]) if (attachment.sha256) removedFiles.add(attachment.sha256);
        }
        // Marked erased, so each triage card still showing the sender is updated.
        const cleared = await tx.intakeMessage.updateMany({
          where,
          data: { fromName: "", fromAddress: null, subject: "", text: "", attachments: [], inReplyTo: null, references: [], dismissNote: null, erasedAt: at },
        });
        erasedEmails += cleared.count;
      };
      for (const caseId of caseIds) {
        // Lock the case, seal any pre-chain entries (so their digests exist before the text goes).
        const [row] = await tx.$queryRaw<{ constituent_id: number }[]>`SELECT "constituent_id" FROM "case" WHERE "id" = ${caseId} FOR UPDATE`;
        if (!row) continue;
        owners.add(row.constituent_id);
        await chainTip(tx, caseId);
        // A clock event's words (what was found, the reasons, what the force said) are in its entry's detail: cleared there too.
        const withEvents = await tx.timelineEntry.findMany({ where: { caseId, erasedAt: null, type: { in: [...CLOCK_EVENT_ENTRIES] } }, select: { id: true, detail: true } });
        for (const entry of withEvents) {
          const detail = detailWithoutWords(entry.detail as Record<string, unknown>);
          if (detail === entry.detail) continue;
          await tx.timelineEntry.update({ where: { id: entry.id }, data: { text: "", nonce: null, erasedAt: at, detail: detail as Prisma.InputJsonValue } });
          erasedEntries += 1;
        }
        // The one update the timeline trigger allows: text and nonce cleared (the detail's words too, above), hashes kept.
        const cleared = await tx.timelineEntry.updateMany({ where: { caseId, erasedAt: null }, data: { text: "", nonce: null, erasedAt: at } });
        erasedEntries += cleared.count;
        // The emails taken in for the case hold the same person's words: cleared with it.
        await clearEmails({ caseId });
        // Its letters and emails (their words, addresses and drafts) go whole; the timeline keeps their hashes.
        await tx.outgoingItem.deleteMany({ where: { caseId } });
        // The case's files go whole; their bytes go after, once no other row names them.
        const files = await tx.caseFile.findMany({ where: { caseId }, select: { sha256: true } });
        for (const file of files) removedFiles.add(file.sha256);
        await tx.caseFile.deleteMany({ where: { caseId } });
        // Each erased case points at its own anonymised constituent, so nothing links it to a person.
        const anonymous = await tx.constituent.create({ data: { name: ERASED_NAME, erasedAt: at }, select: { id: true } });
        // Its clock keeps its events' kinds and dates (the published figures stand) without their words. Its force_answer_due stays:
        // the statement still counts a recommendation awaiting its answer; the digest and lists leave erased cases out.
        const { clock } = await tx.case.findUniqueOrThrow({ where: { id: caseId }, select: { clock: true } });
        const stored = storedClock(clock);
        const erasedClock = stored ? { ...stored, events: stored.events.map(eventWithoutWords) } : undefined;
        await tx.case.update({
          where: { id: caseId },
          data: { subject: ERASED_SUBJECT, summary: "", constituentId: anonymous.id, erasedAt: at, ...(erasedClock ? { clock: erasedClock } : {}) },
        });
      }
      // Their emails on no case (dismissed), when the person's record goes.
      if (emailIds.length) await clearEmails({ id: { in: [...emailIds] }, caseId: null });
      let constituentsRemoved = 0;
      for (const id of owners) {
        const remaining = await tx.case.count({ where: { constituentId: id } });
        if (remaining === 0) {
          // Records merged into this one hold the same person's details and no cases: they go with it.
          const merged = await tx.constituent.deleteMany({ where: { mergedIntoId: id } });
          await tx.constituent.delete({ where: { id } });
          constituentsRemoved += 1 + merged.count;
        }
      }
      return { erasedEntries, constituentsRemoved, removedFiles: [...removedFiles], erasedEmails };
    });
  }

  async closedBefore(instant: Date, limit: number): Promise<{ total: number; cases: RetentionCandidate[] }> {
    const where: Prisma.CaseWhereInput = { status: "closed", closedAt: { lt: instant }, erasedAt: null };
    const [total, rows] = await Promise.all([
      this.prisma.case.count({ where }),
      this.prisma.case.findMany({ where, orderBy: { closedAt: "asc" }, take: limit, select: { reference: true, closedAt: true, outcome: true } }),
    ]);
    return { total, cases: rows.map((row) => ({ reference: row.reference, closedOn: londonDateOf(row.closedAt!), outcome: row.outcome })) };
  }

  async exportBatch(range: { from: string; to: string } | null, afterId: number, limit: number): Promise<ExportCase[]> {
    const rows = await this.prisma.case.findMany({
      where: {
        id: { gt: afterId },
        erasedAt: null,
        ...(range ? { receivedOn: { gte: localDateToDb(range.from), lte: localDateToDb(range.to) } } : {}),
      },
      include: {
        ...CASE_INCLUDE,
        assignee: { select: { id: true, name: true, email: true } },
        timeline: { where: { type: "assigned" }, orderBy: { seq: "desc" }, take: 1, select: { at: true } },
      },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id,
      record: toCaseRecord(row),
      assigneeLookup: row.assignee ? (row.assignee.email ?? row.assignee.name) : null,
      assignedAt: row.assignee ? (row.timeline[0]?.at ?? null) : null,
    }));
  }
}

export class PrismaAccessLogStore implements AccessLogStore {
  constructor(private readonly prisma: PrismaClient) {}

  async record(event: AccessEvent): Promise<void> {
    await this.prisma.auditEvent.create({ data: event });
  }

  async list(options: { limit: number; action?: AccessAction }): Promise<AccessEvent[]> {
    const rows = await this.prisma.auditEvent.findMany({
      where: options.action ? { action: options.action } : {},
      orderBy: { id: "desc" },
      take: options.limit,
    });
    return rows.map((row) => ({ ...row, platform: row.platform as Platform, action: row.action as AccessAction }));
  }
}

