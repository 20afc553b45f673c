import { addDays, londonDateOf } from "../calendar/local-date.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { Clock, RequestContext } from "../ports.ts";
import { DEFAULT_RETENTION_YEARS } from "../settings.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import type { AccessLog } from "./access-log.ts";
import type { FileStore } from "../files/file-store.ts";
import type { CaseFileStore } from "../files/case-files.ts";
import type { ConstituentSummary, PrivacyStore, RetentionCandidate } from "./privacy-store.ts";
import { constituentQuerySchema, emailsOnlyFrom, oneConstituent } from "./subject-access.ts";
import { UNDECIDED } from "../intake/intake-message.ts";

const REFERENCE = /^[A-Z][A-Z0-9]{0,9}-\d{4}-\d{4,}$/i;

export interface ErasureOutcome {
  /** False when this was the preview: nothing was changed. */
  done: boolean;
  references: string[];
  message: string;
}

/**
 * Erasure (UK GDPR art. 17, and the retention schedule): removes a closed case's personal
 * data irreversibly — constituent details, subject, summary, timeline text — and keeps an
 * anonymised record (dates, channel, kind, themes, outcome, who handled it) so the figures
 * stay as they were. The hash chain still verifies: it runs over content digests, which
 * outlive the content. Managers only, confirmed explicitly, and itself audited.
 *
 * The emails taken in for those cases are cleared with them; and when the person's record goes
 * (no case of theirs remains), so are the emails from their address that are on no case
 * (dismissed ones) — unless someone else on record has that address, when they may be that
 * person's. Every triage card of a cleared email is then updated to show nothing of its sender.
 */
export class ErasureService {
  private readonly erasedListeners: (() => void)[] = [];

  constructor(
    private readonly store: PrivacyStore,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
    private readonly retentionYears = DEFAULT_RETENTION_YEARS,
    /** Where the erased cases' files are kept: bytes no other row names are removed. */
    private readonly files?: { store: FileStore; rows: CaseFileStore },
  ) {}

  /** Told after each erasure: triage cards showing an erased email are updated. */
  whenErased(listener: () => void): void {
    this.erasedListeners.push(listener);
  }

  /** `erase <ref|constituent>`; without `confirm` it only says what would go. */
  async erase(actor: Actor, raw: unknown, confirm: boolean, request: RequestContext): Promise<ErasureOutcome> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can erase personal data.");
    const query = parseInput(constituentQuerySchema, raw);
    let targets = await this.store.caseIdsOf(REFERENCE.test(query) && !query.startsWith("#") ? [query.toUpperCase()] : []);
    let subject: string;
    let person: ConstituentSummary | undefined;
    if (targets.length === 1) {
      subject = targets[0]!.reference;
      person = (await this.store.findConstituents(subject)).find((found) => found.references.includes(subject));
    } else {
      person = await oneConstituent(this.store, query);
      targets = await this.store.caseIdsOf(person.references);
      subject = `constituent #${person.id}`;
    }
    targets = targets.filter((t) => !t.erased);
    if (targets.length === 0) throw new DomainError("invalid_input", "There is nothing left to erase there: it was erased already.");
    const open = targets.filter((t) => t.status !== "closed").map((t) => t.reference);
    if (open.length) {
      throw new DomainError("invalid_transition", `Close ${open.join(", ")} first (for instance: close ${open[0]} withdrawn): an open case cannot be erased.`);
    }
    const references = targets.map((t) => t.reference);
    const emails = person && person.references.every((reference) => references.includes(reference)) ? await emailsOnlyFrom(this.store, person) : [];
    // Like an open case, an email still awaiting a decision is the office's business in hand.
    const waiting = emails.filter((email) => UNDECIDED.includes(email.state)).map((email) => `#${email.id}`);
    if (waiting.length) {
      throw new DomainError(
        "invalid_transition",
        `Decide ${waiting.join(", ")} first (email from them awaiting triage: intake log, intake attach or intake dismiss ${waiting[0]!.slice(1)} <reason>): an email awaiting triage cannot be erased.`,
      );
    }
    const also = emails.length ? ` and ${emails.length} email${emails.length === 1 ? "" : "s"} from them on no case (${emails.map((email) => `#${email.id}`).join(", ")})` : "";
    if (!confirm) {
      return { done: false, references, message: `This will irreversibly erase the personal data of ${references.join(", ")} (${subject})${also}, keeping an anonymised record for the statistics. To go ahead: erase ${query} --confirm` };
    }
    const result = await this.store.eraseCases(targets.map((t) => t.id), this.clock.now(), emails.map((email) => email.id));
    // After the rows are gone: the same scan on another case keeps its bytes.
    for (const sha256 of result.removedFiles) {
      if (this.files && !(await this.files.rows.isReferenced(sha256))) await this.files.store.remove(sha256);
    }
    await this.accessLog.record(
      actor,
      request.platform,
      "erasure",
      subject,
      `erased ${references.join(", ")}: ${result.erasedEntries} timeline entr${result.erasedEntries === 1 ? "y" : "ies"} cleared${result.erasedEmails ? `, ${result.erasedEmails} email(s) cleared` : ""}${result.removedFiles.length ? `, ${result.removedFiles.length} file(s) removed` : ""}`,
    );
    for (const listener of this.erasedListeners) listener();
    return { done: true, references, message: `Erased the personal data of ${references.join(", ")}. An anonymised record remains; the erasure is in the audit log.` };
  }

  /** Closed cases past the retention period, oldest first: the monthly review list. */
  async dueForReview(actor: Actor | null, limit = 100): Promise<{ cutoff: string; total: number; cases: RetentionCandidate[] }> {
    if (actor && !hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers review retention.");
    const today = londonDateOf(this.clock.now());
    const cutoff = `${Number(today.slice(0, 4)) - this.retentionYears}${today.slice(4)}`;
    // Closed before the start of the cutoff day (a 29 February cutoff becomes 1 March).
    const start = new Date(`${addDays(cutoff.endsWith("02-29") ? addDays(cutoff, -1) : cutoff, 0)}T00:00:00Z`);
    const { total, cases } = await this.store.closedBefore(start, limit);
    return { cutoff, total, cases };
  }
}
