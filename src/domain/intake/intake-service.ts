import { createHash } from "node:crypto";
import { z } from "zod";
import { endOfLondonDay, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { CaseStore } from "../cases/case-record.ts";
import type { CaseService, ViewOptions } from "../cases/case-service.ts";
import type { CaseView } from "../cases/case-view.ts";
import type { ArrivedEmail } from "../cases/incoming-email.ts";
import { assertCanHandleIntake } from "../cases/permissions.ts";
import { DomainError, isDomainError, parseInput } from "../errors.ts";
import type { NewCaseFile } from "../files/case-files.ts";
import { cleanFilename, detectMediaType } from "../files/file-rules.ts";
import type { FileStore } from "../files/file-store.ts";
import type { PartnerService } from "../partners/partner-service.ts";
import type { Clock, RequestContext } from "../ports.ts";
import type { Actor } from "../staff/roles.ts";
import {
  DISMISS_LABELS,
  UNDECIDED,
  type AttachmentInfo,
  type FetchedMail,
  type IntakeFigures,
  type IntakeRecord,
  type MailBatch,
  type NewIntakeMessage,
  type SourceCursor,
  type SourceHealth,
} from "./intake-message.ts";
import { attachIntakeSchema, dismissIntakeSchema, incomingMailSchema, intakeListSchema, keepClosedSchema, logIntakeSchema, messageNumberSchema } from "./intake.schema.ts";
import type { Decider, IntakeStore } from "./intake-store.ts";
import { answeredMessageIds, firstLines, partnerOfSender, referencesInSubject } from "./threading.ts";
import { CLAIM_STALE_MS, maySubjectThread, startOfLondonDay, unaccountedBefore } from "./intake-rules.ts";
import { readBounce, RETURNED_PARTS } from "./bounces.ts";

/** Postbag itself, when it threads a reply. */
const POSTBAG: Decider = { id: null, name: "Postbag" };

const LIST_LIMIT = 100;

/** Tells a member of staff about a case on their platform (the assignment notices' path). */
export type TellStaff = (staffId: number, reference: string, message: string) => Promise<void>;

export interface IntakeDeps {
  store: IntakeStore;
  cases: CaseService;
  caseStore: Pick<CaseStore, "findByRequestKey" | "findCase">;
  partners: Pick<PartnerService, "list">;
  clock: Clock;
  calendar: WorkingCalendar;
  referencePrefix: string;
  /** Where attachments' bytes go; without one only their names and sizes are kept. */
  files?: FileStore;
  /** The largest file a case holds: a larger attachment stays with its email only. */
  maxFileBytes?: number;
  /**
   * The day intake starts from (POSTBAG_MAIL_SINCE): messages the mailbox got before it are
   * history, not intake, and are not recorded. Unset: everything in the folder is taken in.
   */
  since?: LocalDate;
  tell?: TellStaff;
}

/**
 * Mail intake: every email that reaches a watched mailbox is recorded once, before anything
 * else is done with it; replies to a case thread themselves onto it; and every other message
 * is logged as a case, added to one, or dismissed with a reason and a name. Each operation
 * takes the person and the message's number, so a button on a triage card is one call.
 */
export class IntakeService {
  private readonly decidedListeners: ((id: number) => void)[] = [];

  constructor(private readonly deps: IntakeDeps) {}

  /** Told after each decision on a message, whoever made it and wherever: triage cards are updated. */
  whenDecided(listener: (id: number) => void): void {
    this.decidedListeners.push(listener);
  }

  private decided(id: number): void {
    for (const listener of this.decidedListeners) listener(id);
  }

  /** Where a mailbox was read up to. */
  cursor(source: string): Promise<SourceCursor | null> {
    return this.deps.store.cursor(source);
  }

  /**
   * Records one batch read from a mailbox, with the cursor that follows it, in one transaction:
   * each message once (one already recorded, by this or another process, is skipped). An
   * attachment's bytes go to the file store first, so a row never names bytes that are not kept.
   * Answers the numbers of the messages recorded now.
   */
  async receive(source: string, batch: MailBatch): Promise<number[]> {
    const rows: NewIntakeMessage[] = [];
    const recordedAt = this.deps.clock.now();
    const start = this.deps.since ? startOfLondonDay(this.deps.since) : null;
    for (const fetched of batch.messages) {
      if (start && arrivedBefore(fetched, start)) continue;
      rows.push(await this.prepare(fetched, recordedAt));
    }
    return this.deps.store.record(source, rows, batch.cursor, recordedAt);
  }

  /** A mailbox was read to its end (`error` absent) or could not be read: kept, for the digest and the audit to say. */
  async sourceChecked(source: string, error?: unknown): Promise<void> {
    const at = this.deps.clock.now();
    if (error === undefined) return this.deps.store.sourceRead(source, at);
    return this.deps.store.sourceFailed(source, String((error as Error)?.message ?? error).slice(0, 500), at);
  }

  /** Mailboxes that have not been read for longer than `minutes`, as of now: for the manager's digest and the audit. */
  async failingSources(minutes: number): Promise<SourceHealth[]> {
    const before = this.deps.clock.now().getTime() - minutes * 60_000;
    return (await this.deps.store.health()).filter((source) => source.failingSince !== null && source.failingSince.getTime() <= before);
  }

  /**
   * Threads every message awaiting triage that answers a case (a Message-ID Postbag recorded for
   * it, or its reference in the subject) onto that case, and tells its assignee. Automatic mail
   * (out-of-office replies, other delivery reports) is left for a person; a delivery report about
   * an email Postbag sent is recorded as its bounce. Safe to run again after a stop.
   */
  async threadReplies(): Promise<{ attached: string[]; failed: { id: number; error: unknown }[] }> {
    const attached: string[] = [];
    const failed: { id: number; error: unknown }[] = [];
    // Each message is looked at once: those awaiting a person never crowd out newer replies.
    const waiting = await this.deps.store.list({ states: ["new"], unchecked: true, limit: 500 });
    for (const message of waiting) {
      let outcome: Awaited<ReturnType<IntakeService["thread"]>>;
      try {
        outcome = await this.thread(message);
      } catch (error) {
        // One message that cannot be threaded (a fault, not a refusal) waits for a person; the replies behind it still thread.
        failed.push({ id: message.id, error });
        await this.deps.store.markThreadChecked(message.id);
        continue;
      }
      if (outcome === "busy") continue;
      if (outcome === "unthreaded") await this.deps.store.markThreadChecked(message.id);
      else attached.push(`#${message.id} → ${outcome.reference}`);
    }
    return { attached, failed };
  }

  /** Messages awaiting triage, oldest first; with `all`, the latest messages whatever became of them. */
  async list(actor: Actor, raw: unknown = {}): Promise<IntakeRecord[]> {
    assertCanHandleIntake(actor);
    const { all } = parseInput(intakeListSchema, raw);
    return all ? this.deps.store.list({ limit: LIST_LIMIT, newestFirst: true }) : this.deps.store.list({ states: UNDECIDED, limit: LIST_LIMIT });
  }

  async show(actor: Actor, rawId: unknown): Promise<IntakeRecord> {
    assertCanHandleIntake(actor);
    return this.get(parseInput(messageNumberSchema, rawId));
  }

  /**
   * Logs a message as a new email case: received on the day the mailbox got it, for the sender
   * (matched against known constituents as any logging is), with its subject and first lines.
   * A retry, or a second person at once, gets the case logged the first time.
   */
  async log(actor: Actor, raw: unknown, request: RequestContext, view: ViewOptions = {}): Promise<{ view: CaseView; message: string }> {
    assertCanHandleIntake(actor);
    const input = parseInput(logIntakeSchema, raw);
    const message = await this.get(input.id);
    const requestKey = `intake:${message.id}:log`;
    this.assertUndecided(message);
    const email = message.fromAddress && z.email().safeParse(message.fromAddress).success ? message.fromAddress : undefined;
    const name = input.name ?? (message.fromName || message.fromAddress?.split("@")[0] || undefined);
    if (!name) throw new DomainError("invalid_input", `#${message.id} does not say who sent it. Give the name: intake log ${message.id} --name "<constituent name>".`, "name");
    return this.claimed(message, "log", actor.name, async () => {
      // Logged before a stop that left the message undecided: finished now, not logged twice.
      const already = await this.loggedAlready(message, requestKey, actor, request);
      if (already) return already;
      await this.finishEarlier(message);
      let shown: CaseView;
      try {
        shown = await this.deps.cases.logCase(
          actor,
          {
            channel: "email",
            receivedOn: this.receivedOn(message),
            constituent: { name: name.slice(0, 200), email },
            subject: (input.subject ?? (message.subject || "(no subject)")).slice(0, 200),
            summary: summaryOf(message),
            kind: input.kind,
            themes: input.themes,
            sensitive: input.sensitive,
            assignee: input.assignee,
            constituentChoice: input.constituentChoice,
          },
          { platform: request.platform, requestKey },
          view,
        );
      } catch (error) {
        // Someone else logged it at the same moment: theirs stands.
        if (isDomainError(error) && error.code === "request_reused") {
          const theirs = await this.loggedAlready(await this.get(message.id), requestKey, actor, request);
          if (theirs) return theirs;
        }
        throw error;
      }
      const logged = await this.deps.caseStore.findCase(shown.reference, { last: 0 });
      const kept = await this.keepFiles(actor, message, shown.reference, request);
      if (!(await this.deps.store.decide(message.id, UNDECIDED, { state: "logged", caseId: logged!.record.id }, actor, this.deps.clock.now()))) {
        throw this.overtaken(await this.get(message.id), shown.reference);
      }
      this.decided(message.id);
      const view2 = kept ? await this.deps.cases.showCase(actor, shown.reference, view) : shown;
      return { view: view2, message: `Logged #${message.id} as ${shown.reference}.${kept ? ` ${kept}` : ""} Acknowledge by ${shown.acknowledgement.dueText}; respond by ${shown.response.dueText}.` };
    });
  }

  /** Adds a message to a case's timeline as an incoming email. */
  async attach(actor: Actor, raw: unknown, request: RequestContext, view: ViewOptions = {}): Promise<{ view: CaseView; message: string }> {
    assertCanHandleIntake(actor);
    const input = parseInput(attachIntakeSchema, raw);
    const message = await this.get(input.id);
    if (message.state === "attached" && message.case) {
      throw new DomainError("invalid_transition", `#${message.id} is already on ${message.case.reference} (added by ${message.decidedBy ?? "Postbag"}).`);
    }
    this.assertUndecided(message);
    const reference = input.reference.toUpperCase();
    if (await this.deps.store.isErased(reference)) {
      throw new DomainError("invalid_transition", `${reference} had its personal data erased, so nothing personal is added to it again. Log #${message.id} as a new case instead: intake log ${message.id}.`);
    }
    return this.claimed(message, `attach:${reference}`, actor.name, async () => {
      await this.finishEarlier(message);
      const partner = partnerOfSender(await this.deps.partners.list(), message.fromAddress)?.name;
      const result = await this.deps.cases.receiveEmail(actor, reference, this.arrivedEmail(message, partner), { platform: request.platform, requestKey: `intake:${message.id}:attach` }, view);
      if (!(await this.deps.store.decide(message.id, UNDECIDED, { state: "attached", caseId: result.caseId, reopenAsked: result.closed }, actor, this.deps.clock.now()))) {
        throw this.overtaken(await this.get(message.id), result.reference);
      }
      this.decided(message.id);
      const files = this.caseFilesOf(message).length;
      const kept = files ? ` Its ${files === 1 ? "attachment is" : `${files} attachments are`} on the case as files.` : "";
      const closed = result.closed ? ` ${result.reference} is closed: reopen it if the email needs more (reopen ${result.reference} <reason>), or keep it closed with: intake keep-closed ${message.id}.` : "";
      return { view: result.view!, message: `Added #${message.id} to ${result.reference}.${kept}${closed}` };
    });
  }

  /** Records that a message is not casework, why, and who said so. */
  async dismiss(actor: Actor, raw: unknown): Promise<{ record: IntakeRecord; message: string }> {
    assertCanHandleIntake(actor);
    const input = parseInput(dismissIntakeSchema, raw);
    const message = await this.get(input.id);
    this.assertUndecided(message);
    return this.claimed(message, "dismiss", actor.name, async () => {
      await this.finishEarlier(message);
      const done = await this.deps.store.decide(message.id, UNDECIDED, { state: "dismissed", reason: input.reason, note: input.note ?? null }, actor, this.deps.clock.now());
      if (!done) this.assertUndecided(await this.get(message.id));
      this.decided(message.id);
      return { record: await this.get(message.id), message: `Dismissed #${message.id}: ${DISMISS_LABELS[input.reason]}${input.note ? ` (${input.note})` : ""}.` };
    });
  }

  /** A reply on a closed case stays closed: the question whether to reopen is answered. */
  async keepClosed(actor: Actor, raw: unknown): Promise<{ message: string }> {
    assertCanHandleIntake(actor);
    const { id } = parseInput(keepClosedSchema, raw);
    const message = await this.get(id);
    if (!message.reopenAsked || !message.case) throw new DomainError("invalid_transition", `#${id} asks no question about reopening a case.`);
    await this.deps.store.answerReopen(id);
    return { message: `${message.case.reference} stays closed; #${id} is on its timeline.` };
  }

  /** Messages nobody has decided on within their working day, as of `today`: audit exceptions, and in the manager's digest. */
  unaccounted(today: LocalDate, limit = 50): Promise<{ total: number; messages: IntakeRecord[] }> {
    return this.deps.store.undecided(unaccountedBefore(today, this.deps.calendar), limit);
  }

  /**
   * What became of the messages recorded from `from` to `to` (London dates, inclusive), as of
   * `today`: received, logged, added to cases, dismissed (by reason), and those still undecided,
   * split into unaccounted (past their working day) and awaiting triage (within it).
   */
  async figures(from: LocalDate, to: LocalDate, today: LocalDate): Promise<IntakeFigures> {
    const start = startOfLondonDay(from);
    const end = new Date(endOfLondonDay(to).getTime() + 1);
    const cutoff = unaccountedBefore(today, this.deps.calendar);
    const [all, late] = await Promise.all([this.deps.store.counts(start, end), this.deps.store.counts(start, cutoff < end ? cutoff : end)]);
    const unaccounted = cutoff <= start ? 0 : late.undecided;
    return { ...all, unaccounted, awaiting: all.undecided - unaccounted };
  }

  /** Replies on cases still closed, awaiting a decision to reopen: for the manager's digest. */
  awaitingReopenDecision(limit = 20): Promise<IntakeRecord[]> {
    return this.deps.store.awaitingReopenDecision(limit);
  }

  /** The day a message counts as received: when the mailbox got it (else its Date header, else when recorded), never after today. */
  receivedOn(message: Pick<IntakeRecord, "deliveredAt" | "sentAt" | "recordedAt">): LocalDate {
    const today = londonDateOf(this.deps.clock.now());
    const day = londonDateOf(message.deliveredAt ?? message.sentAt ?? message.recordedAt);
    return day > today ? today : day;
  }

  /** The case a message was threaded onto; "unthreaded" when it answers none Postbag may thread it to; "busy" when a person is deciding about it. */
  private async thread(message: IntakeRecord): Promise<{ reference: string } | "unthreaded" | "busy"> {
    // Automatic mail is never threaded as a reply; a delivery report for an email Postbag sent is recorded as its bounce.
    if (message.automatic) return (await this.bounce(message)) ?? "unthreaded";
    const byHeaders = await this.deps.store.caseOfMessages(answeredMessageIds(message));
    const candidates = byHeaders ? [byHeaders.reference] : referencesInSubject(message.subject, this.deps.referencePrefix);
    if (candidates.length === 0) return "unthreaded";
    const partner = partnerOfSender(await this.deps.partners.list(), message.fromAddress)?.name;
    for (const reference of candidates) {
      if (await this.deps.store.isErased(reference)) continue;
      if (!byHeaders) {
        // A reference in a subject is only words anyone can type: the sender must be the case's.
        const found = await this.deps.caseStore.findCase(reference, { last: 0 });
        if (!found) continue;
        const referred = found.record.referrals.map((referral) => referral.partner);
        if (!maySubjectThread(message.fromAddress, found.record.constituent.email, referred, partner)) continue;
      }
      let result: Awaited<ReturnType<CaseService["receiveEmail"]>> | null;
      try {
        result = await this.claimed(message, `thread:${reference}`, POSTBAG.name, async () => {
          if (await this.finishEarlier(message)) return null;
          const received = await this.deps.cases.receiveEmail(null, reference, this.arrivedEmail(message, partner), { platform: "system", requestKey: `intake:${message.id}:attach` });
          const decided = await this.deps.store.decide(message.id, ["new"], { state: "attached", caseId: received.caseId, reopenAsked: received.closed }, POSTBAG, this.deps.clock.now());
          if (decided) this.decided(message.id);
          return decided ? received : null;
        });
      } catch (error) {
        if (isDomainError(error) && error.code === "changed_meanwhile") return "busy";
        // No such case, or one that takes nothing more (voided): a person triages it.
        if (isDomainError(error)) continue;
        throw error;
      }
      if (!result) return "busy";
      if (result.assigneeId !== null && this.deps.tell) {
        const what = result.closed
          ? `A reply from ${senderOf(message)} arrived on ${result.reference}, which is closed: reopen it (reopen ${result.reference} <reason>) or keep it closed (intake keep-closed ${message.id}).`
          : `An email from ${senderOf(message)} arrived on ${result.reference}: it is on the case's timeline.`;
        await this.deps.tell(result.assigneeId, result.reference, what).catch(() => {});
      }
      return { reference: result.reference };
    }
    return "unthreaded";
  }

  /**
   * A delivery report for an email Postbag sent (the returned original's Message-ID, or the
   * report's In-Reply-To or References, names it): recorded on its case — the email marked
   * bounced, the step it recorded undone — and the report added to the case, so intake accounts
   * for it; the case's assignee (else whoever sent the email) is told. Null when it is no such
   * report: a person triages it like any automatic message.
   */
  private async bounce(message: IntakeRecord): Promise<{ reference: string } | "busy" | null> {
    const report = readBounce(message, await this.returnedParts(message));
    if (!report || report.messageIds.length === 0) return null;
    const found = await this.deps.store.caseOfMessages(report.messageIds);
    if (!found || (await this.deps.store.isErased(found.reference))) return null;
    let recorded: Awaited<ReturnType<CaseService["recordBounce"]>> | "earlier";
    try {
      recorded = await this.claimed(message, `thread:${found.reference}`, POSTBAG.name, async () => {
        if (await this.finishEarlier(message)) return "earlier";
        const notice = { intakeId: message.id, status: report.status, diagnostic: report.diagnostic };
        const written = await this.deps.cases.recordBounce({ messageIds: report.messageIds, notice }, { platform: "system", requestKey: `intake:${message.id}:attach` });
        if (!written) {
          await this.deps.store.release(message.id, `thread:${found.reference}`);
          return null;
        }
        const decided = await this.deps.store.decide(message.id, ["new"], { state: "attached", caseId: written.caseId }, POSTBAG, this.deps.clock.now());
        if (decided) this.decided(message.id);
        return decided ? written : "earlier";
      });
    } catch (error) {
      if (isDomainError(error) && error.code === "changed_meanwhile") return "busy";
      // A case that takes nothing more (voided): a person triages the report.
      if (isDomainError(error)) return null;
      throw error;
    }
    if (recorded === null) return null;
    if (recorded === "earlier") return "busy";
    const whom = recorded.assigneeId ?? recorded.sentById;
    if (whom !== null && this.deps.tell) await this.deps.tell(whom, recorded.reference, recorded.message).catch(() => {});
    return { reference: recorded.reference };
  }

  /** The parts of a report that carry the returned message or its headers, read from the file store (the first 256 KB of each). */
  private async returnedParts(message: IntakeRecord): Promise<{ contentType: string; text: string }[]> {
    const parts: { contentType: string; text: string }[] = [];
    for (const attachment of message.attachments) {
      if (!attachment.sha256 || !this.deps.files || !RETURNED_PARTS.includes(attachment.contentType.toLowerCase())) continue;
      const bytes = await this.deps.files.get(attachment.sha256).catch(() => null);
      if (bytes) parts.push({ contentType: attachment.contentType.toLowerCase(), text: new TextDecoder().decode(bytes.subarray(0, 256 * 1024)) });
    }
    return parts;
  }

  /**
   * Someone else decided about the message while this decision was writing (it took longer than
   * a claim lasts): theirs stands, and the person is told what was written on the case anyway.
   */
  private overtaken(message: IntakeRecord, reference: string): DomainError {
    const theirs = message.case ? `${message.state === "logged" ? "logged as" : "added to"} ${message.case.reference}` : message.state === "dismissed" ? "dismissed" : "decided";
    return new DomainError(
      "changed_meanwhile",
      `While this was being written, ${message.decidedBy ?? "someone"} ${theirs} #${message.id}, and that stands. ${reference} has the email on it all the same: if it should not, correct ${reference} (void it, if it was logged for this).`,
    );
  }

  /**
   * Runs a decision about a message while holding its claim, so nobody else decides about it at
   * the same time: a second person is told who is deciding; a failed decision gives the claim up.
   */
  private async claimed<T>(message: IntakeRecord, action: string, by: string, work: () => Promise<T>): Promise<T> {
    const now = this.deps.clock.now();
    if (!(await this.deps.store.claim(message.id, action, by, now, new Date(now.getTime() - CLAIM_STALE_MS)))) {
      const current = await this.get(message.id);
      this.assertUndecided(current);
      const claim = current.claim;
      const doing = !claim ? "deciding about" : claim.action === "log" ? "logging" : claim.action === "dismiss" ? "dismissing" : `adding to ${claim.action.split(":")[1]}`;
      throw new DomainError("changed_meanwhile", `${claim?.by ?? "Someone"} is ${doing} #${message.id} right now. Look again in a moment: intake show ${message.id}.`);
    }
    try {
      return await work();
    } catch (error) {
      await this.deps.store.release(message.id, action).catch(() => {});
      throw error;
    }
  }

  /**
   * A decision that an earlier attempt had written (its case logged, or its email on a case) but
   * not recorded on the message — a process that stopped, or a failure after the case was
   * written — recorded now; true when there was one.
   */
  private async finishEarlier(message: IntakeRecord): Promise<boolean> {
    const by: Decider = { id: null, name: message.claim?.by ?? "an earlier attempt" };
    for (const [state, key] of [["logged", `intake:${message.id}:log`], ["attached", `intake:${message.id}:attach`]] as const) {
      const earlier = await this.deps.caseStore.findByRequestKey(key, { last: 0 });
      if (!earlier) continue;
      await this.deps.store.decide(message.id, UNDECIDED, { state, caseId: earlier.record.id }, by, this.deps.clock.now());
      this.decided(message.id);
      this.assertUndecided(await this.get(message.id));
      return true;
    }
    return false;
  }

  /** Keeps a logged email's attachments as the case's files (once, whoever asks again). Answers what it says of them. */
  private async keepFiles(actor: Actor, message: IntakeRecord, reference: string, request: RequestContext): Promise<string> {
    const files = this.caseFilesOf(message);
    if (files.length === 0) return "";
    await this.deps.cases.keepEmailFiles(actor, reference, { intakeId: message.id, files }, { platform: request.platform, requestKey: `intake:${message.id}:files` });
    return `Its ${files.length === 1 ? "attachment is" : `${files.length} attachments are`} on the case as files.`;
  }

  /** The attachments of a message that a case holds as files: stored, of a kind a case takes, within its size. */
  private caseFilesOf(message: IntakeRecord): NewCaseFile[] {
    return message.attachments.flatMap((attachment) =>
      attachment.sha256 && attachment.caseFileType
        ? [{ sha256: attachment.sha256, filename: cleanFilename(attachment.filename, attachment.caseFileType), mediaType: attachment.caseFileType, size: attachment.size, source: "email" as const }]
        : [],
    );
  }

  private arrivedEmail(message: IntakeRecord, partner: string | undefined): ArrivedEmail {
    return { intakeId: message.id, from: senderOf(message), subject: message.subject || "(no subject)", text: firstLines(message.text, 8, 1000), partner, files: this.caseFilesOf(message) };
  }

  /** The case a retried or simultaneous `intake log` already made of this message, marked as such. */
  private async loggedAlready(message: IntakeRecord, requestKey: string, actor: Actor, request: RequestContext): Promise<{ view: CaseView; message: string } | null> {
    const earlier = await this.deps.caseStore.findByRequestKey(requestKey, { last: 0 });
    if (!earlier) return null;
    await this.keepFiles(actor, message, earlier.record.reference, request);
    await this.deps.store.decide(message.id, UNDECIDED, { state: "logged", caseId: earlier.record.id }, actor, this.deps.clock.now());
    this.decided(message.id);
    const view = await this.deps.cases.showCase(actor, earlier.record.reference);
    return { view, message: `#${message.id} is logged as ${earlier.record.reference}.` };
  }

  private assertUndecided(message: IntakeRecord): void {
    if (UNDECIDED.includes(message.state)) return;
    const by = message.decidedBy ?? "Postbag";
    if (message.case) throw new DomainError("invalid_transition", `#${message.id} is already ${message.state === "logged" ? "logged as" : "on"} ${message.case.reference} (by ${by}).`);
    const why = message.dismissReason ? DISMISS_LABELS[message.dismissReason] : "";
    throw new DomainError("invalid_transition", `#${message.id} was dismissed by ${by} (${why}${message.dismissNote ? `: ${message.dismissNote}` : ""}). Nothing more is done with it.`);
  }

  private async get(id: number): Promise<IntakeRecord> {
    const found = await this.deps.store.find(id);
    if (!found) throw new DomainError("invalid_input", `There is no message #${id}. See the messages awaiting triage with: intake list.`);
    return found;
  }

  private async prepare(fetched: FetchedMail, recordedAt: Date): Promise<NewIntakeMessage> {
    const base = { sourceKey: fetched.sourceKey.slice(0, 500), deliveredAt: fetched.deliveredAt, recordedAt, rawSize: Math.min(fetched.rawSize, 2_147_483_647) };
    if ("unreadable" in fetched.mail) {
      return {
        ...base,
        messageId: null, inReplyTo: null, references: [], fromName: "", fromAddress: null, subject: "", sentAt: null, text: "",
        attachments: [], automatic: false, state: "unreadable", problem: fetched.mail.unreadable.slice(0, 500),
        // Nothing of it could be read: it is one message by its place in the mailbox alone.
        contentHash: createHash("sha256").update(`unreadable:${base.sourceKey}`).digest("hex"),
      };
    }
    const mail = incomingMailSchema.parse(fetched.mail);
    const attachments: AttachmentInfo[] = [];
    for (const attachment of mail.attachments) {
      const stored = this.deps.files ? await this.deps.files.put(attachment.content) : null;
      const filename = attachment.filename || "(unnamed)";
      attachments.push({ filename, contentType: attachment.contentType, size: attachment.size, sha256: stored?.sha256 ?? null, caseFileType: stored ? await this.caseFileType(attachment.content, filename) : null });
    }
    const { attachments: _bytes, ...rest } = mail;
    return { ...base, ...rest, attachments, state: "new", problem: null, contentHash: contentHashOf(rest, attachments) };
  }

  /** What an attachment is when a case may hold it as a file (a kind and size the file rules accept); null when it stays with its email only. */
  private async caseFileType(bytes: Uint8Array, filename: string): Promise<string | null> {
    if (this.deps.maxFileBytes !== undefined && bytes.byteLength > this.deps.maxFileBytes) return null;
    try {
      return await detectMediaType(bytes, filename);
    } catch (error) {
      if (isDomainError(error)) return null;
      throw error;
    }
  }
}

function senderOf(message: Pick<IntakeRecord, "fromName" | "fromAddress">): string {
  if (message.fromName && message.fromAddress) return `${message.fromName} <${message.fromAddress}>`;
  return message.fromName || message.fromAddress || "an unknown sender";
}

/** Whether a message reached the mailbox before `start` (by when the mailbox got it, else its Date header): history, not intake. */
function arrivedBefore(fetched: FetchedMail, start: Date): boolean {
  const sentAt = "unreadable" in fetched.mail ? null : fetched.mail.sentAt;
  const arrived = fetched.deliveredAt ?? sentAt;
  return arrived !== null && arrived < start;
}

/**
 * What makes two copies of an email the same message, with its Message-ID: who sent it, when,
 * its subject, its words and its attachments' bytes. A different email that reuses a Message-ID
 * differs here, and is recorded as the separate message it is.
 */
function contentHashOf(mail: { fromAddress: string | null; fromName: string; sentAt: Date | null; subject: string; text: string }, attachments: readonly { sha256: string | null; size: number }[]): string {
  const said = JSON.stringify([mail.fromAddress, mail.fromName, mail.sentAt?.toISOString() ?? null, mail.subject, mail.text, attachments.map((file) => [file.sha256, file.size])]);
  return createHash("sha256").update(said).digest("hex");
}

/** A logged case's summary: the email's first lines, and what came with it. */
function summaryOf(message: IntakeRecord): string {
  const files = message.attachments.length ? `\n\nAttachments: ${message.attachments.map((file) => file.filename).join(", ")}` : "";
  return `${firstLines(message.text, 20, 4000)}${files}`.trim().slice(0, 20_000);
}
