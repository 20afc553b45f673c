import Mustache from "mustache";
import { z } from "zod";
import { DomainError } from "../errors.ts";

/**
 * The office's letter and email templates: which there are, the merge fields they may name,
 * and the check a template passes when it is saved (never discovered when a letter is sent).
 * Templates are Mustache: logic-less, `{{field}}` only. Pure: storage is the template store's.
 */

/** The templates every office has; an office may add its own (a key of its choosing). */
export const STANDARD_TEMPLATES = ["acknowledgement", "holding", "response", "referral", "more-information", "satisfaction"] as const;

/** Templates written once a case is closed (the optional satisfaction question): every other needs the case open. */
export const AFTER_CLOSING_TEMPLATES: readonly string[] = ["satisfaction"];

export const TEMPLATE_LABELS: Record<(typeof STANDARD_TEMPLATES)[number], string> = {
  acknowledgement: "Acknowledgement",
  holding: "Holding reply (awaiting a partner)",
  response: "Full response",
  referral: "Referral to a partner",
  "more-information": "We need more information",
  satisfaction: "How satisfied are you? (after closing)",
};

/** Each template has an email form (subject and body) and a letter form (body; the letterhead, address and signature come from the office). */
export const TEMPLATE_FORMS = ["email", "letter"] as const;
export type TemplateForm = (typeof TEMPLATE_FORMS)[number];

export const templateKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, "A template's name is 2–40 lower-case letters, digits or dashes, starting with a letter (for example more-information).");

export const templateFormSchema = z.enum(TEMPLATE_FORMS, { error: "Say which form: email or letter." });

/** The merge fields, each with what it holds, as shown to whoever edits a template. */
export const MERGE_FIELDS = {
  "constituent.name": "the constituent's name as recorded",
  "constituent.email": "the constituent's email address",
  "constituent.address": "the constituent's postal address",
  reference: "the case reference (PFCC-2026-0042)",
  subject: "the case's subject",
  receivedOn: "the day the item was received (4 December 2026)",
  acknowledgeBy: "the acknowledgement deadline (8 December 2026)",
  respondBy: "the response deadline (18 December 2026)",
  today: "the day the letter is written",
  "caseworker.name": "the caseworker assigned to the case (else the person writing)",
  "partner.name": "the partner a referral goes to (referrals only)",
  "office.name": "the office's name",
  "office.address": "the office's postal address",
  "office.email": "the office's email address",
  "office.signature": "the office's sign-off (name and role of who signs for the office)",
} as const;
export type MergeField = keyof typeof MERGE_FIELDS;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(MERGE_FIELDS));

const MAX_SUBJECT = 200;
const MAX_BODY = 20_000;

export interface TemplateText {
  /** The email form's subject; a letter has none. */
  subject: string | null;
  body: string;
}

type MustacheToken = [string, string, number, number, MustacheToken[]?, ...unknown[]];

/** The fields a template names, refusing what a logic-less office template has no use for. */
function namedFields(text: string, part: string): string[] {
  let tokens: MustacheToken[];
  try {
    tokens = Mustache.parse(text) as unknown as MustacheToken[];
  } catch (error) {
    throw new DomainError("invalid_input", `The ${part} cannot be read as a template: ${(error as Error).message}. Fields are written {{field}}.`, part);
  }
  const names: string[] = [];
  const walk = (list: MustacheToken[]) => {
    for (const token of list) {
      const [type, value] = token;
      if (type === "text" || type === "!") continue;
      if (type === "&") {
        throw new DomainError("invalid_input", `Write {{${value}}}, not {{{${value}}}} or {{& ${value}}}: Postbag makes every field safe for email itself.`, part);
      }
      if (type === ">" || type === "=") {
        throw new DomainError("invalid_input", `The ${part} uses {{${type}…}}, which office templates do not: write plain text and {{field}} only.`, part);
      }
      names.push(value);
      // A section ({{#field}}…{{/field}}: shown only when the field has a value) names fields inside it too.
      if ((type === "#" || type === "^") && token[4]) walk(token[4]);
    }
  };
  walk(tokens);
  return names;
}

/**
 * Checks a template as it is saved: it reads as a template, names only known fields, and fits.
 * The refusal names every unknown field and the fields there are.
 */
export function checkTemplate(form: TemplateForm, raw: { subject?: string | null; body: string }): TemplateText {
  const body = raw.body.replace(/\r\n?/g, "\n").trim();
  const subject = form === "email" ? (raw.subject ?? "").replace(/\s+/g, " ").trim() : null;
  if (!body) throw new DomainError("invalid_input", "The template has no text. Write the letter, with {{field}} where the case's details go.", "body");
  if (body.length > MAX_BODY) throw new DomainError("invalid_input", `A template is at most ${MAX_BODY} characters; this one has ${body.length}.`, "body");
  if (form === "email" && !subject) throw new DomainError("invalid_input", "An email template needs a subject: its first line, `Subject: …`.", "subject");
  if (subject && subject.length > MAX_SUBJECT) throw new DomainError("invalid_input", `A subject is at most ${MAX_SUBJECT} characters.`, "subject");
  const unknown = [...new Set([...(subject ? namedFields(subject, "subject") : []), ...namedFields(body, "body")])].filter((name) => !KNOWN_FIELDS.has(name));
  if (unknown.length) {
    throw new DomainError(
      "invalid_input",
      `The template names ${unknown.map((name) => `{{${name}}}`).join(", ")}, which ${unknown.length === 1 ? "is not a field" : "are not fields"}. The fields are: ${[...KNOWN_FIELDS].map((name) => `{{${name}}}`).join(", ")}.`,
      "body",
    );
  }
  return { subject, body };
}

/**
 * A template file as a manager writes it: for the email form, a first line `Subject: …`, then
 * the body; for the letter form, the body alone.
 */
export function readTemplateFile(form: TemplateForm, text: string): { subject: string | null; body: string } {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (form === "letter") return { subject: null, body: normalised };
  const match = normalised.match(/^\s*subject:[ \t]*(.*)\n([\s\S]*)$/i);
  if (!match) throw new DomainError("invalid_input", "Start an email template's file with its subject line: `Subject: …`, then the body.", "subject");
  return { subject: match[1]!, body: match[2]! };
}

/** The values a template is merged with: the fields above, as nested objects for Mustache. */
export type MergeValues = Partial<Record<MergeField, string | null>>;

function nested(values: MergeValues): Record<string, unknown> {
  const view: Record<string, Record<string, string> | string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === "") continue;
    const [head, tail] = field.split(".") as [string, string | undefined];
    if (tail === undefined) view[head] = value;
    else view[head] = { ...((view[head] as Record<string, string> | undefined) ?? {}), [tail]: value };
  }
  return view;
}

/**
 * Merges a template. The words are rendered as plain text (a field's value exactly as recorded);
 * the email's HTML is that text escaped whole, paragraph by paragraph — so neither a field's
 * value nor a template's own text can ever become markup in what is sent.
 */
export function mergeTemplate(template: TemplateText, values: MergeValues): { subject: string | null; text: string } {
  const view = nested(values);
  const plain = (text: string) => Mustache.render(text, view, {}, { escape: (value: unknown) => String(value) });
  return { subject: template.subject === null ? null : plain(template.subject).replace(/\s+/g, " ").trim(), text: plain(template.body).trim() };
}

/** An email's subject as sent: the case reference first, in brackets, so a reply threads back onto the case. */
export function emailSubject(reference: string, subject: string): string {
  return subject.includes(`[${reference}]`) ? subject : `[${reference}] ${subject}`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** The email's HTML body: the merged text, escaped, a paragraph per blank-line-separated block. */
export function emailHtml(text: string): string {
  const escape = (value: string) => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escape(paragraph).replace(/\n/g, "<br>\n")}</p>`)
    .join("\n");
}
