import { loggingKeys } from "./reference.ts";
import { constituentKeys } from "../constituents/constituent-keys.ts";
import { createHash } from "node:crypto";
import { endOfLondonDay, type LocalDate } from "../calendar/local-date.ts";
import type { ServiceStandards } from "../settings.ts";
import type { NewCase, NewEntry } from "./case-record.ts";
import type { ImportRow } from "./import.schema.ts";
import { deadlinesForReceipt, type RuleContext } from "./lifecycle.ts";
import type { Status } from "./vocabulary.ts";

/** Midday in London on a date: when an imported step, known only by its day, is placed. */
function middayLondon(date: LocalDate): Date {
  return new Date(endOfLondonDay(date).getTime() + 1 - 12 * 3_600_000);
}

/** The same row always gives the same key, so importing a file twice adds nothing. */
export function importKey(row: ImportRow): string {
  return `import:${createHash("sha256").update(JSON.stringify(row)).digest("hex")}`;
}

/** A spreadsheet row as a case with the history the row records, each step on its own date. */
export function caseFromImportRow(
  row: ImportRow,
  assignee: { id: number; name: string } | null,
  ctx: RuleContext & { standards: ServiceStandards },
  /** The known constituent the row is for, if certainly one (matching.ts); else a new record. */
  knownConstituentId: number | null = null,
): { draft: NewCase; entries: NewEntry[] } {
  // A step known only by its day is placed at midday, or now if that is still to come today.
  const stepAt = (date: LocalDate) => {
    const midday = middayLondon(date);
    return midday < ctx.now ? midday : ctx.now;
  };
  const acknowledgedOn = row.acknowledged_on ?? row.responded_on;
  const status: Status = row.closed_on ? "closed" : row.responded_on ? "responded" : acknowledgedOn ? "acknowledged" : "new";
  const assignedOn = row.assigned_on ?? row.received_on;
  const steps = [row.received_on, acknowledgedOn, row.responded_on, row.closed_on].filter((d): d is string => Boolean(d));
  const lastStep = stepAt(steps.sort().at(-1)!);
  const entries: NewEntry[] = [
    {
      type: "imported",
      text: row.reference ? `Imported from the casework spreadsheet (was ${row.reference})` : "Imported from the casework spreadsheet",
      detail: { previousReference: row.reference ?? null, channel: row.channel, receivedOn: row.received_on },
    },
  ];
  if (assignee) entries.push({ type: "assigned", text: `Assigned to ${assignee.name}`, detail: { from: null, to: assignee.id }, at: stepAt(assignedOn) });
  if (acknowledgedOn) entries.push({ type: "acknowledged", text: "Acknowledged", detail: { method: null }, at: stepAt(acknowledgedOn) });
  if (row.responded_on) entries.push({ type: "responded", text: "Full response sent", detail: {}, at: stepAt(row.responded_on) });
  if (row.closed_on) entries.push({ type: "closed", text: `Closed (${row.outcome})`, detail: { outcome: row.outcome }, at: stepAt(row.closed_on) });

  const constituent = {
    name: row.constituent_name,
    email: row.constituent_email ?? null,
    phone: row.constituent_phone ?? null,
    address: row.constituent_address ?? null,
  };
  return {
    draft: {
      ...loggingKeys(ctx.standards.referencePrefix, ctx.today),
      constituentId: knownConstituentId,
      constituentKeys: constituentKeys(constituent),
      channel: row.channel,
      receivedOn: row.received_on,
      loggedAt: ctx.now,
      subject: row.subject,
      summary: row.summary ?? "",
      kind: row.kind,
      themes: [...new Set(row.themes)],
      sensitive: row.sensitive,
      constituent,
      assigneeId: assignee?.id ?? null,
      ...deadlinesForReceipt(row.received_on, ctx),
      status,
      acknowledgedAt: acknowledgedOn ? stepAt(acknowledgedOn) : null,
      respondedAt: row.responded_on ? stepAt(row.responded_on) : null,
      closedAt: row.closed_on ? stepAt(row.closed_on) : null,
      outcome: row.outcome ?? null,
      lastActionAt: lastStep,
    },
    entries,
  };
}
