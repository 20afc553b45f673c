import { DomainError } from "../domain/errors.ts";
import type { OutgoingStore } from "../domain/letters/outgoing-service.ts";
import type { NewOutgoingItem, OutgoingItem, OutgoingPatch, OutgoingStatus, OutgoingWrite } from "../domain/letters/outgoing.ts";
import type { TemplateForm } from "../domain/letters/templates.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

type Tx = Prisma.TransactionClient;
type Row = Prisma.OutgoingItemGetPayload<object>;

/** Letters and emails of cases (outgoing_item). Writes that go with a case's step are made in its transaction (applyOutgoingWrite). */
export class PrismaOutgoingStore implements OutgoingStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(caseId: number): Promise<OutgoingItem[]> {
    const rows = await this.prisma.outgoingItem.findMany({ where: { caseId }, orderBy: { number: "asc" } });
    return rows.map(toItem);
  }

  async find(caseId: number, number: number): Promise<OutgoingItem | null> {
    const row = await this.prisma.outgoingItem.findUnique({ where: { caseId_number: { caseId, number } } });
    return row ? toItem(row) : null;
  }

  async sentWithMessageIds(messageIds: readonly string[]): Promise<(OutgoingItem & { reference: string })[]> {
    const rows = await this.prisma.outgoingItem.findMany({ where: { messageId: { in: [...messageIds] }, form: "email" }, include: { case: { select: { reference: true } } }, orderBy: { id: "desc" }, take: 10 });
    return rows.map((row) => ({ ...toItem(row), reference: row.case.reference }));
  }

  async claim(id: number, from: readonly OutgoingStatus[], words: Pick<OutgoingItem, "subject" | "text">, patch: OutgoingPatch): Promise<boolean> {
    const updated = await this.prisma.outgoingItem.updateMany({ where: { id, status: { in: [...from] }, subject: words.subject, text: words.text }, data: toColumns(patch) });
    return updated.count === 1;
  }

  async failed(id: number, reason: string, at: Date): Promise<void> {
    await this.prisma.outgoingItem.updateMany({ where: { id, status: "sending" }, data: { status: "send_failed", failure: reason.slice(0, 1000), failedAt: at, sendingSince: null } });
  }
}

/**
 * Writes an item's change inside the transaction of its case's change (which holds the case
 * row, so numbers are given out one at a time). An item no longer in the state the change was
 * decided on is refused as changed meanwhile, and the whole change with it.
 */
export async function applyOutgoingWrite(tx: Tx, caseId: number, reference: string, write: OutgoingWrite): Promise<void> {
  if (write.kind === "create") {
    const last = await tx.outgoingItem.aggregate({ where: { caseId }, _max: { number: true } });
    if ((last._max.number ?? 0) + 1 !== write.item.number) throw changed(reference);
    await tx.outgoingItem.create({ data: { caseId, ...toCreate(write.item) } });
    return;
  }
  const updated = await tx.outgoingItem.updateMany({ where: { id: write.id, caseId, status: { in: [...write.from] } }, data: toColumns(write.patch) });
  if (updated.count !== 1) throw changed(reference, write.number);
}

function changed(reference: string, number?: number): DomainError {
  return new DomainError(
    "changed_meanwhile",
    number === undefined ? `${reference} changed meanwhile. Try again.` : `Item ${number} of ${reference} changed meanwhile. Look again: outgoing ${reference} ${number}.`,
  );
}

function toCreate(item: NewOutgoingItem): Omit<Prisma.OutgoingItemUncheckedCreateInput, "caseId"> {
  return {
    number: item.number,
    templateKey: item.templateKey,
    form: item.form,
    templateVersion: item.templateVersion,
    ...(toColumns(item) as Omit<Prisma.OutgoingItemUncheckedCreateInput, "caseId" | "number" | "templateKey" | "form" | "templateVersion">),
  };
}

function toColumns(patch: OutgoingPatch): Prisma.OutgoingItemUncheckedUpdateManyInput {
  const { recipient, draftedBy, approvedBy, sentBy, ...plain } = patch;
  const person = (value: { id: number; name: string } | null | undefined, id: string, name: string) =>
    value === undefined ? {} : { [id]: value?.id ?? null, [name]: value?.name ?? null };
  return {
    ...plain,
    ...(recipient
      ? { recipientKind: recipient.kind, recipientName: recipient.name, recipientEmail: recipient.email, recipientAddress: recipient.address, partnerId: recipient.partnerId }
      : {}),
    ...person(draftedBy, "draftedById", "draftedBy"),
    ...person(approvedBy, "approvedById", "approvedBy"),
    ...person(sentBy, "sentById", "sentBy"),
  };
}

/** The stored columns that hold instants (JSON carries them as text). */
const INSTANT_COLUMNS = ["drafted_at", "approved_at", "sent_back_at", "sending_since", "sent_at", "failed_at", "posted_at", "bounced_at"];

/** An item as the case snapshot carries it (its row as JSON, columns by their stored names): read as a row of the table is. */
export function outgoingItemFromStored(stored: Record<string, unknown>): OutgoingItem {
  const row = Object.fromEntries(
    Object.entries(stored).map(([column, value]) => [
      column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
      INSTANT_COLUMNS.includes(column) && typeof value === "string" ? new Date(value) : value,
    ]),
  );
  return toItem(row as Row);
}

function toItem(row: Row): OutgoingItem {
  const named = (id: number | null, name: string | null) => (id !== null && name !== null ? { id, name } : null);
  return {
    id: row.id,
    caseId: row.caseId,
    number: row.number,
    templateKey: row.templateKey,
    form: row.form as TemplateForm,
    templateVersion: row.templateVersion,
    recipient: { kind: row.recipientKind as "constituent" | "partner", name: row.recipientName, email: row.recipientEmail, address: row.recipientAddress, partnerId: row.partnerId },
    subject: row.subject,
    text: row.text,
    status: row.status as OutgoingStatus,
    draftedBy: { id: row.draftedById, name: row.draftedBy },
    draftedAt: row.draftedAt,
    approvedBy: named(row.approvedById, row.approvedBy),
    approvedAt: row.approvedAt,
    approvedSha256: row.approvedSha256,
    sentBackBy: row.sentBackBy,
    sentBackAt: row.sentBackAt,
    sendBackComment: row.sendBackComment,
    sendingSince: row.sendingSince,
    messageId: row.messageId,
    sentBy: named(row.sentById, row.sentBy),
    sentAt: row.sentAt,
    sha256: row.sha256,
    failure: row.failure,
    failedAt: row.failedAt,
    postedBy: row.postedBy,
    postedAt: row.postedAt,
    bouncedAt: row.bouncedAt,
    bounceReason: row.bounceReason,
    bounceIntakeId: row.bounceIntakeId,
  };
}
