import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "./config.ts";
import type { FileStore } from "./domain/files/file-store.ts";
import { DEFAULT_MAX_FILE_BYTES } from "./domain/files/file-rules.ts";
import { LocalFileStore } from "./files/local-file-store.ts";
import { openFileStore } from "./files/open-file-store.ts";
import { PrismaCaseFileStore } from "./db/prisma-case-file-store.ts";
import type { CaseFileStore } from "./domain/files/case-files.ts";
import { WorkingCalendar } from "./domain/calendar/working-calendar.ts";
import { CaseService } from "./domain/cases/case-service.ts";
import { systemClock, type Clock } from "./domain/ports.ts";
import { StaffService } from "./domain/staff/staff-service.ts";
import { openDatabase, type Database, type DatabaseTarget } from "./db/database.ts";
import { applyMigrations } from "./db/migrate.ts";
import { PrismaCaseStore } from "./db/prisma-case-store.ts";
import { PrismaConversationStore } from "./db/prisma-conversation-store.ts";
import type { ConversationStore } from "./domain/conversations/conversation-store.ts";
import { CachedStaffStore } from "./db/cached-staff-store.ts";
import { PrismaStaffStore } from "./db/prisma-staff-store.ts";
import { PrismaDigestChannelStore, PrismaJobLeaseStore, PrismaJobRunStore } from "./db/prisma-job-stores.ts";
import { DigestService } from "./domain/digest/digest-service.ts";
import type { DigestChannelStore, JobLeaseStore, JobRunStore } from "./domain/jobs/job-runs.ts";
import { JobsService } from "./domain/jobs/jobs-service.ts";
import { AuditService } from "./domain/audit/audit-service.ts";
import { PrismaAuditStore } from "./db/prisma-audit-store.ts";
import { ReportService } from "./domain/reports/report-service.ts";
import { PrismaReportStore } from "./db/prisma-report-store.ts";
import { AccessLog } from "./domain/privacy/access-log.ts";
import { ErasureService } from "./domain/privacy/erasure.ts";
import { SubjectAccessService } from "./domain/privacy/subject-access.ts";
import { ExportService } from "./domain/exports/export-service.ts";
import { PrismaAccessLogStore, PrismaPrivacyStore } from "./db/prisma-privacy-store.ts";
import { PrismaPostedCardStore } from "./db/prisma-posted-card-store.ts";
import { PostedCards } from "./domain/cases/posted-cards.ts";
import { AssignmentNotices } from "./domain/cases/assignment-notices.ts";
import { ConstituentService } from "./domain/constituents/constituent-service.ts";
import { PrismaConstituentStore } from "./db/prisma-constituent-store.ts";
import { PartnerService } from "./domain/partners/partner-service.ts";
import { TeamService } from "./domain/teams/team-service.ts";
import { PrismaTeamStore } from "./db/prisma-team-store.ts";
import { PrismaPartnerStore } from "./db/prisma-partner-store.ts";
import { Reachability } from "./domain/staff/reachability.ts";
import { PrismaReachabilityStore } from "./db/prisma-reachability-store.ts";
import { TemplateService } from "./domain/letters/template-service.ts";
import { DEFAULT_OFFICE } from "./domain/letters/merge-values.ts";
import { PrismaTemplateStore } from "./db/prisma-template-store.ts";
import { IntakeService } from "./domain/intake/intake-service.ts";
import { PrismaIntakeStore } from "./db/prisma-intake-store.ts";
import { TriageService } from "./domain/intake/triage.ts";
import { OutgoingDesk } from "./domain/letters/outgoing-service.ts";
import type { MailSender } from "./domain/letters/mail-sender.ts";
import { PrismaOutgoingStore } from "./db/prisma-outgoing-store.ts";
import { GraphSender } from "./mail/graph-sender.ts";
import { SmtpSender } from "./mail/smtp-sender.ts";
import { renderLetterPdf } from "./letters/letter-pdf.ts";
import { PrismaTriageStore } from "./db/prisma-triage-store.ts";
import { AutoAcknowledger } from "./domain/letters/auto-acknowledge.ts";
import { PlatformConnections } from "./domain/platforms/connections.ts";
import { PrismaConnectionStore } from "./db/prisma-connection-store.ts";

/** The core every adapter shares. */
export interface Core {
  cases: CaseService;
  /** One constituent is one person: their record, matching when logging, merging. */
  constituents: ConstituentService;
  staff: StaffService;
  /** The partner directory (police force, fire service, council…) referrals pick from. */
  partners: PartnerService;
  /** Teams of staff and their queues (domain/teams). */
  teams: TeamService;
  calendar: WorkingCalendar;
  clock: Clock;
  /** Where the chat adapters may post later (stored Teams conversation references). */
  conversations: ConversationStore;
  digests: DigestService;
  jobs: JobsService;
  /** The no-loss audit and the timeline's hash chain. */
  audit: AuditService;
  /** Performance and themes reports, computed from the timeline. */
  reports: ReportService;
  /** Sensitive reads, exports, subject access and erasures, for managers to inspect. */
  accessLog: AccessLog;
  exports: ExportService;
  subjectAccess: SubjectAccessService;
  erasure: ErasureService;
  /** Telling people the cases they are given or that are taken from them. */
  notices: AssignmentNotices;
  /** Who cannot be messaged on their platform (no id, or their last personal delivery failed). */
  reachability: Reachability;
  /** Case cards posted in channels, updated when a case's marker changes. */
  postedCards: PostedCards;
  /** Chat platforms that told Postbag it may no longer post there (Slack's app_uninstalled, tokens_revoked). */
  connections: PlatformConnections;
  /** Where attached files' bytes are kept (mail intake stores email attachments here too), and the rows naming them. */
  files: { store: FileStore; rows: CaseFileStore; maxBytes: number };
  /** Mail intake: every email to a watched mailbox recorded once, threaded onto its case or triaged by a person. */
  intake: IntakeService;
  /** Emails posted for triage to the Slack and Teams channels told `intake here`, their cards updated once decided. */
  triage: TriageService;
  /** The office's letter and email templates, every version kept. */
  templates: TemplateService;
  /** Letters and emails of cases: drafted, signed off, sent (the steps are case actions; this lists them). */
  outgoing: OutgoingDesk;
  /** Acknowledges cases logged from email by itself, when the office turns it on (POSTBAG_AUTO_ACK; its job runs it). */
  autoAcknowledger: AutoAcknowledger;
  /** The stores the scheduled jobs work from. */
  jobStores: { runs: JobRunStore; channels: DigestChannelStore; leases: JobLeaseStore };
}

export interface Postbag {
  db: Database;
  core: Core;
  close(): Promise<void>;
}

export type CoreSettings = Pick<Config, "nation" | "closureDays" | "standards"> & Partial<Pick<Config, "files" | "office" | "smtp" | "graphSend" | "signOff" | "mail">>;

export function createCore(
  db: Database,
  settings: CoreSettings,
  clock: Clock = systemClock,
  fileStore: FileStore = new LocalFileStore(join(tmpdir(), "postbag-files")),
  mail?: MailSender,
): Core {
  const calendar = new WorkingCalendar(settings.nation, settings.closureDays);
  const staffStore = new PrismaStaffStore(db.prisma);
  // The embedded database has one writer, this process, so staff look-ups can be remembered.
  const accessLog = new AccessLog(new PrismaAccessLogStore(db.prisma), clock);
  const staff = new StaffService(db.engine === "pglite" ? new CachedStaffStore(staffStore) : staffStore, (actor, platform, subject, detail) =>
    accessLog.record(actor, platform, "staff_change", subject, detail),
  );
  // Every personal message records whether it reached the person; changed platform ids void an old failure.
  const reachability = new Reachability(new PrismaReachabilityStore(db.prisma), clock, () => staff.list());
  staff.whenPlatformsChange((staffId) => reachability.forget(staffId));
  const caseStore = new PrismaCaseStore(db.prisma, (sql, params) => db.query(sql, params));
  const privacyStore = new PrismaPrivacyStore(db.prisma, caseStore);
  const constituents: ConstituentService = new ConstituentService(new PrismaConstituentStore(db.prisma), caseStore, () => cases.ruleContext(), accessLog);
  // The partner directory: referrals name its entries; changes to it are audited as staff changes are.
  const partners = new PartnerService(new PrismaPartnerStore(db.prisma), (actor, platform, subject, detail) => accessLog.record(actor, platform, "partner_change", subject, detail));
  const files = { store: fileStore, rows: new PrismaCaseFileStore(db.prisma), maxBytes: settings.files?.maxBytes ?? DEFAULT_MAX_FILE_BYTES };
  const templates = new TemplateService(new PrismaTemplateStore(db.prisma), clock, {
    office: settings.office ?? DEFAULT_OFFICE,
    caseView: (actor, reference) => cases.privateView(actor, reference),
  });
  const intakeStore = new PrismaIntakeStore(db.prisma);
  // Letters and emails: an email goes through the office's relay (none configured: refused, letters still made).
  const outgoing = new OutgoingDesk({
    store: new PrismaOutgoingStore(db.prisma),
    cases: caseStore,
    templates,
    clock,
    signOff: settings.signOff ?? [],
    caseView: (actor, reference) => cases.privateView(actor, reference),
    partners,
    mail,
    printLetter: renderLetterPdf,
    files: files.store,
    // An email to a constituent answers the email of theirs the case came from, so it threads in their mail.
    emailsOfCase: (caseId) => intakeStore.ofCase(caseId),
  });
  const teams = new TeamService(new PrismaTeamStore(db.prisma), staff, clock, (actor, platform, subject, detail) => accessLog.record(actor, platform, "staff_change", subject, detail));
  const cases: CaseService = new CaseService(caseStore, staff, clock, calendar, settings.standards, accessLog, constituents, partners, files, outgoing, teams);
  const postedCards = new PostedCards(new PrismaPostedCardStore(db.prisma), (reference) => cases.sharedView(reference), clock);
  // A changed marker reaches cards already posted at once (and the scheduled refresh catches any missed).
  cases.whenChannelViewChanges(() => void postedCards.refresh());
  const notices = new AssignmentNotices(staff, (person, reference) => cases.privateView(person, reference), reachability);
  cases.whenAssigned((actor, reference, fromId, toId) => void notices.assigned(actor, reference, fromId, toId));
  // Words awaiting sign-off reach the managers as the case's card; an approval or a send-back reaches whoever wrote them.
  cases.whenLetterStep((actor, reference, step) => void notices.letterStep(actor, reference, step));
  // Mail intake: a reply to a case's email threads itself onto it, and its assignee is told the way assignments are told.
  const intake = new IntakeService({
    store: intakeStore,
    cases,
    caseStore,
    partners,
    clock,
    calendar,
    referencePrefix: settings.standards.referencePrefix,
    files: files.store,
    maxFileBytes: files.maxBytes,
    since: settings.mail?.since,
    tell: async (staffId, reference, message) => void (await notices.tellStaff(staffId, reference, message)),
  });
  const triage = new TriageService(new PrismaTriageStore(db.prisma), (id) => intakeStore.find(id), clock);
  // A decision made anywhere (a card, a command, Postbag threading a reply) reaches the triage cards at once; the mail job catches any missed.
  intake.whenDecided(() => void triage.refresh());
  // An erasure clears the emails' senders: their triage cards forget them at once (the mail job catches any missed).
  const erasure = new ErasureService(privacyStore, accessLog, clock, settings.standards.retentionYears, files);
  erasure.whenErased(() => void triage.refresh());
  const connections = new PlatformConnections(new PrismaConnectionStore(db.prisma), clock);
  const jobStores = {
    runs: new PrismaJobRunStore(db.prisma),
    channels: new PrismaDigestChannelStore(db.prisma),
    leases: new PrismaJobLeaseStore(db.prisma),
  };
  return {
    cases,
    constituents,
    partners,
    teams,
    staff,
    calendar,
    clock,
    conversations: new PrismaConversationStore(db.prisma),
    digests: new DigestService(caseStore, clock, calendar, settings.standards, reachability, intake, connections, teams),
    jobs: new JobsService(jobStores.runs, jobStores.channels),
    audit: new AuditService(new PrismaAuditStore(db.prisma), clock, calendar, settings.standards, intake),
    reports: new ReportService(new PrismaReportStore(db.prisma), staff, clock, calendar, settings.standards, partners, intake, (settings.office ?? DEFAULT_OFFICE).name),
    accessLog,
    exports: new ExportService(privacyStore, accessLog, clock, calendar),
    subjectAccess: new SubjectAccessService(privacyStore, accessLog, clock, files.store),
    erasure,
    files,
    intake,
    triage,
    postedCards,
    connections,
    notices,
    reachability,
    templates,
    outgoing,
    autoAcknowledger: new AutoAcknowledger({ cases, caseStore, intake: intakeStore, outgoing, clock }),
    jobStores,
  };
}

/** Opens the database, brings its schema up to date, and builds the core on it. */
export async function openPostbag(
  target: DatabaseTarget,
  settings: CoreSettings,
  options: { clock?: Clock; migrate?: boolean; files?: FileStore; mailSender?: MailSender } = {},
): Promise<Postbag> {
  const db = await openDatabase(target);
  const files = options.files ? { store: options.files, dispose: async () => {} } : await defaultFileStore(target, settings);
  // Emails go through the sender given (tests: a relay on loopback), else the configured SMTP relay or Microsoft 365 mailbox.
  const smtp = !options.mailSender && settings.smtp ? new SmtpSender(settings.smtp) : undefined;
  const graph = !options.mailSender && settings.graphSend ? new GraphSender(settings.graphSend) : undefined;
  const close = async () => {
    await db.close();
    await files.dispose();
    smtp?.close();
  };
  try {
    if (options.migrate !== false) await applyMigrations(db);
    const core = createCore(db, settings, options.clock, files.store, options.mailSender ?? smtp ?? graph);
    // Records written before their comparison keys existed get them once (domain/constituents).
    if (options.migrate !== false) await core.constituents.fillMissingKeys();
    // The standard templates' first versions, saved once (domain/letters).
    if (options.migrate !== false) await core.templates.ensureStandard();
    if (settings.signOff?.length) await core.templates.assertSignOffNamesTemplates(settings.signOff);
    return { db, core, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The configured file store; without configuration (tests, scripts) `files/` beside the embedded
 * database, or for a database in memory a temporary folder that goes with it.
 */
async function defaultFileStore(target: DatabaseTarget, settings: CoreSettings): Promise<{ store: FileStore; dispose: () => Promise<void> }> {
  if (settings.files) {
    const store = openFileStore(settings.files.store);
    return { store, dispose: async () => store.close?.() };
  }
  if ("dataDir" in target) return { store: new LocalFileStore(join(target.dataDir, "files")), dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), "postbag-files-"));
  return { store: new LocalFileStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
}
