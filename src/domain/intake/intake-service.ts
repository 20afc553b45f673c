import { z } from "zod";
import { endOfLondonDay, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { CaseStore } from "../cases/case-record.ts";
import type { CaseService, ViewOptions } from "../cases/case-service.ts";
import type { CaseView } from "../cases/case-view.ts";
import { assertCanHandleIntake } from "../cases/permissions.ts";
import { DomainError, isDomainError, parseInput } from "../errors.ts";
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
} from "./intake-message.ts";
import { attachIntakeSchema, dismissIntakeSchema, incomingMailSchema, intakeListSchema, keepClosedSchema, logIntakeSchema, messageNumberSchema } from "./intake.schema.ts";
import type { Decider, IntakeStore } from "./intake-store.ts";
import { answeredMessageIds, firstLines, partnerOfSender, referencesInSubject } from "./threading.ts";
import { startOfLondonDay, unaccountedBefore } from "./intake-rules.ts";

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
    for (const fetched of batch.messages) rows.push(await this.prepare(fetched, recordedAt));
    return this.deps.store.record(source, rows, batch.cursor, recordedAt);
  }

  /**
   * Threads every message awaiting triage that answers a case (a Message-ID Postbag recorded for
   * it, or its reference in the subject) onto that case, and tells its assignee. Automatic mail
   * (out-of-office replies, bounces) is left for a person. Safe to run again after a stop.
   */
  async threadReplies(): Promise<{ attached: string[] }> {
    const attached: string[] = [];
    const waiting = await this.deps.store.list({ states: ["new"], limit: 500 });
    for (const message of waiting) {
      const reference = await this.thread(message);
      if (reference) attached.push(`#${message.id} → ${reference}`);
    }
    return { attached };
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
    // Logged before a stop that left the message undecided: finished now, not logged twice.
    const already = await this.loggedAlready(message, requestKey, actor);
    if (already) return already;
    const email = message.fromAddress && z.email().safeParse(message.fromAddress).success ? message.fromAddress : undefined;
    const name = input.name ?? (message.fromName || message.fromAddress?.split("@")[0] || undefined);
    if (!name) throw new DomainError("invalid_input", `#${message.id} does not say who sent it. Give the name: intake log ${message.id} --name "<constituent name>".`, "name");
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
        const theirs = await this.loggedAlready(await this.get(message.id), requestKey, actor);
        if (theirs) return theirs;
      }
      throw error;
    }
    const logged = await this.deps.caseStore.findCase(shown.reference, { last: 0 });
    await this.deps.store.decide(message.id, UNDECIDED, { state: "logged", caseId: logged!.record.id }, actor, this.deps.clock.now());
    this.decided(message.id);
    return { view: shown, message: `Logged #${message.id} as ${shown.reference}. Acknowledge by ${shown.acknowledgement.dueText}; respond by ${shown.response.dueText}.` };
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
    const partner = partnerOfSender(await this.deps.partners.list(), message.fromAddress)?.name;
    const result = await this.deps.cases.receiveEmail(actor, input.reference, arrivedEmail(message, partner), { platform: request.platform, requestKey: `intake:${message.id}:attach` }, view);
    await this.deps.store.decide(message.id, UNDECIDED, { state: "attached", caseId: result.caseId, reopenAsked: result.closed }, actor, this.deps.clock.now());
    this.decided(message.id);
    const closed = result.closed ? ` ${result.reference} is closed: reopen it if the email needs more (reopen ${result.reference} <reason>), or keep it closed with: intake keep-closed ${message.id}.` : "";
    return { view: result.view!, message: `Added #${message.id} to ${result.reference}.${closed}` };
  }

  /** Records that a message is not casework, why, and who said so. */
  async dismiss(actor: Actor, raw: unknown): Promise<{ record: IntakeRecord; message: string }> {
    assertCanHandleIntake(actor);
    const input = parseInput(dismissIntakeSchema, raw);
    const message = await this.get(input.id);
    this.assertUndecided(message);
    const done = await this.deps.store.decide(message.id, UNDECIDED, { state: "dismissed", reason: input.reason, note: input.note ?? null }, actor, this.deps.clock.now());
    if (!done) this.assertUndecided(await this.get(message.id));
    this.decided(message.id);
    return { record: await this.get(message.id), message: `Dismissed #${message.id}: ${DISMISS_LABELS[input.reason]}${input.note ? ` (${input.note})` : ""}.` };
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

  private async thread(message: IntakeRecord): Promise<string | null> {
    if (message.automatic) return null;
    const byHeaders = await this.deps.store.caseOfMessages(answeredMessageIds(message));
    const candidates = byHeaders ? [byHeaders.reference] : referencesInSubject(message.subject, this.deps.referencePrefix);
    const partner = candidates.length ? partnerOfSender(await this.deps.partners.list(), message.fromAddress)?.name : undefined;
    for (const reference of candidates) {
      let result: Awaited<ReturnType<CaseService["receiveEmail"]>>;
      try {
        result = await this.deps.cases.receiveEmail(null, reference, arrivedEmail(message, partner), { platform: "system", requestKey: `intake:${message.id}:attach` });
      } catch (error) {
        // No such case, or one that takes nothing more (voided): a person triages it.
        if (isDomainError(error)) continue;
        throw error;
      }
      const decided = await this.deps.store.decide(message.id, ["new"], { state: "attached", caseId: result.caseId, reopenAsked: result.closed }, POSTBAG, this.deps.clock.now());
      if (decided) this.decided(message.id);
      if (decided && result.assigneeId !== null && this.deps.tell) {
        const what = result.closed
          ? `A reply from ${senderOf(message)} arrived on ${result.reference}, which is closed: reopen it (reopen ${result.reference} <reason>) or keep it closed (intake keep-closed ${message.id}).`
          : `An email from ${senderOf(message)} arrived on ${result.reference}: it is on the case's timeline.`;
        await this.deps.tell(result.assigneeId, result.reference, what).catch(() => {});
      }
      return result.reference;
    }
    return null;
  }

  /** The case a retried or simultaneous `intake log` already made of this message, marked as such. */
  private async loggedAlready(message: IntakeRecord, requestKey: string, actor: Actor): Promise<{ view: CaseView; message: string } | null> {
    const earlier = await this.deps.caseStore.findByRequestKey(requestKey, { last: 0 });
    if (!earlier) return null;
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
      };
    }
    const mail = incomingMailSchema.parse(fetched.mail);
    const attachments: AttachmentInfo[] = [];
    for (const attachment of mail.attachments) {
      const stored = this.deps.files ? await this.deps.files.put(attachment.content) : null;
      attachments.push({ filename: attachment.filename || "(unnamed)", contentType: attachment.contentType, size: attachment.size, sha256: stored?.sha256 ?? null });
    }
    const { attachments: _bytes, ...rest } = mail;
    return { ...base, ...rest, attachments, state: "new", problem: null };
  }
}

function senderOf(message: Pick<IntakeRecord, "fromName" | "fromAddress">): string {
  if (message.fromName && message.fromAddress) return `${message.fromName} <${message.fromAddress}>`;
  return message.fromName || message.fromAddress || "an unknown sender";
}

function arrivedEmail(message: IntakeRecord, partner: string | undefined) {
  return { intakeId: message.id, from: senderOf(message), subject: message.subject || "(no subject)", text: firstLines(message.text, 8, 1000), partner };
}

/** A logged case's summary: the email's first lines, and what came with it. */
function summaryOf(message: IntakeRecord): string {
  const files = message.attachments.length ? `\n\nAttachments: ${message.attachments.map((file) => file.filename).join(", ")}` : "";
  return `${firstLines(message.text, 20, 4000)}${files}`.trim().slice(0, 20_000);
}
