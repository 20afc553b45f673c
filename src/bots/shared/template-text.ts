import { formatDateTime } from "../../domain/calendar/local-date.ts";
import type { TemplateVersion } from "../../domain/letters/template-service.ts";
import { emailSubject } from "../../domain/letters/templates.ts";

/** Templates as text: the list, a template's versions, its words, and a preview merged with a case. */

function savedBy(version: TemplateVersion): string {
  return `${version.changedBy}, ${formatDateTime(version.changedAt)}${version.note ? ` — ${version.note}` : ""}`;
}

export function templatesText(title: string, versions: readonly TemplateVersion[]): string {
  const width = Math.max(...versions.map((v) => v.key.length), 4);
  return [title, ...versions.map((v) => `  ${v.key.padEnd(width)}  ${v.form.padEnd(6)}  v${v.version}  ${savedBy(v)}`)].join("\n");
}

export function templateText(version: TemplateVersion, merged?: { reference: string; subject: string | null; text: string }): string {
  const head = `${version.key} (${version.form}), version ${version.version}: saved by ${savedBy(version)}`;
  if (merged) {
    const subject = merged.subject === null ? [] : [`Subject: ${emailSubject(merged.reference, merged.subject)}`];
    return [`${head}\nMerged with ${merged.reference}, exactly as it would go out now:`, "", ...subject, ...(subject.length ? [""] : []), merged.text].join("\n");
  }
  return [head, "", ...(version.subject === null ? [] : [`Subject: ${version.subject}`, ""]), version.body].join("\n");
}
