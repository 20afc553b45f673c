import type { ChatPlatform, PostedCard, PostedCardStore } from "../domain/cases/posted-cards.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

/** Posted case cards in the `posted_card` table. */
export class PrismaPostedCardStore implements PostedCardStore {
  constructor(private readonly prisma: PrismaClient) {}

  async record(card: Omit<PostedCard, "id">, at: Date): Promise<void> {
    const found = await this.prisma.case.findUnique({ where: { reference: card.reference }, select: { id: true } });
    if (!found) return;
    const data = { conversation: card.conversation as Prisma.InputJsonObject, shownSensitive: card.shownSensitive };
    await this.prisma.postedCard.upsert({
      where: { platform_messageId: { platform: card.platform, messageId: card.messageId } },
      create: { ...data, caseId: found.id, platform: card.platform, messageId: card.messageId, postedAt: at },
      update: { ...data, refreshedAt: at },
    });
  }

  async outOfDate(platform: ChatPlatform, limit: number): Promise<PostedCard[]> {
    const rows = await this.prisma.$queryRaw<{ id: number; reference: string; conversation: Record<string, unknown>; message_id: string; shown_sensitive: boolean }[]>`
      SELECT p."id", c."reference", p."conversation", p."message_id", p."shown_sensitive"
      FROM "posted_card" p JOIN "case" c ON c."id" = p."case_id"
      WHERE p."platform" = ${platform} AND p."shown_sensitive" <> c."sensitive"
      ORDER BY p."id" LIMIT ${limit}`;
    return rows.map((row) => ({ id: row.id, reference: row.reference, platform, conversation: row.conversation, messageId: row.message_id, shownSensitive: row.shown_sensitive }));
  }

  async referenceAt(platform: ChatPlatform, messageId: string): Promise<string | null> {
    const card = await this.prisma.postedCard.findUnique({ where: { platform_messageId: { platform, messageId } }, select: { case: { select: { reference: true } } } });
    return card?.case.reference ?? null;
  }

  async markShown(id: number, sensitive: boolean, at: Date): Promise<void> {
    await this.prisma.postedCard.update({ where: { id }, data: { shownSensitive: sensitive, refreshedAt: at } });
  }
}
