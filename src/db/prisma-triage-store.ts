import type { CaseRecord } from "../domain/cases/case-record.ts";
import type { ChatPlatform } from "../domain/cases/posted-cards.ts";
import type { Status } from "../domain/cases/vocabulary.ts";
import type { IntakeState } from "../domain/intake/intake-message.ts";
import type { TriageCard, TriageChannel, TriageStore } from "../domain/intake/triage.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import { CASE_INCLUDE, toCaseRecord } from "./prisma-case-store.ts";

/** Triage channels and the cards posted in them, on Prisma. */
export class PrismaTriageStore implements TriageStore {
  constructor(private readonly prisma: PrismaClient) {}

  async addChannel(channel: TriageChannel, createdById: number): Promise<boolean> {
    const existing = await this.prisma.triageChannel.findUnique({ where: { platform_channelId: channel } });
    if (existing) return false;
    await this.prisma.triageChannel.upsert({ where: { platform_channelId: channel }, create: { ...channel, createdById }, update: {} });
    return true;
  }

  async removeChannel(channel: TriageChannel): Promise<boolean> {
    return (await this.prisma.triageChannel.deleteMany({ where: channel })).count > 0;
  }

  async channels(): Promise<TriageChannel[]> {
    const rows = await this.prisma.triageChannel.findMany({ orderBy: { id: "asc" } });
    return rows.map((row) => ({ platform: row.platform as ChatPlatform, channelId: row.channelId }));
  }

  async pending(channel: TriageChannel, states: readonly IntakeState[], limit: number): Promise<number[]> {
    const rows = await this.prisma.intakeMessage.findMany({
      where: { state: { in: [...states] }, announcedAt: null, triageCards: { none: { platform: channel.platform, channelId: channel.channelId } } },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  async recordCard(card: Omit<TriageCard, "id" | "erased">, at: Date): Promise<void> {
    await this.prisma.triageCard.create({ data: { ...card, conversation: card.conversation as Prisma.InputJsonObject, postedAt: at } });
  }

  async cardChannels(intakeIds: readonly number[]): Promise<Map<number, Set<string>>> {
    const held = new Map<number, Set<string>>();
    if (intakeIds.length === 0) return held;
    const rows = await this.prisma.triageCard.findMany({ where: { intakeId: { in: [...intakeIds] } }, select: { intakeId: true, platform: true, channelId: true } });
    for (const row of rows) held.set(row.intakeId, (held.get(row.intakeId) ?? new Set()).add(`${row.platform}:${row.channelId}`));
    return held;
  }

  async markAnnounced(intakeIds: readonly number[], at: Date): Promise<void> {
    await this.prisma.intakeMessage.updateMany({ where: { id: { in: [...intakeIds] }, announcedAt: null }, data: { announcedAt: at } });
  }

  async outOfDate(limit: number): Promise<TriageCard[]> {
    const rows = await this.prisma.$queryRaw<{ id: number; intake_id: number; platform: string; channel_id: string; conversation: Record<string, unknown>; posted_id: string; shown_state: string; erased: boolean }[]>`
      SELECT t."id", t."intake_id", t."platform", t."channel_id", t."conversation", t."posted_id", t."shown_state", m."erased_at" IS NOT NULL AS "erased"
      FROM "triage_card" t JOIN "intake_message" m ON m."id" = t."intake_id"
      WHERE m."state" <> t."shown_state" OR (m."erased_at" IS NOT NULL AND NOT t."shown_erased")
      ORDER BY t."id"
      LIMIT ${limit}`;
    return rows.map((row) => ({
      id: row.id,
      intakeId: row.intake_id,
      platform: row.platform as ChatPlatform,
      channelId: row.channel_id,
      conversation: row.conversation,
      postedId: row.posted_id,
      shownState: row.shown_state as IntakeState,
      erased: row.erased,
    }));
  }

  async markShown(id: number, state: IntakeState, erased: boolean): Promise<void> {
    await this.prisma.triageCard.update({ where: { id }, data: { shownState: state, shownErased: erased } });
  }

  async casesOfAddress(emailKey: string, statuses: readonly Status[], limit: number): Promise<CaseRecord[]> {
    const person: Prisma.ConstituentWhereInput[] = [{ emailKey }, { email: { equals: emailKey, mode: "insensitive" } }];
    const rows = await this.prisma.case.findMany({
      where: { status: { in: [...statuses] }, constituent: { OR: [...person, { mergedFrom: { some: { OR: person } } }] } },
      include: CASE_INCLUDE,
      orderBy: [{ loggedAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(toCaseRecord);
  }
}
