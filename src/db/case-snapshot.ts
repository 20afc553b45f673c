import type { CaseRecord, LoadedCase, TimelineWindow } from "../domain/cases/case-record.ts";
import { storedClock } from "../domain/clocks/case-clock.ts";
import type { Channel, EntryType, Kind, Outcome, Status } from "../domain/cases/vocabulary.ts";
import type { Platform } from "../domain/ports.ts";
import type { FileSource } from "../domain/files/case-files.ts";
import { outgoingItemFromStored } from "./prisma-outgoing-store.ts";
import type { Prisma } from "./generated/client.ts";

/**
 * Loads a case with its timeline in one round trip, through the `postbag_case_snapshot`
 * functions (migration 20261126000000_case_snapshot), whose plans the database keeps.
 */

/** Runs one statement with positional parameters: on the driver itself, or inside a Prisma transaction. */
export type RunSql = <Row>(sql: string, params: unknown[]) => Promise<Row[]>;

export function inTransaction(tx: Prisma.TransactionClient): RunSql {
  return (sql, params) => tx.$queryRawUnsafe(sql, ...params);
}

export function snapshotById(run: RunSql, caseId: number, window: TimelineWindow = {}): Promise<LoadedCase | null> {
  return snapshot(run, `SELECT "postbag_case_snapshot"($1::int, $2::int) AS "snapshot"`, caseId, window);
}

export function snapshotByReference(run: RunSql, reference: string, window: TimelineWindow = {}): Promise<LoadedCase | null> {
  return snapshot(run, `SELECT "postbag_case_snapshot_by_reference"($1::text, $2::int) AS "snapshot"`, reference, window);
}

/** The case a request key produced, with the fingerprint of the request that used the key. */
export async function snapshotByRequestKey(
  run: RunSql,
  requestKey: string,
  window: TimelineWindow = {},
): Promise<{ loaded: LoadedCase; fingerprint: string | null } | null> {
  const [row] = await run<{ found: { fingerprint: string | null; snapshot: CaseSnapshot | null } | null }>(
    `SELECT "postbag_case_snapshot_by_request_key"($1::text, $2::int) AS "found"`,
    [requestKey, window.last ?? null],
  );
  const loaded = fromSnapshot(row?.found?.snapshot ?? null);
  return loaded ? { loaded, fingerprint: row!.found!.fingerprint } : null;
}

async function snapshot(run: RunSql, sql: string, key: number | string, window: TimelineWindow): Promise<LoadedCase | null> {
  const [row] = await run<SnapshotRow>(sql, [key, window.last ?? null]);
  return fromSnapshot(row?.snapshot ?? null);
}

interface SnapshotRow {
  snapshot: CaseSnapshot | null;
}

/** The function's JSON: instants as ISO 8601 strings, days as YYYY-MM-DD. */
export interface CaseSnapshot {
  id: number;
  reference: string;
  channel: string;
  receivedOn: string;
  loggedAt: string;
  subject: string;
  summary: string;
  kind: string;
  themes: string[];
  sensitive: boolean;
  status: string;
  constituent: CaseRecord["constituent"];
  assignee: CaseRecord["assignee"];
  cycle: number;
  cycleStartedOn: string;
  acknowledgeBy: string;
  respondBy: string;
  acknowledgedAt: string | null;
  respondedAt: string | null;
  closedAt: string | null;
  outcome: string | null;
  lastActionAt: string;
  staleFlaggedAt: string | null;
  lastHoldingReplyAt: string | null;
  version: number;
  clock: unknown;
  clockStopped: boolean;
  teamId: number | null;
  erasedAt?: string | null;
  referrals: {
    id: number;
    partner: string;
    cycle: number;
    sentAt: string;
    expectedBy: string;
    repliedAt: string | null;
    chaseCount: number;
    lastChasedAt: string | null;
  }[];
  /** The case's files, oldest first, with who added each. */
  files: { id: number; sha256: string; filename: string; mediaType: string; size: number; addedAt: string; source: string; addedBy: { id: number; name: string } | null }[];
  /** The case's letters and emails in their order, each its stored row (column names as in the table). */
  outgoing: Record<string, unknown>[];
  timelineTotal: number;
  timeline: {
    seq: number;
    cycle: number;
    at: string;
    recordedAt: string | null;
    type: string;
    actor: { id: number; name: string } | null;
    platform: string;
    text: string;
    detail: Record<string, unknown> | null;
  }[];
}

export function fromSnapshot(snapshot: CaseSnapshot | null): LoadedCase | null {
  if (!snapshot) return null;
  const record: CaseRecord = {
    id: snapshot.id,
    reference: snapshot.reference,
    channel: snapshot.channel as Channel,
    receivedOn: snapshot.receivedOn,
    loggedAt: new Date(snapshot.loggedAt),
    subject: snapshot.subject,
    summary: snapshot.summary,
    kind: snapshot.kind as Kind,
    themes: snapshot.themes,
    sensitive: snapshot.sensitive,
    status: snapshot.status as Status,
    constituent: snapshot.constituent,
    assignee: snapshot.assignee,
    cycle: snapshot.cycle,
    cycleStartedOn: snapshot.cycleStartedOn,
    acknowledgeBy: snapshot.acknowledgeBy,
    respondBy: snapshot.respondBy,
    acknowledgedAt: instantOrNull(snapshot.acknowledgedAt),
    respondedAt: instantOrNull(snapshot.respondedAt),
    closedAt: instantOrNull(snapshot.closedAt),
    outcome: snapshot.outcome as Outcome | null,
    lastActionAt: new Date(snapshot.lastActionAt),
    staleFlaggedAt: instantOrNull(snapshot.staleFlaggedAt),
    lastHoldingReplyAt: instantOrNull(snapshot.lastHoldingReplyAt),
    version: snapshot.version,
    clock: storedClock(snapshot.clock),
    clockStopped: snapshot.clockStopped,
    teamId: snapshot.teamId,
    erasedAt: instantOrNull(snapshot.erasedAt ?? null),
    referrals: snapshot.referrals.map((referral) => ({
      id: referral.id,
      partner: referral.partner,
      cycle: referral.cycle,
      sentAt: new Date(referral.sentAt),
      expectedBy: referral.expectedBy,
      repliedAt: instantOrNull(referral.repliedAt),
      chaseCount: referral.chaseCount,
      lastChasedAt: instantOrNull(referral.lastChasedAt),
    })),
  };
  const entries = snapshot.timeline.map((entry) => ({
    seq: entry.seq,
    cycle: entry.cycle,
    at: new Date(entry.at),
    recordedAt: instantOrNull(entry.recordedAt),
    type: entry.type as EntryType,
    actor: entry.actor,
    platform: entry.platform as Platform,
    text: entry.text,
    detail: entry.detail ?? {},
  }));
  const files = snapshot.files.map((file) => ({ ...file, caseId: snapshot.id, addedAt: new Date(file.addedAt), source: file.source as FileSource }));
  return { record, timeline: { entries, total: snapshot.timelineTotal }, files, outgoing: snapshot.outgoing.map(outgoingItemFromStored) };
}

function instantOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
