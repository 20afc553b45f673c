import { DISCONNECT_REASONS, type ChatPlatformName, type ConnectionStore, type Disconnection } from "../domain/platforms/connections.ts";
import type { PrismaClient } from "./generated/client.ts";

/** Disconnected chat platforms in the `platform_connection` table: one row a platform. */
export class PrismaConnectionStore implements ConnectionStore {
  constructor(private readonly prisma: PrismaClient) {}

  async disconnect(disconnection: Disconnection): Promise<void> {
    const data = { reason: disconnection.reason, workspace: disconnection.workspace, disconnectedAt: disconnection.since, clearedAt: null };
    // A repeated event keeps the first time and reason; one after a reconnection starts afresh.
    await this.prisma.$transaction(async (tx) => {
      const current = await tx.platformConnection.findUnique({ where: { platform: disconnection.platform } });
      if (current && current.clearedAt === null) return;
      await tx.platformConnection.upsert({ where: { platform: disconnection.platform }, create: { platform: disconnection.platform, ...data }, update: data });
    });
  }

  async clear(platform: ChatPlatformName, at: Date): Promise<void> {
    await this.prisma.platformConnection.updateMany({ where: { platform, clearedAt: null }, data: { clearedAt: at } });
  }

  async list(): Promise<Disconnection[]> {
    const rows = await this.prisma.platformConnection.findMany({ where: { clearedAt: null }, orderBy: { platform: "asc" } });
    return rows
      .filter((row) => (row.platform === "slack" || row.platform === "teams") && row.reason in DISCONNECT_REASONS)
      .map((row) => ({ platform: row.platform as ChatPlatformName, reason: row.reason as Disconnection["reason"], workspace: row.workspace, since: row.disconnectedAt }));
  }
}
