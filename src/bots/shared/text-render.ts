import { isOutstanding, type CaseView, type DeadlineView } from "../../domain/cases/case-view.ts";
import { constituentText } from "./constituent-text.ts";
import { partnersText } from "./partner-text.ts";
import type { StaffRecord } from "../../domain/staff/staff-record.ts";
import type { UnreachableStaff } from "../../domain/staff/reachability.ts";
import { formatDate, formatDateTime } from "../../domain/calendar/local-date.ts";
import { USAGE } from "./commands.ts";
import type { CommandResult } from "./execute-command.ts";
import { UNREACHABLE_HINT, unreachableTitle, type Digest } from "../../domain/digest/digest.ts";
import type { JobRun } from "../../domain/jobs/job-runs.ts";
import { intakeListText, intakeMessageText } from "./intake-text.ts";
import { templatesText, templateText } from "./template-text.ts";
import { accessLogText, auditText, reportText, retentionText, themesText } from "./report-text.ts";
import { ACK_CONTACT_NOTE, caseFlags, clockLines, constituentCommand, doneWords, fileWords, lateWords, referralWords, relatedWords } from "./case-words.ts";

/** Plain-text rendering of command results: the CLI's output, and any platform's fallback text. */

export function helpText(unknown?: string, prefix = ""): string {
  const lines = Object.values(USAGE).map((usage) => `  ${prefix}${usage}`);
  const intro = unknown ? `Unknown command “${unknown.slice(0, 40)}”. Postbag understands:` : "Postbag commands:";
  return [intro, ...lines].join("\n");
}

function deadlineText(label: string, deadline: DeadlineView): string {
  switch (deadline.state) {
    case "met":
    case "done_late":
      return `${label}: ${doneWords(deadline)} (due ${deadline.dueText})`;
    case "not_applicable":
      return `${label}: –`;
    case "overdue":
      return `${label}: OVERDUE since ${deadline.dueText} (${lateWords(deadline)})`;
    case "due_today":
      return `${label}: due TODAY ${deadline.dueText}`;
    case "stopped":
      return `${label}: clock stopped (not due while the reply is awaited)`;
    default:
      return `${label}: by ${deadline.dueText}`;
  }
}

export function caseLine(view: CaseView): string {
  const who = view.redacted ? "(sensitive)" : `${view.constituent?.name} — ${view.subject}`;
  const flags = caseFlags(view);
  const due = isOutstanding(view.response) ? ` · respond by ${view.response.dueText}` : "";
  return `${view.reference}  ${view.statusLabel.padEnd(16)} ${who} · ${view.assignee?.name ?? "unassigned"}${due}${flags.length ? `  [${flags.join(", ")}]` : ""}`;
}

export function caseText(view: CaseView): string {
  const lines = [
    `${view.reference} · ${view.statusLabel}${view.sensitive ? " · SENSITIVE" : ""}${view.cycle > 1 ? ` · cycle ${view.cycle}` : ""}`,
    view.redacted ? (view.contactForAcknowledgement ? `Sensitive case: ${ACK_CONTACT_NOTE}` : "Sensitive case: details withheld.") : `Subject: ${view.subject}`,
  ];
  if (view.constituent) {
    const contact = [view.constituent.email, view.constituent.phone, view.constituent.address].filter(Boolean).join(" · ");
    lines.push(`Constituent: ${view.constituent.name}${contact ? ` (${contact})` : ""}`);
  }
  lines.push(
    `Kind: ${view.kind} · Channel: ${view.channel} · Received ${view.receivedOnText}`,
    `Assignee: ${view.assignee?.name ?? "unassigned"}`,
    deadlineText("Acknowledgement", view.acknowledgement),
    deadlineText("Response", view.response),
  );
  for (const line of clockLines(view)) lines.push(`${line.urgency === "late" ? "OVERDUE: " : ""}${line.text}`);
  if (view.outcome) lines.push(`Outcome: ${view.outcome}`);
  if (view.stale) lines.push("Stale: no action lately — send the constituent at least an update.");
  if (view.holdingReplyDue) lines.push("Holding reply due: awaiting a partner past the response deadline.");
  if (view.themes.length) lines.push(`Themes: ${view.themes.join(", ")}`);
  const related = relatedWords(view);
  if (related.earlier) lines.push(`${related.earlier}  (see them all: ${constituentCommand(view)})`);
  for (const link of related.links) lines.push(link);
  if (view.summary) lines.push("", view.summary);
  if (view.referrals.length) {
    lines.push("", "Referrals:");
    for (const referral of view.referrals) {
      const { text, urgency } = referralWords(referral);
      lines.push(`  ${referral.partner}: ${urgency === "late" ? "OVERDUE, " : ""}${text}`);
    }
  }
  if (view.files?.length) {
    lines.push("", `Files (get one with: file ${view.reference} <number> --out <path>):`);
    for (const file of view.files) lines.push(`  ${file.number}. ${file.filename} — ${fileWords(file)}`);
  }
  if (view.timeline) {
    const hidden = view.timeline.total - view.timeline.entries.length;
    lines.push("", `Timeline${hidden > 0 ? ` (latest ${view.timeline.entries.length} of ${view.timeline.total})` : ""}:`);
    for (const entry of view.timeline.entries) {
      const text = entry.text && entry.text !== entry.label ? ` — ${entry.text}` : "";
      const recorded = entry.recordedText ? ` [recorded ${entry.recordedText}]` : "";
      lines.push(`  ${entry.onText} ${entry.label}${text} (${entry.actor ?? "system"}, ${entry.platform})${recorded}`);
    }
  }
  return lines.join("\n");
}

/** One person: roles, email and the platforms they are linked on, deactivated or not, and a warning if Postbag cannot message them, with how to put it right. */
function staffLine(staff: StaffRecord, unreachable: readonly UnreachableStaff[] = []): string {
  const ids = [staff.email, staff.slackUserId && `Slack ${staff.slackUserId}`, staff.teamsUserId && `Teams ${staff.teamsUserId}`].filter(Boolean);
  const reach = unreachable.find((person) => person.id === staff.id);
  const warning = !reach ? "" : reach.reasons.includes("no_platform_id") ? " ⚠ no Slack or Teams id: gets no digest" : ` ⚠ can't be reached: ${reach.why}`;
  const fix = reach ? `\n  To fix: ${reach.fix}` : "";
  return `${staff.name} — ${staff.roles.join(", ")}${ids.length ? ` (${ids.join(", ")})` : ""}${staff.active ? "" : " [deactivated]"}${warning}${fix}`;
}

/**
 * After `digest here`: which managers will not receive their own digest and why, with the fix;
 * the channel's digest goes ahead either way.
 */
export function personalDigestReach(unreachableManagers: readonly UnreachableStaff[]): string {
  if (unreachableManagers.length === 0) return "Every manager can be reached for their own digest too.";
  const count = unreachableManagers.length === 1 ? "1 manager" : `${unreachableManagers.length} managers`;
  return [
    `⚠ ${count} will not receive their own digest, because Postbag can't reach them:`,
    ...unreachableManagers.map((person) => `  ${person.name} — ${person.why}. To fix: ${person.fix}`),
  ].join("\n");
}

export function digestText(digest: Digest): string {
  const heading = `${digest.kind === "manager" ? "Office digest" : `Digest for ${digest.recipient?.name}`} — ${digest.asOfText}${digest.late ? " (late: sent after its scheduled time)" : ""}`;
  const lines = [heading, ""];
  for (const section of digest.sections) {
    lines.push(`${section.title}: ${section.count}`);
    for (const view of section.cases) lines.push(`  ${caseLine(view)}`);
    const hidden = section.count - section.cases.length;
    if (hidden > 0) lines.push(`  …and ${hidden} more (see them with: ${section.seeAll})`);
  }
  const unreachable = digest.unreachable ?? [];
  if (unreachable.length) {
    lines.push("", `${unreachableTitle(unreachable.length)}:`, ...unreachable.map((person) => `  ${person.name} — ${person.why}`), `  ${UNREACHABLE_HINT}`);
  }
  for (const disconnected of digest.disconnected ?? []) lines.push("", `⚠ ${disconnected.words}`);
  return lines.join("\n");
}

export function jobsText(runs: JobRun[]): string {
  if (runs.length === 0) return "No scheduled job has run yet.";
  return runs
    .map((run) => `${formatDate(run.day)}  ${run.job.padEnd(16)} ${run.recipient.padEnd(28)} ${run.status}${run.late ? " (late)" : ""}${run.attempts > 1 ? `, ${run.attempts} attempts` : ""}  ${formatDateTime(run.startedAt)}${run.error ? `  — ${run.error}` : run.detail ? `  — ${run.detail}` : ""}`)
    .join("\n");
}

export function resultText(result: CommandResult, commandPrefix = ""): string {
  switch (result.kind) {
    case "help":
      return helpText(result.unknown, commandPrefix);
    case "log-form":
      return `Give the details: ${commandPrefix}${USAGE.log}`;
    case "case":
      return [result.message, caseText(result.view)].filter(Boolean).join("\n\n");
    case "cases":
      return result.views.length === 0
        ? result.empty
        : [`${result.title} (${result.views.length}):`, ...result.views.map(caseLine)].join("\n");
    case "staff":
      return [result.message, ...result.staff.map((staff) => staffLine(staff, result.unreachable))].filter(Boolean).join("\n");
    case "partners":
      return partnersText(result.partners, result.message);
    case "digest":
      return digestText(result.digest);
    case "jobs":
      return jobsText(result.runs);
    case "report":
      return reportText(result.report);
    case "themes":
      return themesText(result.themes);
    case "audit":
      return auditText(result.report);
    case "audit-log":
      return accessLogText(result.events);
    case "files":
      return [result.message, ...result.files.map((file) => `  ${file.filename} (${typeof file.content === "string" ? Buffer.byteLength(file.content) : file.content.byteLength} bytes)`)].join("\n");
    case "message":
      return result.message;
    case "retention":
      return retentionText(result);
    case "constituent":
      return constituentText(result.profile);
    case "intake-list":
      return intakeListText(result.messages, result.all, result.failing);
    case "intake-message":
      return [result.message, intakeMessageText(result.record)].filter(Boolean).join("\n\n");
    case "templates":
      return [result.message, templatesText(result.title, result.versions)].filter(Boolean).join("\n\n");
    case "template":
      return [result.message, templateText(result.version, result.merged)].filter(Boolean).join("\n\n");
  }
}
