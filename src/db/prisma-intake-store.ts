import type { DismissReason, IntakeCounts, IntakeDecision, IntakeRecord, IntakeState, NewIntakeMessage, SourceCursor, SourceHealth, AttachmentInfo } from "../domain/intake/intake-message.ts";
import type { Decider, IntakeStore } from "../domain/intake/intake-store.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

const INCLUDE = { case: { select: { id: true, reference: true, status: true } } } satisfies Prisma.IntakeMessageInclude;
type Row = Prisma.IntakeMessageGetPayload<{ include: typeof INCLUDE }>;

/** The intake record on Prisma: the only place that knows how messages and cursors sit in tables. */
export class PrismaIntakeStore implements IntakeStore {
  constructor(private readonly prisma: PrismaClient) {}

  async cursor(source: string): Promise<SourceCursor | null> {
    const row = await this.prisma.intakeCursor.findUnique({ where: { source } });
    if (!row) return null;
    if (row.link !== null) return { kind: "graph", link: row.link };
    // A row that only says the mailbox failed before it was ever read names no place in it.
    if (row.uidValidity === null) return null;
    return { kind: "imap", uidValidity: Number(row.uidValidity), lastUid: Number(row.lastUid ?? 0) };
  }

  async sourceRead(source: string, at: Date): Promise<void> {
    await this.prisma.intakeCursor.updateMany({ where: { source }, data: { readAt: at, failingSince: null, lastError: null } });
  }

  async sourceFailed(source: string, error: string, at: Date): Promise<void> {
    // The first failure of a run of them says since when; later ones only bring the error up to date.
    await this.prisma.$executeRaw`
      INSERT INTO "intake_cursor" ("source", "updated_at", "failing_since", "last_error") VALUES (${source}, ${at}, ${at}, ${error})
      ON CONFLICT ("source") DO UPDATE SET
        "failing_since" = COALESCE("intake_cursor"."failing_since", EXCLUDED."failing_since"),
        "last_error" = EXCLUDED."last_error"`;
  }

  async health(): Promise<SourceHealth[]> {
    const rows = await this.prisma.intakeCursor.findMany({ orderBy: { source: "asc" }, select: { source: true, readAt: true, failingSince: true, lastError: true } });
    return rows;
  }

  async record(source: string, messages: readonly NewIntakeMessage[], cursor: SourceCursor, at: Date): Promise<number[]> {
    return this.prisma.$transaction(async (tx) => {
      // Rows recorded before content hashes were kept ("") are one message by Message-ID alone, as they were then.
      const ids = messages.flatMap((message) => (message.messageId ? [message.messageId] : []));
      const legacy = ids.length
        ? new Set((await tx.intakeMessage.findMany({ where: { source, contentHash: "", messageId: { in: ids } }, select: { messageId: true } })).map((row) => row.messageId))
        : new Set<string | null>();
      const fresh = messages.filter((message) => !message.messageId || !legacy.has(message.messageId));
      // ON CONFLICT DO NOTHING: a message another process (or an earlier run) recorded stays as it was written.
      const written = fresh.length
        ? await tx.intakeMessage.createManyAndReturn({
            data: fresh.map((message) => ({ ...message, source, attachments: message.attachments as unknown as Prisma.InputJsonArray })),
            skipDuplicates: true,
            select: { id: true },
          })
        : [];
      const uidValidity = cursor.kind === "imap" ? BigInt(cursor.uidValidity) : null;
      const lastUid = cursor.kind === "imap" ? BigInt(cursor.lastUid) : null;
      const link = cursor.kind === "graph" ? cursor.link : null;
      // Forward only: a slower process never moves the cursor back over what a faster one read.
      await tx.$executeRaw`
        INSERT INTO "intake_cursor" ("source", "uid_validity", "last_uid", "link", "updated_at") VALUES (${source}, ${uidValidity}, ${lastUid}, ${link}, ${at})
        ON CONFLICT ("source") DO UPDATE SET
          "uid_validity" = EXCLUDED."uid_validity",
          "last_uid" = CASE WHEN "intake_cursor"."uid_validity" IS DISTINCT FROM EXCLUDED."uid_validity" THEN EXCLUDED."last_uid"
                            ELSE GREATEST("intake_cursor"."last_uid", EXCLUDED."last_uid") END,
          "link" = EXCLUDED."link",
          "updated_at" = EXCLUDED."updated_at"`;
      return written.map((row) => row.id).sort((a, b) => a - b);
    });
  }

  async find(id: number): Promise<IntakeRecord | null> {
    const row = await this.prisma.intakeMessage.findUnique({ where: { id }, include: INCLUDE });
    return row ? toRecord(row) : null;
  }

  async list(filter: { states?: readonly IntakeState[]; unchecked?: boolean; limit: number; newestFirst?: boolean }): Promise<IntakeRecord[]> {
    const rows = await this.prisma.intakeMessage.findMany({
      where: { ...(filter.states ? { state: { in: [...filter.states] } } : {}), ...(filter.unchecked ? { threadChecked: false } : {}) },
      include: INCLUDE,
      orderBy: { id: filter.newestFirst ? "desc" : "asc" },
      take: filter.limit,
    });
    return rows.map(toRecord);
  }

  async caseOfMessages(messageIds: readonly string[]): Promise<{ id: number; reference: string } | null> {
    if (messageIds.length === 0) return null;
    // An email Postbag sent from a case (domain/letters) names its case by its Message-ID too.
    const sent = await this.prisma.outgoingItem.findFirst({
      where: { messageId: { in: [...messageIds] }, status: { in: ["sent", "sending", "send_failed", "bounced"] } },
      select: { case: { select: { id: true, reference: true } } },
      orderBy: { id: "desc" },
    });
    if (sent) return sent.case;
    const row = await this.prisma.intakeMessage.findFirst({
      where: { messageId: { in: [...messageIds] }, state: { in: ["logged", "attached"] }, caseId: { not: null } },
      include: INCLUDE,
      orderBy: { id: "desc" },
    });
    return row?.case ? { id: row.case.id, reference: row.case.reference } : null;
  }

  async loggedSince(since: Date, limit: number): Promise<{ intakeId: number; caseId: number; reference: string; loggedAt: Date }[]> {
    const rows = await this.prisma.intakeMessage.findMany({
      where: { state: "logged", caseId: { not: null }, decidedAt: { gte: since } },
      select: { id: true, decidedAt: true, case: { select: { id: true, reference: true } } },
      orderBy: { decidedAt: "asc" },
      take: limit,
    });
    return rows.flatMap((row) => (row.case && row.decidedAt ? [{ intakeId: row.id, caseId: row.case.id, reference: row.case.reference, loggedAt: row.decidedAt }] : []));
  }

  /** Emails on no case, not erased, from any of these addresses (compared without regard to case), oldest first. */
  async onNoCaseFrom(addresses: readonly string[]): Promise<IntakeRecord[]> {
    if (addresses.length === 0) return [];
    const rows = await this.prisma.intakeMessage.findMany({
      where: { caseId: null, erasedAt: null, OR: addresses.map((address) => ({ fromAddress: { equals: address, mode: "insensitive" as const } })) },
      include: INCLUDE,
      orderBy: { id: "asc" },
    });
    return rows.map(toRecord);
  }

  async ofCase(caseId: number): Promise<IntakeRecord[]> {
    const rows = await this.prisma.intakeMessage.findMany({ where: { caseId }, include: INCLUDE, orderBy: { id: "asc" } });
    return rows.map(toRecord);
  }

  async markThreadChecked(id: number): Promise<void> {
    await this.prisma.intakeMessage.update({ where: { id }, data: { threadChecked: true } });
  }

  async claim(id: number, action: string, by: string, at: Date, staleBefore: Date): Promise<boolean> {
    const claimed = await this.prisma.intakeMessage.updateMany({
      where: { id, state: { in: ["new", "unreadable"] }, OR: [{ claimedFor: null }, { claimedFor: action }, { claimedAt: { lt: staleBefore } }] },
      data: { claimedFor: action, claimedBy: by, claimedAt: at },
    });
    return claimed.count === 1;
  }

  async release(id: number, action: string): Promise<void> {
    await this.prisma.intakeMessage.updateMany({ where: { id, claimedFor: action }, data: { claimedFor: null, claimedBy: null, claimedAt: null } });
  }

  async isErased(reference: string): Promise<boolean> {
    const found = await this.prisma.case.findUnique({ where: { reference }, select: { erasedAt: true } });
    return found?.erasedAt != null;
  }

  async decide(id: number, from: readonly IntakeState[], decision: IntakeDecision, by: Decider, at: Date): Promise<boolean> {
    const common = { state: decision.state, decidedById: by.id, decidedBy: by.name, decidedAt: at, claimedFor: null, claimedBy: null, claimedAt: null, threadChecked: true };
    const data: Prisma.IntakeMessageUncheckedUpdateManyInput =
      decision.state === "dismissed"
        ? { ...common, dismissReason: decision.reason, dismissNote: decision.note }
        : { ...common, caseId: decision.caseId, reopenAsked: decision.reopenAsked ?? false };
    const updated = await this.prisma.intakeMessage.updateMany({ where: { id, state: { in: [...from] } }, data });
    return updated.count === 1;
  }

  async counts(from: Date, to: Date): Promise<IntakeCounts> {
    const groups = await this.prisma.intakeMessage.groupBy({
      by: ["state", "dismissReason"],
      where: { recordedAt: { gte: from, lt: to } },
      _count: { _all: true },
    });
    const counts: IntakeCounts = { received: 0, logged: 0, attached: 0, dismissed: 0, dismissedBy: {}, undecided: 0, unreadable: 0 };
    for (const group of groups) {
      const n = group._count._all;
      counts.received += n;
      const state = group.state as IntakeState;
      if (state === "logged" || state === "attached" || state === "dismissed") counts[state] += n;
      if (state === "new" || state === "unreadable") counts.undecided += n;
      if (state === "unreadable") counts.unreadable += n;
      if (state === "dismissed" && group.dismissReason) {
        const reason = group.dismissReason as DismissReason;
        counts.dismissedBy[reason] = (counts.dismissedBy[reason] ?? 0) + n;
      }
    }
    return counts;
  }

  async undecided(before: Date, limit: number): Promise<{ total: number; messages: IntakeRecord[] }> {
    const where = { state: { in: ["new", "unreadable"] }, recordedAt: { lt: before } };
    const [total, rows] = await Promise.all([
      this.prisma.intakeMessage.count({ where }),
      this.prisma.intakeMessage.findMany({ where, include: INCLUDE, orderBy: { id: "asc" }, take: limit }),
    ]);
    return { total, messages: rows.map(toRecord) };
  }

  async awaitingReopenDecision(limit: number): Promise<IntakeRecord[]> {
    const rows = await this.prisma.intakeMessage.findMany({ where: { reopenAsked: true, case: { status: "closed" } }, include: INCLUDE, orderBy: { id: "asc" }, take: limit });
    return rows.map(toRecord);
  }

  async answerReopen(id: number): Promise<boolean> {
    const updated = await this.prisma.intakeMessage.updateMany({ where: { id, reopenAsked: true }, data: { reopenAsked: false } });
    return updated.count === 1;
  }
}

function toRecord(row: Row): IntakeRecord {
  return {
    id: row.id,
    source: row.source,
    messageId: row.messageId,
    inReplyTo: row.inReplyTo,
    references: row.references,
    fromName: row.fromName,
    fromAddress: row.fromAddress,
    subject: row.subject,
    sentAt: row.sentAt,
    deliveredAt: row.deliveredAt,
    recordedAt: row.recordedAt,
    text: row.text,
    attachments: row.attachments as unknown as AttachmentInfo[],
    rawSize: row.rawSize,
    automatic: row.automatic,
    state: row.state as IntakeState,
    problem: row.problem,
    case: row.case,
    dismissReason: row.dismissReason as DismissReason | null,
    dismissNote: row.dismissNote,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    reopenAsked: row.reopenAsked,
    claim: row.claimedFor && row.claimedAt ? { action: row.claimedFor, by: row.claimedBy ?? "someone", at: row.claimedAt } : null,
    erasedAt: row.erasedAt,
  };
}
