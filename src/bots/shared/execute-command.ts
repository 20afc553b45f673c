import { statementText } from "./report-text.ts";
import { queueFilter, type TeamRecord } from "../../domain/teams/team.ts";
import type { Core } from "../../app.ts";
import type { ConstituentProfile } from "../../domain/constituents/constituent-service.ts";
import type { Audience, CaseView } from "../../domain/cases/case-view.ts";
import type { RequestContext } from "../../domain/ports.ts";
import type { Actor } from "../../domain/staff/roles.ts";
import type { StaffRecord } from "../../domain/staff/staff-record.ts";
import type { UnreachableStaff } from "../../domain/staff/reachability.ts";
import type { PartnerRecord } from "../../domain/partners/partner-store.ts";
import { USAGE, type Command, type ListName } from "./commands.ts";
import { isLocalDate } from "../../domain/calendar/local-date.ts";
import type { Digest } from "../../domain/digest/digest.ts";
import { DomainError, isDomainError, parseInput } from "../../domain/errors.ts";
import type { DigestChannel, JobRun } from "../../domain/jobs/job-runs.ts";
import type { AuditReport } from "../../domain/audit/audit.ts";
import type { AccessEvent } from "../../domain/privacy/access-log.ts";
import type { RetentionCandidate } from "../../domain/privacy/privacy-store.ts";
import type { PerformanceReport, ThemesReport } from "../../domain/reports/report.ts";
import type { IntakeRecord, SourceHealth } from "../../domain/intake/intake-message.ts";
import type { TemplateVersion } from "../../domain/letters/template-service.ts";
import { readTemplateFile, templateFormSchema } from "../../domain/letters/templates.ts";
import { outgoingText } from "./outgoing-text.ts";
import { personalDigestReach } from "./text-render.ts";

export type CommandResult =
  | { kind: "case"; view: CaseView; message: string }
  | { kind: "cases"; title: string; views: CaseView[]; empty: string }
  /** `unreachable`: which of them Postbag cannot message, and why (staff list warns of them). */
  | { kind: "staff"; staff: StaffRecord[]; message?: string; unreachable?: UnreachableStaff[] }
  /** The partner directory, or the entry just added or changed. */
  | { kind: "partners"; partners: PartnerRecord[]; message?: string }
  | { kind: "digest"; digest: Digest }
  | { kind: "jobs"; runs: JobRun[] }
  | { kind: "help"; unknown?: string }
  | { kind: "log-form" }
  | { kind: "report"; report: PerformanceReport }
  | { kind: "themes"; themes: ThemesReport }
  | { kind: "audit"; report: AuditReport }
  | { kind: "audit-log"; events: AccessEvent[] }
  /** Files for the person (an export, a subject access request): uploaded, attached or written out. */
  /** `figures`: the message is itself the answer (a statement), so a console without --out prints it rather than a file. */
  | { kind: "files"; message: string; files: OutputFile[]; kept?: string; figures?: true }
  | { kind: "message"; message: string }
  | { kind: "constituent"; profile: ConstituentProfile }
  | { kind: "retention"; cutoff: string; total: number; cases: RetentionCandidate[] }
  /** Emails received: those awaiting triage, or (all) the latest whatever became of them. */
  | { kind: "intake-list"; messages: IntakeRecord[]; all: boolean; failing: SourceHealth[] }
  | { kind: "intake-message"; record: IntakeRecord; message?: string }
  /** The office's templates (each one's current version), or one template's versions. */
  | { kind: "templates"; title: string; versions: TemplateVersion[]; message?: string }
  /** One template's words; for a preview, merged with a case. */
  | { kind: "template"; version: TemplateVersion; merged?: { reference: string; subject: string | null; text: string }; message?: string };

export interface OutputFile {
  filename: string;
  /** An export or subject access text, or a case's file as it was attached (a scan, a photo). */
  mimeType: string;
  content: string | Uint8Array;
  /** How the file is described when it is shared. */
  title: string;
}

export interface ExecuteOptions {
  audience: Audience;
  request: RequestContext;
  /** Latest timeline entries to include with a case. */
  timelineEntries?: number;
  /** The channel the command was typed in, for `digest here`/`off` and `intake here`/`off`. */
  conversation?: DigestChannel;
}

const LIST_TITLES: Record<ListName, { title: string; empty: string }> = {
  mine: { title: "Your open cases", empty: "You have no open cases." },
  overdue: { title: "Overdue cases", empty: "Nothing is overdue." },
  "due-soon": { title: "Responses due today or next working day", empty: "No responses fall due today or next working day." },
  stale: { title: "Stale cases (no action lately)", empty: "No case has gone stale." },
  unassigned: { title: "Unassigned open cases", empty: "Every open case has an owner." },
  "force-answers": { title: "The office's reviews awaiting the force's answer past its time (closed ones too)", empty: "The force has answered every recommendation in time, or its time has not run out." },
};

/**
 * Runs one parsed command against the core. Shared by every adapter, so a command
 * means the same thing wherever it is typed; adapters only render the result.
 */
export async function executeCommand(core: Core, actor: Actor, command: Command, options: ExecuteOptions): Promise<CommandResult> {
  try {
    return await runCommand(core, actor, command, options);
  } catch (error) {
    throw withFlagsNamed(error, command);
  }
}

/** The core's inputs a typed command gives by flags (`--type`, `--outcome-letter`…): the core says "the outcome letter", a form shows it beside its field. */
const FLAGGED_FIELDS = new Set(["type", "outcomeLetterOn", "misdirectedOn", "responseSentOn"]);

/** A refusal of one of those, typed as a command: it ends with the command's usage, which names the flags. */
function withFlagsNamed(error: unknown, command: Command): unknown {
  if (!isDomainError(error) || !error.field || !FLAGGED_FIELDS.has(error.field)) return error;
  const usage = command.name === "log" ? USAGE.log : command.name === "case-action" ? USAGE[command.action] : undefined;
  return usage ? new DomainError(error.code, `${error.message} Usage: ${usage}`, error.field) : error;
}

async function runCommand(core: Core, actor: Actor, command: Command, options: ExecuteOptions): Promise<CommandResult> {
  const { request } = options;
  const view = { audience: options.audience, timelineEntries: options.timelineEntries, platform: request.platform };
  const caseResult = (message: (v: CaseView) => string) => (v: CaseView) => ({ kind: "case" as const, view: v, message: message(v) });

  switch (command.name) {
    case "help":
      return { kind: "help", unknown: command.unknown };
    case "log-form":
      return { kind: "log-form" };
    case "log":
      return caseResult((v) => `Logged ${v.reference}. Acknowledge by ${v.acknowledgement.dueText}; respond by ${v.response.dueText}.`)(
        await core.cases.logCase(actor, command.input, request, view),
      );
    case "show":
      return caseResult(() => "")(await core.cases.showCase(actor, command.reference, view));
    case "case-action":
      return performed(await core.cases.perform(actor, command.action, command.input, request, view));
    case "list":
      return { kind: "cases", ...LIST_TITLES[command.which], views: await listCases(core, actor, command.which, options.audience) };
    case "search": {
      const views = await core.cases.searchCases(actor, command.text, options.audience);
      const withheld = views.filter((v) => v.redacted).map((v) => v.reference);
      const note = withheld.length ? ` — a sensitive case for this person exists (${withheld.join(", ")}): ask its assignee or a manager` : "";
      return { kind: "cases", title: `Cases matching “${command.text}”${note}`, views, empty: `No case matches “${command.text}”.` };
    }
    case "constituent-show":
      return { kind: "constituent", profile: await core.constituents.show(actor, command.who, request.platform) };
    case "constituent-merge": {
      const { keep, other, moved } = await core.constituents.merge(actor, { keep: command.keep, other: command.other, reason: command.reason }, request);
      const cases = moved.length ? `${moved.length} case${moved.length === 1 ? "" : "s"} moved (${moved.join(", ")})` : "it had no cases";
      return { kind: "message", message: `Merged C${other.id} into C${keep.id}: ${cases}. Both records' details stay on the timeline; see them with: constituent show C${keep.id}` };
    }
    case "staff-add": {
      const { staff, created } = await core.staff.registerStaff(actor, {
        name: command.staffName,
        roles: command.roles,
        email: command.email,
        slackUserId: command.slackUserId,
        teamsUserId: command.teamsUserId,
      });
      return staffResult(core, [staff], `${created ? "Registered" : "Updated"} ${staff.name} (${staff.roles.join(", ")}).`);
    }
    case "staff-list": {
      const staff = await core.staff.list();
      const active = staff.filter((person) => person.active).length;
      return staffResult(core, staff, `${active} active, ${staff.length - active} deactivated.`);
    }
    case "staff-roles": {
      const staff = await core.staff.setRoles(actor, { who: command.who, roles: command.roles }, request.platform);
      return staffResult(core, [staff], `${staff.name} now has the roles ${staff.roles.join(", ")}, from their next request.`);
    }
    case "staff-deactivate": {
      const staff = await core.staff.deactivate(actor, { who: command.who, reason: command.reason }, request.platform);
      return { kind: "staff", staff: [staff], message: `${staff.name} is deactivated: no access on any platform from their next request. Their open cases are listed as unassigned until reassigned.` };
    }
    case "staff-reactivate": {
      const staff = await core.staff.reactivate(actor, { who: command.who }, request.platform);
      return staffResult(core, [staff], `${staff.name} is active again.`);
    }
    case "staff-link":
    case "staff-unlink": {
      const { staff, changes } =
        command.name === "staff-link" ? await core.staff.link(actor, command, request.platform) : await core.staff.unlink(actor, command, request.platform);
      const message = changes.length ? `${staff.name}: ${changes.join("; ")}. Recognised that way from their next request.` : `Nothing changed: ${staff.name} already has that.`;
      return staffResult(core, [staff], message);
    }
    case "team-list": {
      const teams = await core.teams.list();
      return { kind: "message", message: teams.length ? teams.map(teamWords).join("\n") : 'No teams yet. A manager adds one: team add "Complaints" --lead <person> --types review,cc-complaint' };
    }
    case "team-add": {
      const team = await core.teams.add(actor, { name: command.team, lead: command.lead, caseTypes: command.caseTypes }, request.platform);
      return { kind: "message", message: `Added the team. ${teamWords(team)}` };
    }
    case "team-change": {
      const team = await core.teams.change(actor, { team: command.team, lead: command.lead, caseTypes: command.caseTypes }, request.platform);
      return { kind: "message", message: teamWords(team) };
    }
    case "team-member": {
      const team = await core.teams.membership(actor, { team: command.team, person: command.person }, command.joining, request.platform);
      return { kind: "message", message: teamWords(team) };
    }
    case "queue": {
      const team = await core.teams.find(command.team);
      const views = await core.cases.listQueue(actor, queueFilter(await core.teams.list(), team), options.audience);
      return { kind: "cases", title: `${team.name}'s queue`, views, empty: `${team.name}'s queue is empty.` };
    }
    case "partner-list":
      return { kind: "partners", partners: await core.partners.list() };
    case "partner-add": {
      const { partnerName, aliases, replyDays, contact } = command;
      const partner = await core.partners.add(actor, { name: partnerName, aliases, replyDays, contact }, request.platform);
      return { kind: "partners", partners: [partner], message: `Added ${partner.name} to the partner directory.` };
    }
    case "partner-change": {
      const { name: _name, ...change } = command;
      const { partner, changes } = await core.partners.change(actor, change, request.platform);
      return { kind: "partners", partners: [partner], message: `${partner.name}: ${changes.join("; ")}.` };
    }
    case "digest": {
      if (command.asOf !== undefined && !isLocalDate(command.asOf)) throw new DomainError("invalid_input", "--as-of takes a date written YYYY-MM-DD.");
      return { kind: "digest", digest: await core.digests.previewManagerDigest(actor, command.asOf) };
    }
    case "digest-here":
    case "digest-off": {
      if (!options.conversation) throw new DomainError("invalid_input", "Type this in the Slack or Teams channel that should (or should no longer) receive the digest.");
      if (command.name === "digest-off") return { kind: "staff", staff: [], message: await core.jobs.unsubscribe(actor, options.conversation) };
      // The channel gets the office digest; each manager's own digest goes to them personally, so whoever Postbag can't reach is named here.
      const message = await core.jobs.subscribe(actor, options.conversation);
      return { kind: "staff", staff: [], message: `${message}\n${personalDigestReach(await core.reachability.managersUnreachable())}` };
    }
    case "jobs":
      return { kind: "jobs", runs: await core.jobs.listRuns(actor) };
    case "report":
      return { kind: "report", report: await core.reports.performanceReport(actor, command.period) };
    case "themes":
      return { kind: "themes", themes: await core.reports.themes(actor, command.period) };
    case "audit":
      return { kind: "audit", report: await core.audit.runAudit(actor) };
    case "audit-log":
      return { kind: "audit-log", events: await core.accessLog.list(actor, command.limit) };
    case "statement": {
      const made = await core.reports.complaintsStatement(actor, command.quarter);
      return {
        kind: "files",
        figures: true,
        message: statementText(made.statement),
        files: [
          { filename: `${made.baseName}.csv`, mimeType: "text/csv", content: made.csv, title: `Statement ${made.statement.period.label} (CSV)` },
          { filename: `${made.baseName}.html`, mimeType: "text/html", content: made.html, title: `Statement ${made.statement.period.label} (page to publish)` },
        ],
      };
    }
    case "export": {
      const file = await core.exports.exportCases(actor, command.period, request);
      return { kind: "files", message: `${file.title}.`, files: [{ filename: file.filename, mimeType: "text/csv", content: file.content, title: file.title }] };
    }
    case "sar": {
      const sar = await core.subjectAccess.subjectAccess(actor, command.who, request);
      const title = `Subject access: constituent #${sar.file.constituent.id}`;
      return {
        kind: "files",
        message: `${title}: ${sar.file.cases.length} case(s). The request is recorded in the audit log.`,
        files: [
          { filename: `${sar.baseName}.json`, mimeType: "application/json", content: sar.json, title: `${title} (JSON)` },
          { filename: `${sar.baseName}.txt`, mimeType: "text/plain", content: sar.text, title: `${title} (readable text)` },
          ...sar.attachments.map((file) => ({ filename: file.bundleName, mimeType: file.mediaType, content: file.bytes, title: `${title}: ${file.bundleName}` })),
        ],
      };
    }
    case "file": {
      const { reference, file, bytes } = await core.cases.openFile(actor, command.reference, command.which, request.platform);
      return { kind: "files", message: `File ${file.number} of ${reference}: ${file.filename} (${file.typeLabel}, ${file.sizeText}).`, files: [{ filename: file.filename, mimeType: file.mediaType, content: bytes, title: file.filename }] };
    }
    case "erase":
      return { kind: "message", message: (await core.erasure.erase(actor, command.target, command.confirm, request)).message };
    case "retention":
      return { kind: "retention", ...(await core.erasure.dueForReview(actor)) };
    case "intake-list":
      refuseEmailsInChannel(options.audience);
      return { kind: "intake-list", messages: await core.intake.list(actor, { all: command.all }), all: command.all, failing: await core.intake.failingSources(0) };
    case "intake-show":
      refuseEmailsInChannel(options.audience);
      return { kind: "intake-message", record: await core.intake.show(actor, command.id) };
    case "intake-log":
      return performed(await core.intake.log(actor, command.input, request, view));
    case "intake-attach":
      return performed(await core.intake.attach(actor, { id: command.id, reference: command.reference }, request, view));
    case "intake-dismiss": {
      const { record, message } = await core.intake.dismiss(actor, { id: command.id, reason: command.reason, note: command.note });
      // In a channel, the decision only: the email's words stay out of it.
      return options.audience === "shared" ? { kind: "message", message } : { kind: "intake-message", record, message };
    }
    case "intake-keep-closed":
      return { kind: "message", message: (await core.intake.keepClosed(actor, { id: command.id })).message };
    case "intake-here":
    case "intake-off": {
      if (!options.conversation) throw new DomainError("invalid_input", "Type this in the Slack or Teams channel where new emails should (or should no longer) be posted for triage.");
      const message = command.name === "intake-here" ? await core.triage.here(actor, options.conversation) : await core.triage.off(actor, options.conversation);
      return { kind: "message", message };
    }
    case "outgoing": {
      const { reference, items, sensitive } = await core.outgoing.list(actor, command.reference);
      if (sensitive && options.audience === "shared") throw new DomainError("not_permitted", `${reference} is sensitive: read its letters and emails in your direct messages with Postbag, not here.`);
      return { kind: "message", message: outgoingText(reference, items, command.item) };
    }
    case "template-list":
      return { kind: "templates", title: "The office's templates (current versions)", versions: await core.templates.list(actor) };
    case "template-show": {
      const version = command.version === undefined ? undefined : Number(command.version);
      if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new DomainError("invalid_input", "--version takes a version number, like --version 2.", "version");
      return { kind: "template", version: await core.templates.show(actor, command.key, command.form ?? "email", version) };
    }
    case "template-history": {
      const versions = await core.templates.history(actor, command.key, command.form ?? "email");
      return { kind: "templates", title: `Every version of ${versions[0]!.key} (${versions[0]!.form})`, versions };
    }
    case "template-preview": {
      const { version, subject, text, reference } = await core.templates.preview(actor, command.key, command.form ?? "email", command.reference);
      return { kind: "template", version, merged: { reference, subject, text } };
    }
    case "template-set": {
      if (command.text === undefined) {
        throw new DomainError("invalid_input", `Templates are changed from the console, from a file: postbag template set ${command.key} ${command.form} <file>. Here you can show and preview them.`);
      }
      const form = parseInput(templateFormSchema, command.form);
      const saved = await core.templates.save(actor, command.key, form, readTemplateFile(form, command.text), command.note);
      return { kind: "template", version: saved, message: `Saved ${saved.key} (${saved.form}) as version ${saved.version}. Preview it on a case: template preview ${saved.key} <ref> ${saved.form}` };
    }
  }
}

/**
 * Emails hold other people's words and details, and may belong to a sensitive case: they are
 * read where only the reader sees them (a direct message, the console), never listed in a channel.
 * Their triage cards in the triage channel show the first lines only.
 */
function refuseEmailsInChannel(audience: Audience): void {
  if (audience === "shared") throw new DomainError("not_permitted", "Emails may hold personal data: read them in your direct messages with Postbag, not in a channel.");
}

/** Staff, with a warning on whoever Postbag cannot message (the connected platforms asked now) and how to fix it. */
async function staffResult(core: Core, staff: StaffRecord[], message: string): Promise<CommandResult> {
  return { kind: "staff", staff, message, unreachable: await core.reachability.unreachable(staff, { askNow: true }) };
}

/** A case action's result: the case, with the table's sentence confirming what was done; or the file it made (a letter's PDF), kept on the case. */
function performed({ view, message, file, notSent }: { view: CaseView; message: string; file?: { filename: string; mediaType: string; bytes: Uint8Array }; notSent?: true }): CommandResult {
  // A command that drafted but could not send is a refusal (the CLI's exit code says so); the message says the draft is kept.
  if (notSent) throw new DomainError("unavailable", message);
  if (!file) return { kind: "case", view, message };
  const number = view.files?.findLast((listed) => listed.filename === file.filename)?.number;
  const kept = number ? `It is kept on the case as file ${number} (file ${view.reference} ${number} gives it back).` : "It is kept on the case.";
  return { kind: "files", message, files: [{ filename: file.filename, mimeType: file.mediaType, content: file.bytes, title: file.filename }], kept };
}

/** A team in a line: its name, lead, members and the case types routed to it. */
function teamWords(team: TeamRecord): string {
  const routed = team.caseTypes.length ? team.caseTypes.join(", ") : "nothing (cases come only when moved)";
  return `${team.name}: led by ${team.lead?.name ?? "nobody yet"}; members: ${team.members.map((member) => member.name).join(", ") || "none"}; routed: ${routed}.`;
}

function listCases(core: Core, actor: Actor, which: ListName, audience: Audience): Promise<CaseView[]> {
  switch (which) {
    case "mine":
      return core.cases.listMine(actor, audience);
    case "overdue":
      return core.cases.listOverdue(actor, audience);
    case "due-soon":
      return core.cases.listDueSoon(actor, 1, audience);
    case "stale":
      return core.cases.listStale(actor, audience);
    case "unassigned":
      return core.cases.listUnassigned(actor, audience);
    case "force-answers":
      return core.cases.listForceAnswersOverdue(actor, audience);
  }
}
