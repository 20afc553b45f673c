import { formatDate, londonDateOf, type LocalDate } from "../calendar/local-date.ts";
import type { TeamService } from "../teams/team-service.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { DomainError, isDomainError, parseInput } from "../errors.ts";
import type { Clock, Platform, RequestContext } from "../ports.ts";
import type { AccessLog } from "../privacy/access-log.ts";
import type { ServiceStandards } from "../settings.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import type { StaffService } from "../staff/staff-service.ts";
import type { CaseChange, CaseFilter, CaseRecord, CaseStore, LoadedCase, NewEntry, TimelineWindow } from "./case-record.ts";
import { caseActionSpec, isCaseAction, type CaseAction } from "./case-actions.ts";
import { logCaseSchema, referenceSchema, searchSchema } from "./case.schema.ts";
import { clockAtLogging, forceAnswerOverdue } from "../clocks/case-clock.ts";
import { TYPE_WORDS } from "../clocks/type-words.ts";
import type { z } from "zod";
import { nextDeadline, toCaseView, type Audience, type CaseView } from "./case-view.ts";
import { caseFromImportRow, importKey } from "./import-case.ts";
import { loggingKeys } from "./reference.ts";
import { constituentKeys, searchKeys } from "../constituents/constituent-keys.ts";
import type { ConstituentService, KnownConstituent } from "../constituents/constituent-service.ts";
import type { PartnerService } from "../partners/partner-service.ts";
import { requestFingerprint } from "./request-fingerprint.ts";
import { importRowSchema } from "./import.schema.ts";
import * as lifecycle from "./lifecycle.ts";
import { relatedView } from "./related-cases.ts";
import { decideOnOlderCard, MOST_CHANGES_SINCE, type Pressed } from "./stale-card.ts";
import { assertCanHandleIntake, assertCanProgress, assertCanWork, canSeeInFull, caseAccess } from "./permissions.ts";
import { keepEmailFiles, receiveEmail, type ArrivedEmail } from "./incoming-email.ts";
import type { FileStore } from "../files/file-store.ts";
import { toFileViews, type CaseFileStore, type CaseFileView, type NewCaseFile } from "../files/case-files.ts";
import { assertWithinSize, cleanFilename, detectMediaType } from "../files/file-rules.ts";
import type { OutgoingDesk, OutgoingStep } from "../letters/outgoing-service.ts";
import type { OutgoingItem, OutgoingOnCase, PreparedOutgoing } from "../letters/outgoing.ts";
import type { SendNewInput } from "../letters/outgoing.schema.ts";
import { recordBounce, type BounceNotice } from "../letters/outgoing-steps.ts";

export interface ViewOptions {
  audience?: Audience;
  /** Where the reader is, for the access log of sensitive reads. */
  platform?: Platform;
  /** How many of the latest timeline entries to include (all when omitted). */
  timelineEntries?: number;
}

const LIST_LIMIT = 200;

/** What attaching and reading files needs: the bytes' store, the case-file rows, the size limit. */
export interface CaseFiles {
  store: FileStore;
  rows: CaseFileStore;
  maxBytes: number;
}

/** Who reads a card in a channel: anyone, so it is shown as to a viewer (details withheld when sensitive). */
const CHANNEL_READER: Actor = { id: 0, name: "Postbag", roles: ["viewer"] };

/**
 * Every case operation. Each parses its input, checks who may do it, and writes the
 * change with its timeline entry in one transaction; each returns the case as the
 * actor may see it.
 */
export class CaseService {
  constructor(
    private readonly store: CaseStore,
    private readonly staff: StaffService,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly standards: ServiceStandards,
    /** Where reads of a sensitive case's full details are recorded. */
    private readonly accessLog?: AccessLog,
    /** Who a person being logged is: a known constituent or a new one. */
    private readonly constituents?: Pick<ConstituentService, "forLogging" | "forImport">,
    /** The partner directory, where referrals, replies and chases find the partner they name. */
    private readonly partners?: Pick<PartnerService, "find">,
    /** Where attached files' bytes go, the rows that say which case holds them, and the largest accepted. */
    private readonly files?: CaseFiles,
    /** Letters and emails: drafting, sign-off, sending (domain/letters). */
    private readonly outgoing?: OutgoingDesk,
    /** Teams, whose queues cases are moved to (domain/teams). */
    private readonly teams?: Pick<TeamService, "find">,
  ) {}

  private teamFinder(): Pick<TeamService, "find"> {
    if (!this.teams) throw new DomainError("unavailable", "Teams are not set up here. Ask whoever runs Postbag.");
    return this.teams;
  }

  /** The open cases in a team's queue, nearest deadline first. */
  listQueue(actor: Actor, queue: NonNullable<CaseFilter["queue"]>, audience: Audience = "private"): Promise<CaseView[]> {
    return this.list(actor, { queue }, audience);
  }

  private readonly channelListeners: (() => void)[] = [];
  private readonly assignmentListeners: ((actor: Actor, reference: string, fromId: number | null, toId: number | null) => void)[] = [];
  private readonly letterListeners: ((actor: Actor, reference: string, step: LetterStep) => void)[] = [];

  /** Called after a step of a letter or email is written (drafted, approved, sent back…), to tell whoever it now waits on. */
  whenLetterStep(listener: (actor: Actor, reference: string, step: LetterStep) => void): void {
    this.letterListeners.push(listener);
  }

  /** Called after a case changes hands (logged with an assignee, assigned, reassigned), to tell the people concerned. */
  whenAssigned(listener: (actor: Actor, reference: string, fromId: number | null, toId: number | null) => void): void {
    this.assignmentListeners.push(listener);
  }

  /** The case as `person` sees it on their own screen, for messages sent to them (not a read by them, so not logged as one). */
  async privateView(person: Actor, reference: string): Promise<CaseView> {
    const loaded = await this.store.findCase(reference, { last: 3 });
    if (!loaded) throw caseNotFound(reference);
    return this.renderInFull(loaded, person, { audience: "private" });
  }

  /** Called after a change that alters what a channel may see of a case (its sensitive marker), to update cards already posted. */
  whenChannelViewChanges(listener: () => void): void {
    this.channelListeners.push(listener);
  }

  /** The case as anyone in a channel may see it (details withheld when sensitive): for cards Postbag posted there. */
  async sharedView(reference: string, timelineEntries = 3): Promise<CaseView> {
    const loaded = await this.store.findCase(reference, { last: timelineEntries });
    if (!loaded) throw caseNotFound(reference);
    return this.withFiles(this.render(loaded, CHANNEL_READER, { audience: "shared" }), loaded);
  }

  /** Today's rule context: one clock reading per operation, so every date agrees. */
  ruleContext(): lifecycle.RuleContext {
    const now = this.clock.now();
    return { now, today: londonDateOf(now), calendar: this.calendar, standards: this.standards };
  }

  /**
   * Logs an incoming item. Its clock runs from the true date of receipt, not the time of
   * logging. A retried request (same request key) gets the case it logged the first time.
   */
  async logCase(actor: Actor, raw: unknown, request: RequestContext, view: ViewOptions = {}): Promise<CaseView> {
    assertCanHandleIntake(actor);
    const input = parseInput(logCaseSchema, raw);
    const ctx = this.ruleContext();
    if (input.receivedOn > ctx.today) {
      throw new DomainError("invalid_input", "Date received cannot be in the future.", "receivedOn");
    }
    const assignee = input.assignee === undefined ? null : await this.resolveAssignee(actor, input.assignee);
    const draftAssignee = assignee ? { id: assignee.id, name: assignee.name } : null;
    if (assignee && !hasRole(assignee, "caseworker", "manager")) {
      throw new DomainError("invalid_input", `${assignee.name} is not a caseworker or manager, so cannot own cases.`, "assignee");
    }
    if (assignee && assignee.id !== actor.id && !hasRole(actor, "admin", "manager")) {
      throw new DomainError("not_permitted", "Caseworkers can take a case for themselves; only managers and admins assign to others.", "assignee");
    }
    const standardDates = lifecycle.deadlinesForReceipt(input.receivedOn, ctx);
    const typed = this.typeAtLogging(input, ctx, standardDates);
    const deadlines = typed ? { acknowledgeBy: typed.patch.acknowledgeBy!, respondBy: typed.patch.respondBy! } : standardDates;
    const entries: NewEntry[] = [
      { type: "logged", text: `${capitalise(input.channel)} received ${formatDate(input.receivedOn)}`, detail: { channel: input.channel, receivedOn: input.receivedOn } },
      ...(typed ? [typed.entry] : []),
    ];
    if (draftAssignee) entries.push({ type: "assigned", text: `Assigned to ${draftAssignee.name}`, detail: { from: null, to: draftAssignee.id } });
    const constituent = {
      name: input.constituent.name,
      email: input.constituent.email ?? null,
      phone: input.constituent.phone ?? null,
      address: input.constituent.address ?? null,
    };
    // A retry is answered with the case it logged: the write finds its request key and returns that case, written once.
    // Before it, the person it logged may since be a candidate, so a retry is never asked again who they are.
    let known: KnownConstituent;
    try {
      known = this.constituents ? await this.constituents.forLogging(constituent, input.constituentChoice) : { id: null, keys: constituentKeys(constituent), fill: {}, differs: [] };
    } catch (error) {
      const earlier = request.requestKey && error instanceof DomainError ? await this.store.findByRequestKey(request.requestKey, timelineWindow(view), requestFingerprint("log", actor.id, input)) : null;
      if (earlier) return this.renderInFull(earlier, actor, view);
      throw error;
    }
    // Details given that differ from the known record are kept on the case's first entry, not lost.
    if (known.differs.length) entries[0] = { ...entries[0]!, text: `${entries[0]!.text}; details given differ from the record: ${known.differs.join(", ")}` };
    const loaded = await this.store.insertCase(
      {
        ...loggingKeys(this.standards.referencePrefix, ctx.today),
        constituentId: known.id,
        constituentKeys: known.keys,
        constituentFill: known.fill,
        channel: input.channel,
        receivedOn: input.receivedOn,
        loggedAt: ctx.now,
        subject: input.subject,
        summary: input.summary,
        kind: input.kind,
        themes: [...new Set(input.themes)],
        sensitive: input.sensitive,
        constituent,
        assigneeId: draftAssignee?.id ?? null,
        ...deadlines,
        status: "new",
        acknowledgedAt: null,
        respondedAt: null,
        closedAt: null,
        outcome: null,
        lastActionAt: ctx.now,
        ...(typed ? { clock: typed.patch.clock, clockStopped: typed.patch.clockStopped } : {}),
      },
      entries,
      {
        actorId: actor.id,
        platform: request.platform,
        at: ctx.now,
        requestKey: request.requestKey,
        requestFingerprint: request.requestKey ? requestFingerprint("log", actor.id, input) : undefined,
      },
      timelineWindow(view),
    );
    // Logged now (a retry answers with the case logged the first time, and tells nobody again).
    if (assignee && assignee.id !== actor.id && loaded.created) {
      for (const listener of this.assignmentListeners) listener(actor, loaded.record.reference, null, assignee.id);
    }
    return this.renderInFull(loaded, actor, view);
  }

  /** A case's statutory type given as it is logged: its clock and dates, decided before anything is written. */
  private typeAtLogging(input: z.output<typeof logCaseSchema>, ctx: lifecycle.RuleContext, standardDates: { acknowledgeBy: LocalDate; respondBy: LocalDate }): CaseChange | null {
    const type = input.type ? TYPE_WORDS[input.type] : null;
    const facts = { outcomeLetterOn: input.outcomeLetterOn, misdirectedOn: input.misdirectedOn, responseSentOn: input.responseSentOn };
    if (!type) {
      const given = Object.entries(facts).find(([, day]) => day)?.[0];
      if (given) throw new DomainError("invalid_input", "That date is for a case of a statutory type: give the type too (a police complaint review for the outcome letter or the IOPC's date, an FOI internal review for the response sent).", given);
      return null;
    }
    return clockAtLogging(input.receivedOn, type, facts, { ...ctx, standardDates });
  }

  /**
   * Brings in one row of an existing casework spreadsheet with its history. A row
   * already imported is recognised and not written again.
   */
  async importCase(actor: Actor, raw: unknown, request: RequestContext): Promise<{ view: CaseView; created: boolean }> {
    if (!hasRole(actor, "admin", "manager")) throw new DomainError("not_permitted", "Only admins and managers can import cases.");
    const row = parseInput(importRowSchema, raw);
    const requestKey = importKey(row);
    const earlier = await this.store.findByRequestKey(requestKey);
    if (earlier) return { view: this.render(earlier, actor, {}), created: false };
    const ctx = this.ruleContext();
    if (row.received_on > ctx.today) throw new DomainError("invalid_input", "received_on cannot be in the future.", "received_on");
    for (const date of [row.assigned_on, row.acknowledged_on, row.responded_on, row.closed_on]) {
      if (date && date > ctx.today) throw new DomainError("invalid_input", "Dates cannot be in the future.");
    }
    const assignee = row.assignee ? await this.staff.findOne(row.assignee) : null;
    const person = { name: row.constituent_name, email: row.constituent_email ?? null, phone: row.constituent_phone ?? null };
    const knownId = this.constituents ? await this.constituents.forImport(person) : null;
    const { draft, entries } = caseFromImportRow(row, assignee && { id: assignee.id, name: assignee.name }, ctx, knownId);
    const loaded = await this.store.insertCase(draft, entries, { actorId: actor.id, platform: request.platform, at: ctx.now, requestKey });
    return { view: this.render(loaded, actor, {}), created: loaded.created };
  }

  /**
   * Performs one action of the table (case-actions.ts) on an existing case: parses its
   * input, decides the change on the case as it is, writes it with its timeline entry, and
   * answers with the case and the sentence that confirms it. A step recorded late
   * (`happenedOn`) is decided as of the day it happened and keeps both dates. An act made of
   * two actions (`draftThenSend`) writes both in turn.
   */
  async perform(actor: Actor, name: CaseAction, raw: unknown, request: RequestContext, view?: ViewOptions): Promise<Performed> {
    if (!isCaseAction(name)) throw new DomainError("invalid_input", "That is not something Postbag can do to a case.");
    const spec = caseActionSpec(name);
    if (spec.draftThenSend) return this.draftThenSend(actor, name, raw, request, view);
    const { prepared: _prepared, ...done } = await this.performOne(actor, name, raw, request, view);
    return done;
  }

  /**
   * A draft and its send as one person's act (a card's "Send acknowledgement…"): everything the
   * send would refuse is checked first, so a refusal writes nothing; then the draft is written
   * and sent, each as its own step with its own request key (`<key>:draft`, `<key>:send`), so a
   * retried request finds both and writes neither again. A send that then fails (the relay
   * refuses) keeps the draft, leaves the case as due as it was, and says why (`notSent`).
   */
  private async draftThenSend(actor: Actor, name: CaseAction, raw: unknown, request: RequestContext, view: ViewOptions | undefined): Promise<Performed> {
    const spec = caseActionSpec(name);
    const steps = spec.draftThenSend!;
    const input = parseInput(spec.schema, raw) as SendNewInput;
    if (!this.outgoing) throw new DomainError("unavailable", "Letters and emails are not set up here. Ask whoever runs Postbag.");
    const key = (step: string) => (request.requestKey ? { ...request, requestKey: `${request.requestKey}:${step}` } : request);
    const draftedBefore = async () => {
      const detail = request.requestKey ? await this.store.entryDetailByRequestKey(`${request.requestKey}:draft`) : null;
      return typeof detail?.item === "number" ? detail.item : undefined;
    };
    let item = await draftedBefore();
    if (item === undefined) {
      const typed = spec.namesPartner?.typed(input);
      const partner = typed === undefined ? undefined : await this.partners?.find(typed, { strict: spec.namesPartner!.strict });
      await this.outgoing.assertSendsAtOnce(actor, input, partner);
      // A card older than the case is judged as the Send it pressed, not as the draft it starts with.
      const drafted = await this.performOne(actor, "draft", steps.draft(input), key("draft"), view, { action: name, value: input.template });
      // Written now, or (the same request at the same moment) by the first to arrive: its item.
      item = drafted.prepared?.item.number ?? (await draftedBefore());
      if (item === undefined) throw new DomainError("changed_meanwhile", `${input.reference} changed meanwhile. Look again: outgoing ${input.reference}.`);
    }
    try {
      const { prepared, ...sent } = await this.performOne(actor, "send", steps.send(input, item), key("send"), view);
      return prepared ? { ...sent, message: spec.confirm(sent.view, input, { item: prepared }) } : sent;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      // The draft stands: the case shows it as not sent, with Send to try again once put right.
      const shown = await this.showCase(actor, input.reference, view ?? {});
      return { view: shown, message: `${error.message} The words are kept as item ${item} of ${shown.reference}, and ${shown.reference} is ${shown.statusLabel.toLowerCase()}.`, notSent: true };
    }
  }

  private async performOne(actor: Actor, name: CaseAction, raw: unknown, request: RequestContext, view?: ViewOptions, pressed?: Pressed): Promise<Performed & { prepared?: PreparedOutgoing }> {
    const spec = caseActionSpec(name);
    const parsed = parseInput(spec.schema, raw) as { reference: string; version?: number; happenedOn?: LocalDate; item?: number };
    const field = spec.variants?.field;
    const control = pressed ?? { action: name, value: field ? ((parsed as Record<string, unknown>)[field] as string | number | undefined) : undefined };
    // The version it is decided on: the one the person's card showed or, for a card older than
    // the case, the current one when what it asks still makes sense there (stale-card.ts). A
    // letter's step is judged before it is prepared, so nothing goes out from a card that conflicts.
    const recheck = (tried: number | undefined, refused?: DomainError) => this.versionToActOn(actor, control, parsed.reference, parsed.version!, tried, request, view, refused);
    let actingOn = parsed.version !== undefined && spec.outgoing ? await recheck(undefined) : parsed.version;
    // A file is checked and stored first; the request is then known by its hash, not its bytes.
    const file = spec.carriesFile ? await this.storeFile(actor, parsed as AttachInput) : undefined;
    const input = file ? { reference: parsed.reference, version: parsed.version, ...file } : parsed;
    const named = spec.namesAssignee?.(input);
    const assignee = named === undefined ? undefined : await this.resolveAssignee(actor, named);
    const otherReference = spec.namesCase?.(input);
    const other = otherReference === undefined ? undefined : await this.linkTarget(input.reference, otherReference);
    const typedPartner = spec.namesPartner?.typed(input);
    const partner = typedPartner === undefined ? undefined : await this.partners?.find(typedPartner, { strict: spec.namesPartner!.strict });
    const typedTeam = spec.namesTeam?.(input);
    const team = typedTeam === undefined ? undefined : await this.teamFinder().find(typedTeam);
    const letters = spec.readsLetters ? await this.lettersOf(parsed.reference) : undefined;
    let decided: CaseChange | undefined;
    let item: PreparedOutgoing | undefined;
    const attempt = async (): Promise<CaseView> => {
      // A letter or email is prepared first (merged, or sent: an email goes before its step is written).
      if (spec.outgoing) {
        if (!this.outgoing) throw new DomainError("unavailable", "Letters and emails are not set up here. Ask whoever runs Postbag.");
        item = await this.outgoing.prepare(spec.outgoing, actor, parsed, request, partner);
      }
      return this.change(
        name,
        actor,
        input,
        request,
        view,
        (record, rules) => {
          const when = spec.datable ? lifecycle.happenedAt(record, parsed.happenedOn, rules) : rules;
          const change = spec.decide!({ actor, record, input: parsed, rules: when, assignee, other, partner, file, item, team, letters });
          decided = when === rules ? change : { ...change, at: when.now };
          return decided;
        },
        // A new draft's number was counted on the case as read: written only if nothing was added since.
        item?.caseVersion,
        actingOn,
        // Anything but a draft (whose number is counted again) is judged again on the fresh case, not prepared (or sent) again.
        parsed.version === undefined || spec.outgoing === "draft" ? undefined : recheck,
      );
    };
    const forget = async () => {
      // Refused or failed: bytes stored for this request alone go again, so nothing is half-written.
      for (const stored of [file, item?.sent?.file]) if (stored) await this.forgetUnreferenced(stored.sha256);
    };
    let shown: CaseView | undefined;
    for (let tries = 1; !shown; tries += 1) {
      try {
        shown = await attempt();
      } catch (error) {
        await forget();
        const again = spec.outgoing === "draft" && tries < 3 && error instanceof DomainError && error.code === "changed_meanwhile";
        if (!again) throw error;
        // A draft from a card is judged again on the case as it now is before its number is counted again.
        if (parsed.version !== undefined) actingOn = await recheck(actingOn, error);
      }
    }
    if (shown.contactForAcknowledgement) await this.accessLog?.record(actor, request.platform, "sensitive_read", shown.reference, "contact details shown to acknowledge it");
    // Corrections are in the audit log too; it names the case and the kind of correction, never what was written.
    const correction = typeof spec.correction === "function" ? decided && spec.correction(decided.entry) : spec.correction;
    if (correction) await this.accessLog?.record(actor, request.platform, "correction", shown.reference, correction);
    if (spec.changesChannelView) for (const listener of this.channelListeners) listener();
    // A retry returns the first result without deciding again: nobody is told twice.
    if (decided?.entry.type === "assigned") {
      const { from, to } = decided.entry.detail as { from: number | null; to: number | null };
      for (const listener of this.assignmentListeners) listener(actor, shown.reference, from, to);
    }
    if (decided && spec.outgoing && item && !item.replay) {
      const step: LetterStep = { step: spec.outgoing, item: item.item, comment: (parsed as { comment?: string }).comment };
      for (const listener of this.letterListeners) listener(actor, shown.reference, step);
    }
    const letter = item?.sent?.pdf && item.sent.file ? { filename: item.sent.file.filename, mediaType: item.sent.file.mediaType, bytes: item.sent.pdf } : undefined;
    // What this request wrote (a retry answers with the first result, and wrote nothing now).
    const prepared = decided && item && !item.replay ? item : undefined;
    return { view: shown, message: spec.confirm(shown, parsed, { file, item }), ...(letter ? { file: letter } : {}), ...(prepared ? { prepared } : {}) };
  }

  /**
   * A request tied to the version `seen` of a case (a control on a card): the version to decide
   * it on. The case's current one when it has moved on and what was asked still makes sense on
   * it (stale-card.ts); otherwise a refusal saying what changed. Asked again when the write of
   * version `tried` was `refused` (it lost a race): that refusal stands if the case has not
   * moved on since (it was something else, such as a letter being sent).
   */
  private async versionToActOn(actor: Actor, pressed: Pressed, reference: string, seen: number, tried: number | undefined, request: RequestContext, view: ViewOptions | undefined, refused?: DomainError): Promise<number> {
    // A retried request is answered with what it did the first time, never judged again.
    if (request.requestKey && (await this.store.findByRequestKey(request.requestKey, { last: 0 }))) return seen;
    const loaded = await this.store.findCase(reference, { last: 0 });
    if (!loaded) throw caseNotFound(reference);
    const { record } = loaded;
    if (refused && (record.version === tried || record.version < seen)) throw refused;
    // The card is current (or names a version the case never had, which the write refuses).
    if (record.version <= seen) return seen;
    const since = await this.store.timeline(record.id, { last: Math.min(record.version - seen, MOST_CHANGES_SINCE + 1) });
    const letters = await this.lettersOnCard(loaded, actor, view ?? {});
    const decided = decideOnOlderCard(pressed, { record, actor, audience: view?.audience ?? "private", items: letters?.items, needsSignOff: letters?.needsSignOff }, since.entries);
    if (!decided.act) throw new DomainError("changed_meanwhile", decided.changed);
    return record.version;
  }

  /**
   * A file of a case, with its bytes, for someone who may read the case in full: by its number
   * on the card (from 1) or its name. Opening a file of a sensitive case is in the audit log.
   */
  async openFile(actor: Actor, rawReference: unknown, which: string, platform: Platform): Promise<{ reference: string; file: CaseFileView; bytes: Uint8Array }> {
    const reference = parseInput(referenceSchema, rawReference);
    const loaded = await this.store.findCase(reference, { last: 0 });
    if (!loaded) throw caseNotFound(reference);
    const { record } = loaded;
    if (caseAccess(actor, record, "private", "card") !== "full") {
      throw new DomainError("not_permitted", `${record.reference} is sensitive: only its assignee or a manager can open its files.`);
    }
    if (!this.files) throw new DomainError("unavailable", "No file store is configured here. Ask whoever runs Postbag.");
    const files = toFileViews(await this.files.rows.list(record.id));
    if (files.length === 0) throw new DomainError("invalid_input", `${record.reference} has no files. Attach one with: attach ${record.reference} <file>.`);
    const wanted = which.trim();
    const file = /^\d+$/.test(wanted) ? files[Number(wanted) - 1] : files.findLast((listed) => listed.filename.toLowerCase() === wanted.toLowerCase());
    if (!file) {
      const listed = files.slice(0, 20).map((listed) => `${listed.number} ${listed.filename}`).join(", ");
      throw new DomainError("invalid_input", `${record.reference} has no file “${wanted.slice(0, 100)}”. Its files: ${listed}. Ask for one by its number.`);
    }
    const bytes = await this.files.store.get(file.sha256);
    if (record.sensitive) await this.accessLog?.record(actor, platform, "sensitive_read", record.reference, `file ${file.number} opened`);
    return { reference: record.reference, file, bytes };
  }

  /** Checks a carried file (size, then type by its content) and puts its bytes in the file store. */
  private async storeFile(actor: Actor, input: AttachInput): Promise<NewCaseFile> {
    assertCanWork(actor);
    if (!this.files) throw new DomainError("unavailable", "No file store is configured here. Ask whoever runs Postbag.");
    assertWithinSize(input.bytes.byteLength, this.files.maxBytes);
    const mediaType = await detectMediaType(input.bytes, input.filename);
    const { sha256, size } = await this.files.store.put(input.bytes);
    return { sha256, size, mediaType, filename: cleanFilename(input.filename, mediaType), source: input.source };
  }

  /** Removes stored bytes no case-file row names (a refused attachment, an erased case's last copy). */
  private async forgetUnreferenced(sha256: string): Promise<void> {
    if (this.files && !(await this.files.rows.isReferenced(sha256))) await this.files.store.remove(sha256);
  }

  /** The case's files on a card whose details the reader may see. */
  private async withFiles(shown: CaseView, loaded: LoadedCase): Promise<CaseView> {
    if (shown.redacted || !this.files) return shown;
    // Read with the case when the store could (its snapshot); else on their own.
    const files = loaded.files ?? (await this.files.rows.list(loaded.record.id));
    return files.length ? { ...shown, files: toFileViews(files) } : shown;
  }

  /**
   * Adds an email that arrived to a case's timeline (mail intake: a reply threaded by its
   * headers or reference, or a message a person added). `actor` null: Postbag threaded it
   * itself. Never reopens a closed case: the entry asks whether to. A retry (same request key)
   * writes nothing twice.
   */
  async receiveEmail(
    actor: Actor | null,
    rawReference: unknown,
    email: ArrivedEmail,
    request: RequestContext,
    view: ViewOptions = {},
  ): Promise<{ view: CaseView | null; reference: string; caseId: number; closed: boolean; assigneeId: number | null }> {
    const reference = parseInput(referenceSchema, rawReference);
    if (actor) assertCanWork(actor);
    const ctx = this.ruleContext();
    const loaded = await this.changeCase(
      reference,
      (record) => {
        if (actor) assertCanProgress(actor, record);
        return receiveEmail(record, email).change;
      },
      { actorId: actor?.id ?? null, platform: request.platform, at: ctx.now, requestKey: request.requestKey },
      timelineWindow(view),
    );
    const { record } = loaded;
    return {
      view: actor ? await this.renderInFull(loaded, actor, view) : null,
      reference: record.reference,
      caseId: record.id,
      closed: record.status === "closed",
      assigneeId: record.assignee?.id ?? null,
    };
  }

  /**
   * A delivery report (a bounce) for an email Postbag sent, found by a Message-ID it names: the
   * item is marked bounced and the step its sending recorded undone on the case, by an entry of
   * Postbag's own (outgoing-steps.ts: recordBounce). Null when it names no email Postbag sent. A
   * retry (same request key) writes nothing twice.
   */
  async recordBounce(
    report: { messageIds: readonly string[]; notice: BounceNotice },
    request: RequestContext,
  ): Promise<{ reference: string; caseId: number; assigneeId: number | null; sentById: number | null; message: string } | null> {
    const item = await this.outgoing?.sentWith(report.messageIds);
    if (!item) return null;
    const ctx = this.ruleContext();
    const timeline = await this.store.findCase(item.reference);
    if (!timeline) return null;
    const loaded = await this.changeCase(
      item.reference,
      (record) => recordBounce(record, item, report.notice, timeline.timeline.entries, ctx),
      { actorId: null, platform: request.platform, at: ctx.now, requestKey: request.requestKey },
      { last: 1 },
    );
    const entry = loaded.timeline.entries.at(-1);
    return {
      reference: loaded.record.reference,
      caseId: loaded.record.id,
      assigneeId: loaded.record.assignee?.id ?? null,
      sentById: item.sentBy && item.sentBy.id > 0 ? item.sentBy.id : null,
      message: entry?.type === "outgoing_bounced" ? entry.text : `An email of ${loaded.record.reference} bounced.`,
    };
  }

  /**
   * Keeps a logged email's attachments as the case's files, in an entry of their own; the same
   * request key again (a retry after a stop) keeps them once.
   */
  async keepEmailFiles(actor: Actor, rawReference: unknown, email: Pick<ArrivedEmail, "intakeId" | "files">, request: RequestContext): Promise<void> {
    const reference = parseInput(referenceSchema, rawReference);
    assertCanWork(actor);
    const ctx = this.ruleContext();
    await this.changeCase(reference, (record) => keepEmailFiles(record, email), { actorId: actor.id, platform: request.platform, at: ctx.now, requestKey: request.requestKey }, { last: 0 });
  }

  /** One case with its timeline; any registered staff member may read, sensitive details permitting. */
  async showCase(actor: Actor, rawReference: unknown, view: ViewOptions = {}): Promise<CaseView> {
    const reference = parseInput(referenceSchema, rawReference);
    const loaded = await this.store.findCaseWithRelated(reference, timelineWindow(view));
    if (!loaded) throw caseNotFound(reference);
    const { record } = loaded;
    const shown = await this.renderInFull(loaded, actor, view);
    if (record.sensitive && !shown.redacted) await this.accessLog?.record(actor, view.platform ?? "cli", "sensitive_read", record.reference, "full details shown");
    if (shown.contactForAcknowledgement) await this.accessLog?.record(actor, view.platform ?? "cli", "sensitive_read", record.reference, "contact details shown to acknowledge it");
    return shown;
  }

  /** The actor's own open cases, nearest deadline first. */
  listMine(actor: Actor, audience: Audience = "private"): Promise<CaseView[]> {
    return this.list(actor, { assigneeId: actor.id }, audience);
  }

  /** Open cases past their acknowledgement or response deadline. */
  async listOverdue(actor: Actor, audience: Audience = "private"): Promise<CaseView[]> {
    const { today } = this.ruleContext();
    const [ack, response] = await Promise.all([
      this.list(actor, { acknowledgeByBefore: today }, audience),
      this.list(actor, { respondByBefore: today }, audience),
    ]);
    return uniqueByReference([...ack, ...response]).sort(byNearestDeadline);
  }

  /** Open cases whose response falls due today or within the next `workingDays`. */
  async listDueSoon(actor: Actor, workingDays = 1, audience: Audience = "private"): Promise<CaseView[]> {
    const { today } = this.ruleContext();
    const until = this.calendar.addWorkingDays(today, workingDays);
    const cases = await this.list(actor, { respondByOnOrBefore: until }, audience);
    return cases.filter((view) => view.respondBy >= today);
  }

  /** The office's complaint reviews, closed ones too, with a recommendation the force has not answered by its day: earliest due first. */
  async listForceAnswersOverdue(actor: Actor, audience: Audience = "private"): Promise<CaseView[]> {
    const ctx = this.ruleContext();
    const records = await this.store.listForceAnswersDue(ctx.today);
    return records.filter((record) => forceAnswerOverdue(record, ctx)).slice(0, LIST_LIMIT).map((record) => toCaseView(record, actor, audience, ctx));
  }

  /** Cases awaiting a response with no action for the configured working days. */
  async listStale(actor: Actor, audience: Audience = "private"): Promise<CaseView[]> {
    const ctx = this.ruleContext();
    const cutoff = lifecycle.staleCutoff(ctx);
    const cases = await this.list(actor, { lastActionBefore: cutoff }, audience);
    return cases.filter((view) => view.stale);
  }

  /** The office's overdue, stale and unassigned counts (managers' App Home), however many there are. */
  async officeCounts(actor: Actor): Promise<{ overdue: number; stale: number; unassigned: number }> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "The office's counts are for managers.");
    const ctx = this.ruleContext();
    const [overdue, stale, unassigned] = await Promise.all([
      this.store.countOpen({ overdueBefore: ctx.today }),
      this.store.countOpen({ lastActionBefore: lifecycle.staleCutoff(ctx) }),
      this.store.countOpen({ unassigned: true }),
    ]);
    return { overdue, stale, unassigned };
  }

  listUnassigned(actor: Actor, audience: Audience = "private"): Promise<CaseView[]> {
    return this.list(actor, { unassigned: true }, audience);
  }

  /**
   * Finds cases by reference, constituent name or contact, or subject (and what a correction
   * replaced). A sensitive case the actor may not see in full is still found, shown by its
   * reference alone with its details withheld, so nobody is told "no case" and logs a duplicate:
   * they ask a manager instead.
   */
  async searchCases(actor: Actor, raw: unknown, audience: Audience = "private"): Promise<CaseView[]> {
    const { text } = parseInput(searchSchema, typeof raw === "string" ? { text: raw } : raw);
    const ctx = this.ruleContext();
    const found = await this.store.search({ text, ...searchKeys(text) }, 20);
    return found.map((record) => toCaseView(record, actor, audience, ctx));
  }

  private async list(actor: Actor, filter: CaseFilter, audience: Audience): Promise<CaseView[]> {
    const ctx = this.ruleContext();
    const records = await this.store.listOpen({ limit: LIST_LIMIT, ...filter });
    return records.map((record) => toCaseView(record, actor, audience, ctx)).sort(byNearestDeadline);
  }


  /** Another case an action names, and whether it is linked to this one already. */
  private async linkTarget(reference: string, otherReference: string): Promise<lifecycle.LinkTarget> {
    const loaded = await this.store.findCase(otherReference, { last: 0 });
    if (!loaded) throw new DomainError("case_not_found", `No case ${otherReference}. Find it with: search <name or subject>.`, "other");
    const { links } = await this.store.related(loaded.record);
    return { id: loaded.record.id, reference: loaded.record.reference, linkedAlready: links.some((link) => link.other.reference === reference) };
  }

  private async resolveAssignee(actor: Actor, assignee: number | string): Promise<Actor> {
    if (typeof assignee === "number") return this.staff.findById(assignee);
    if (assignee.toLowerCase() === "me") return actor;
    return this.staff.findOne(assignee);
  }

  /** Every change this service writes goes through here: an erased case takes none (lifecycle.assertNotErased). */
  private changeCase(...[reference, decide, ...rest]: Parameters<CaseStore["changeCase"]>): Promise<LoadedCase> {
    return this.store.changeCase(
      reference,
      (current) => {
        lifecycle.assertNotErased(current);
        return decide(current);
      },
      ...rest,
    );
  }

  /** Decides and writes one change; `action` and `input` make the request's fingerprint, kept with its key. */
  private async change(
    action: string,
    actor: Actor,
    input: { reference: string; version?: number },
    request: RequestContext,
    view: ViewOptions | undefined,
    decide: (record: CaseRecord, ctx: lifecycle.RuleContext) => CaseChange,
    versionRead?: number,
    /** The version to write on in place of the one the input names: the current one, for a request from an older card that still makes sense on it. */
    actingOn?: number,
    /** For a request tied to a version: the version to write on once another change got there first, or a refusal (CaseService.versionToActOn). */
    recheck?: (tried: number, refused: DomainError) => Promise<number>,
  ): Promise<CaseView> {
    assertCanWork(actor);
    const ctx = this.ruleContext();
    let expectedVersion = actingOn ?? input.version ?? versionRead;
    // The fingerprint is of the request as sent (the card's version), so a retry of it is still recognised.
    const fingerprint = request.requestKey ? requestFingerprint(action, actor.id, input) : undefined;
    const attempt = () =>
      this.changeCase(
        input.reference,
        (current) => decide(current, ctx),
        { actorId: staffIdOf(actor), platform: request.platform, at: ctx.now, requestKey: request.requestKey, requestFingerprint: fingerprint, expectedVersion },
        timelineWindow(view ?? {}),
      );
    let loaded: LoadedCase | undefined;
    for (let tries = 1; !loaded; tries += 1) {
      try {
        loaded = await attempt();
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== "changed_meanwhile" || tries > 3) throw error;
        // A request not tied to a version the person saw is decided again on the fresh
        // case once; the rules then refuse anything that no longer makes sense.
        if (expectedVersion === undefined && tries === 1) continue;
        // One tied to a version is, if what it asks still makes sense on the fresh case.
        if (expectedVersion === undefined || !recheck) throw error;
        expectedVersion = await recheck(expectedVersion, error);
      }
    }
    return this.renderInFull(loaded, actor, view ?? {});
  }

  /** A card of one case: with the person's earlier cases and the case's links, where the reader may see them. */
  private async renderInFull(loaded: LoadedCase, actor: Actor, view: ViewOptions): Promise<CaseView> {
    const shown = await this.withFiles(this.render(loaded, actor, view, await this.lettersOnCard(loaded, actor, view)), loaded);
    if (shown.redacted || (view.audience ?? "private") === "shared") return shown;
    const related = relatedView(loaded.record, loaded.related ?? (await this.store.related(loaded.record)), actor);
    return related ? { ...shown, related } : shown;
  }

  /** A case's letters and emails, for a rule that reads them (none where letters are not set up). */
  private async lettersOf(reference: string): Promise<OutgoingOnCase[]> {
    const loaded = await this.store.findCase(reference, { last: 0 });
    if (!loaded) throw caseNotFound(reference);
    return this.outgoing ? this.outgoing.onCase(loaded.record, loaded.outgoing) : [];
  }

  /** The case's letters and emails for a card read in full on the reader's own screen (never in a channel), so it can show and offer steps on them. */
  private async lettersOnCard({ record, outgoing }: LoadedCase, actor: Actor, view: ViewOptions): Promise<{ items: OutgoingOnCase[]; needsSignOff: (template: string) => boolean } | undefined> {
    if (!this.outgoing || (view.audience ?? "private") !== "private" || !canSeeInFull(actor, record)) return undefined;
    return { items: await this.outgoing.onCase(record, outgoing), needsSignOff: this.outgoing.signOffOn(record) };
  }

  private render({ record, timeline }: LoadedCase, actor: Actor, view: ViewOptions, letters?: { items: OutgoingOnCase[]; needsSignOff: (template: string) => boolean }): CaseView {
    return toCaseView(record, actor, view.audience ?? "private", this.ruleContext(), timeline, "card", letters);
  }
}

/** What an action did: the case as the person may now see it, the sentence that says so, and any letter made. */
export interface Performed {
  view: CaseView;
  message: string;
  /** A letter made by Send: its PDF, for the person to print. */
  file?: { filename: string; mediaType: string; bytes: Uint8Array };
  /** Only part of the act was done: a letter or email was drafted but not sent (`message` says why, and that the draft is kept). */
  notSent?: true;
}

/** A step of a letter or email just written: the item as the step found it, and a send-back's comment. */
export interface LetterStep {
  step: OutgoingStep;
  item: OutgoingItem;
  comment?: string;
}

interface AttachInput {
  reference: string;
  filename: string;
  bytes: Uint8Array;
  source: NewCaseFile["source"];
}

/** The staff member an entry names: none for Postbag itself acting for the office (id 0, e.g. an automatic acknowledgement). */
function staffIdOf(actor: Actor): number | null {
  return actor.id > 0 ? actor.id : null;
}

function timelineWindow(view: ViewOptions): TimelineWindow {
  return { last: view.timelineEntries };
}

export function caseNotFound(reference: string): DomainError {
  return new DomainError("case_not_found", `No case ${reference}. Find it with: search <name or subject>.`);
}

function uniqueByReference(views: CaseView[]): CaseView[] {
  return [...new Map(views.map((view) => [view.reference, view])).values()];
}

/** Earliest outstanding deadline first; the order people should work in. */
export function byNearestDeadline(a: CaseView, b: CaseView): number {
  return nextDeadlineDay(a).localeCompare(nextDeadlineDay(b)) || a.reference.localeCompare(b.reference);
}

function nextDeadlineDay(view: CaseView): string {
  return nextDeadline(view)?.due ?? "9999-12-31";
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
