import { UNREACHED_REASONS, type FailedDelivery, type ReachabilityStore, type UnreachedReason } from "../domain/staff/reachability.ts";
import type { PrismaClient } from "./generated/client.ts";

/** Failed personal deliveries in the `staff_unreachable` table: one row a person, the latest. */
export class PrismaReachabilityStore implements ReachabilityStore {
  constructor(private readonly prisma: PrismaClient) {}

  async recordFailure(staffId: number, reasons: UnreachedReason[], at: Date): Promise<void> {
    const data = { reasons, failedAt: at, clearedAt: null };
    await this.prisma.staffUnreachable.upsert({ where: { staffId }, create: { staffId, ...data }, update: data });
  }

  async clear(staffId: number, at: Date): Promise<void> {
    await this.prisma.staffUnreachable.updateMany({ where: { staffId, clearedAt: null }, data: { clearedAt: at } });
  }

  async listFailed(): Promise<FailedDelivery[]> {
    const rows = await this.prisma.staffUnreachable.findMany({ where: { clearedAt: null }, orderBy: { staffId: "asc" } });
    return rows.map((row) => ({ staffId: row.staffId, reasons: row.reasons.filter((reason): reason is UnreachedReason => reason in UNREACHED_REASONS), failedAt: row.failedAt }));
  }
}
