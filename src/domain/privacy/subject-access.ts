import { formatDate, formatDateTime, londonDateOf } from "../calendar/local-date.ts";
import { ENTRY_LABELS, type EntryType } from "../cases/vocabulary.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { Clock, RequestContext } from "../ports.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import { z } from "zod";
import type { AccessLog } from "./access-log.ts";
import type { ConstituentSummary, PrivacyStore } from "./privacy-store.ts";
import type { FileStore } from "../files/file-store.ts";
import { emailKey } from "../constituents/constituent-keys.ts";
import type { IntakeRecord } from "../intake/intake-message.ts";
import { cleanFilename } from "../files/file-rules.ts";

export const constituentQuerySchema = z.string().trim().min(1, "Say whose data: a case reference, email, phone, #id or full name.").max(200);

/** An email of theirs as the bundle holds it: whole, each attachment's bytes in the bundle as `bundleName` (null: not kept). */
export interface SubjectAccessEmail {
  number: number;
  from: string;
  subject: string;
  receivedAt: string;
  text: string;
  attachments: { bundleName: string | null; filename: string; contentType: string; size: number; sha256: string | null }[];
}

export interface SubjectAccessFile {
  constituent: Omit<ConstituentSummary, "references" | "createdAt" | "erasedAt"> & { firstContact: string };
  generatedAt: string;
  /** Their emails on no case (dismissed as not casework, or awaiting triage), whole. */
  emails: SubjectAccessEmail[];
  cases: {
    reference: string;
    channel: string;
    kind: string;
    receivedOn: string;
    subject: string;
    summary: string;
    themes: string[];
    sensitive: boolean;
    status: string;
    outcome: string | null;
    assignee: string | null;
    referrals: { partner: string; sentOn: string; expectedBy: string; repliedOn: string | null }[];
    timeline: { at: string; recordedAt: string | null; type: string; by: string | null; platform: string; text: string }[];
    /** The case's files; each one's bytes are in the bundle as `bundleName`. */
    files: { bundleName: string; filename: string; mediaType: string; size: number; sha256: string; addedAt: string; addedBy: string | null; source: string }[];
    /**
     * Emails they (or others about them) sent in, whole: each attachment's bytes are in the bundle
     * as `bundleName` (those the case holds as files are among its files too).
     */
    emails: SubjectAccessEmail[];
    /** Letters and emails written to or about them, drafts included, with their words. */
    letters: { number: number; template: string; form: string; status: string; to: string; email: string | null; address: string | null; subject: string | null; text: string; draftedAt: string; sentAt: string | null; sha256: string | null }[];
  }[];
}

/** A file of the bundle with its bytes (a scanned letter, a photo), beside the JSON and the text. */
export interface SubjectAccessAttachment {
  bundleName: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface SubjectAccessResult {
  file: SubjectAccessFile;
  json: string;
  text: string;
  baseName: string;
  attachments: SubjectAccessAttachment[];
}

/** Finds exactly one constituent, or says how to narrow the search. Shared with erasure. */
export async function oneConstituent(store: PrivacyStore, raw: unknown): Promise<ConstituentSummary> {
  const query = parseInput(constituentQuerySchema, raw);
  const found = (await store.findConstituents(query)).filter((c) => !c.erasedAt);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new DomainError("invalid_input", `Nobody on record matches “${query}”. Try a case reference, email or phone number.`);
  const choices = found.slice(0, 10).map((c) => `#${c.id} (${c.references.slice(0, 3).join(", ") || "no cases"})`);
  throw new DomainError("invalid_input", `“${query}” matches ${found.length} constituents: ${choices.join("; ")}. Use #<id> or a case reference.`);
}

/**
 * The emails on no case from the person's addresses (theirs, and those of records merged into
 * theirs) that nobody else on record shares: a shared address's emails may be the other person's.
 */
export async function emailsOnlyFrom(store: PrivacyStore, person: ConstituentSummary): Promise<IntakeRecord[]> {
  const addresses = new Set<string>();
  for (const email of [person.email, ...person.alsoRecordedAs.map((merged) => merged.email)]) {
    const key = emailKey(email);
    if (key) addresses.add(key);
  }
  const theirs: string[] = [];
  for (const address of addresses) {
    const others = (await store.findConstituents(address)).filter((found) => !found.erasedAt && found.id !== person.id);
    if (others.length === 0) theirs.push(address);
  }
  return theirs.length ? store.emailsFrom(theirs) : [];
}

/**
 * Subject access (UK GDPR art. 15): everything held about one constituent, as JSON and as
 * readable text. Managers only; every request is written to the audit log.
 */
export class SubjectAccessService {
  constructor(
    private readonly store: PrivacyStore,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
    /** Where the cases' files are kept: their bytes go in the bundle. */
    private readonly files?: FileStore,
  ) {}

  async subjectAccess(actor: Actor, raw: unknown, request: RequestContext): Promise<SubjectAccessResult> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can answer subject access requests.");
    const person = await oneConstituent(this.store, raw);
    const cases = await this.store.casesOf(person.id);
    const onNoCase = await emailsOnlyFrom(this.store, person);
    const now = this.clock.now();
    const file: SubjectAccessFile = {
      constituent: {
        id: person.id,
        name: person.name,
        email: person.email,
        phone: person.phone,
        address: person.address,
        firstContact: person.createdAt.toISOString(),
        alsoRecordedAs: person.alsoRecordedAs,
      },
      generatedAt: now.toISOString(),
      emails: onNoCase.map((email) => bundledEmail(email, (attachment, index) => (attachment.sha256 ? `email-${email.id}-${index + 1}-${cleanFilename(attachment.filename)}` : null))),
      cases: cases.map(({ record, timeline, files, outgoing = [], emails = [] }) => ({
        reference: record.reference,
        channel: record.channel,
        kind: record.kind,
        receivedOn: record.receivedOn,
        subject: record.subject,
        summary: record.summary,
        themes: record.themes,
        sensitive: record.sensitive,
        status: record.status,
        outcome: record.outcome,
        assignee: record.assignee?.name ?? null,
        referrals: record.referrals.map((r) => ({ partner: r.partner, sentOn: londonDateOf(r.sentAt), expectedBy: r.expectedBy, repliedOn: r.repliedAt ? londonDateOf(r.repliedAt) : null })),
        timeline: timeline.map((e) => ({ at: e.at.toISOString(), recordedAt: e.recordedAt?.toISOString() ?? null, type: e.type, by: e.actor?.name ?? null, platform: e.platform, text: e.text })),
        files: files.map((f, index) => ({
          bundleName: `${record.reference}-${index + 1}-${f.filename}`,
          filename: f.filename,
          mediaType: f.mediaType,
          size: f.size,
          sha256: f.sha256,
          addedAt: f.addedAt.toISOString(),
          addedBy: f.addedBy?.name ?? null,
          source: f.source,
        })),
        emails: emails.map((email) => bundledEmail(email, (attachment, index) => emailAttachmentBundleName(record.reference, files, email.id, index, attachment))),
        letters: outgoing.map((item) => ({
          number: item.number,
          template: item.templateKey,
          form: item.form,
          status: item.status,
          to: item.recipient.name,
          email: item.recipient.email,
          address: item.recipient.address,
          subject: item.subject,
          text: item.text,
          draftedAt: item.draftedAt.toISOString(),
          sentAt: item.sentAt?.toISOString() ?? null,
          sha256: item.sha256,
        })),
      })),
    };
    const attachments: SubjectAccessAttachment[] = [];
    for (const [index, { files }] of cases.entries()) {
      if (!this.files) break;
      for (const [at, listed] of file.cases[index]!.files.entries()) {
        attachments.push({ bundleName: listed.bundleName, mediaType: listed.mediaType, bytes: await this.files.get(files[at]!.sha256) });
      }
      for (const email of file.cases[index]!.emails) {
        for (const attachment of email.attachments) {
          // One the case holds as a file is in the bundle once, under the file's name.
          if (attachment.bundleName && attachment.sha256 && !attachments.some((added) => added.bundleName === attachment.bundleName)) attachments.push({ bundleName: attachment.bundleName, mediaType: attachment.contentType, bytes: await this.files.get(attachment.sha256) });
        }
      }
    }
    for (const email of file.emails) {
      for (const attachment of email.attachments) {
        if (this.files && attachment.bundleName && attachment.sha256) attachments.push({ bundleName: attachment.bundleName, mediaType: attachment.contentType, bytes: await this.files.get(attachment.sha256) });
      }
    }
    await this.accessLog.record(actor, request.platform, "subject_access", `constituent #${person.id}`, `${cases.length} case(s): ${cases.map((c) => c.record.reference).join(", ")}`);
    return { file, json: JSON.stringify(file, null, 2), text: subjectAccessText(file), baseName: `subject-access-${person.id}-${londonDateOf(now)}`, attachments };
  }
}

/** An email as the bundle holds it: whole, with where each attachment's bytes are in the bundle. */
function bundledEmail(email: IntakeRecord, bundleName: (attachment: IntakeRecord["attachments"][number], index: number) => string | null): SubjectAccessEmail {
  return {
    number: email.id,
    from: [email.fromName, email.fromAddress ? `<${email.fromAddress}>` : ""].filter(Boolean).join(" "),
    subject: email.subject,
    receivedAt: (email.deliveredAt ?? email.sentAt ?? email.recordedAt).toISOString(),
    text: email.text,
    attachments: email.attachments.map((attachment, index) => ({ bundleName: bundleName(attachment, index), filename: attachment.filename, contentType: attachment.contentType, size: attachment.size, sha256: attachment.sha256 })),
  };
}

/** Where an email's attachment is in the bundle: as the case's file when the case holds it, else under a name of its own; null when its bytes were not kept. */
function emailAttachmentBundleName(reference: string, files: readonly { sha256: string; filename: string }[], emailId: number, index: number, attachment: { sha256: string | null; filename: string }): string | null {
  if (!attachment.sha256) return null;
  const asFile = files.findIndex((file) => file.sha256 === attachment.sha256);
  if (asFile >= 0) return `${reference}-${asFile + 1}-${files[asFile]!.filename}`;
  return `${reference}-email-${emailId}-${index + 1}-${cleanFilename(attachment.filename)}`;
}

export function subjectAccessText(file: SubjectAccessFile): string {
  const c = file.constituent;
  const lines = [
    `Subject access: everything the office holds about ${c.name}`,
    `Prepared ${formatDateTime(new Date(file.generatedAt))}`,
    "",
    `Name: ${c.name}`,
    `Email: ${c.email ?? "–"}`,
    `Phone: ${c.phone ?? "–"}`,
    `Address: ${c.address ?? "–"}`,
    `On record since: ${formatDateTime(new Date(c.firstContact))}`,
    ...c.alsoRecordedAs.map((other) => `Also recorded as: ${[other.name, other.email, other.phone, other.address].filter(Boolean).join(", ")} (record #${other.id}, merged into this one)`),
    `Cases: ${file.cases.length}`,
  ];
  if (file.emails.length) lines.push("", `Emails from them on no case (not casework, or awaiting triage): ${file.emails.length}`);
  for (const email of file.emails) lines.push(...emailLines(email));
  for (const k of file.cases) {
    lines.push(
      "",
      `== ${k.reference}: ${k.subject}`,
      `Received ${formatDate(k.receivedOn)} by ${k.channel}; ${k.kind}; status ${k.status}${k.outcome ? ` (${k.outcome})` : ""}`,
      `Handled by: ${k.assignee ?? "unassigned"}${k.sensitive ? " · marked sensitive" : ""}`,
    );
    if (k.themes.length) lines.push(`Themes: ${k.themes.join(", ")}`);
    if (k.summary) lines.push("", k.summary);
    for (const r of k.referrals) lines.push(`Referred to ${r.partner} on ${formatDate(r.sentOn)}${r.repliedOn ? `, replied ${formatDate(r.repliedOn)}` : `, no reply yet (expected by ${formatDate(r.expectedBy)})`}`);
    if (k.files.length) lines.push("", "Files (each is in this bundle under the name shown):", ...k.files.map((f) => `  ${f.bundleName} — ${f.mediaType}, ${f.size} bytes, added ${formatDateTime(new Date(f.addedAt))} by ${f.addedBy ?? "system"}; SHA-256 ${f.sha256}`));
    for (const email of k.emails) lines.push(...emailLines(email));
    for (const letter of k.letters) {
      const sent = letter.sentAt ? `, ${letter.form === "email" ? "sent" : "made"} ${formatDateTime(new Date(letter.sentAt))}` : "";
      lines.push("", `Letter or email ${letter.number} (${letter.template} ${letter.form} to ${letter.to}; ${letter.status.replace(/_/g, " ")}${sent}):`, ...(letter.subject !== null ? [`Subject: ${letter.subject}`] : []), letter.text);
    }
    lines.push("", "Timeline:");
    for (const e of k.timeline) {
      const recorded = e.recordedAt ? ` [recorded ${formatDateTime(new Date(e.recordedAt))}]` : "";
      lines.push(`  ${formatDateTime(new Date(e.at))}  ${ENTRY_LABELS[e.type as EntryType] ?? e.type}${e.text ? ` — ${e.text}` : ""} (${e.by ?? "system"}, ${e.platform})${recorded}`);
    }
  }
  return lines.join("\n");
}

function emailLines(email: SubjectAccessEmail): string[] {
  return [
    "",
    `Email #${email.number} received ${formatDateTime(new Date(email.receivedAt))} from ${email.from || "(no sender)"}:`,
    `Subject: ${email.subject || "(no subject)"}`,
    email.text,
    ...email.attachments.map((attachment) => `  Attachment: ${attachment.filename} (${attachment.contentType}, ${attachment.size} bytes)${attachment.bundleName ? ` — in this bundle as ${attachment.bundleName}` : " — its content was not kept"}`),
  ];
}
