import { CHAIN_START, newNonce, sealEntry } from "../domain/audit/entry-hash.ts";
import type { Prisma } from "./generated/client.ts";

type Tx = Prisma.TransactionClient;

/**
 * Where a case's hash chain stands, for the entry about to be written: the next seq and
 * the chain hash to follow. Entries written before the chain existed are sealed first,
 * in order, so the new entry always extends a complete chain. Called inside the
 * transaction that holds the case row, so no other writer extends the chain meanwhile.
 */
export async function chainTip(tx: Tx, caseId: number): Promise<{ nextSeq: number; previous: string }> {
  const last = await lastEntry(tx, caseId);
  // Every sealed entry was written after all before it were sealed, so a sealed last
  // entry means a complete chain; an unsealed one means pre-chain entries to seal.
  if (!last || last.chainHash) return { nextSeq: (last?.seq ?? 0) + 1, previous: last?.chainHash ?? CHAIN_START };
  await sealCase(tx, caseId);
  const sealed = await lastEntry(tx, caseId);
  return { nextSeq: sealed!.seq + 1, previous: sealed!.chainHash! };
}

function lastEntry(tx: Tx, caseId: number) {
  return tx.timelineEntry.findFirst({ where: { caseId }, orderBy: { seq: "desc" }, select: { seq: true, chainHash: true } });
}

/** Seals a case's pre-chain entries (the one update the database allows them). Returns how many. */
export async function sealCase(tx: Tx, caseId: number): Promise<number> {
  const rows = await tx.timelineEntry.findMany({ where: { caseId }, orderBy: { seq: "asc" } });
  let previous = CHAIN_START;
  let sealed = 0;
  for (const row of rows) {
    if (row.chainHash) {
      previous = row.chainHash;
      continue;
    }
    const nonce = newNonce();
    const hashes = sealEntry({ ...row, nonce }, previous);
    await tx.timelineEntry.update({ where: { id: row.id }, data: { ...hashes, nonce } });
    previous = hashes.chainHash;
    sealed += 1;
  }
  return sealed;
}

/** The columns of a new entry that make it part of the chain. */
export function chainColumns(
  entry: { caseId: number; seq: number; cycle: number; at: Date; recordedAt?: Date | null; type: string; actorId: number | null; platform: string; text: string; detail: unknown },
  previous: string,
): { contentHash: string; chainHash: string; nonce: string } {
  const nonce = newNonce();
  return { ...sealEntry({ ...entry, nonce }, previous), nonce };
}
