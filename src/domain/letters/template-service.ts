import { londonDateOf } from "../calendar/local-date.ts";
import type { CaseView } from "../cases/case-view.ts";
import type { Clock } from "../ports.ts";
import { assertCanCorrect, assertCanWork } from "../cases/permissions.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { Actor } from "../staff/roles.ts";
import { defaultTemplate } from "./default-templates.ts";
import { mergeValuesFor, type OfficeDetails } from "./merge-values.ts";
import { checkTemplate, mergeTemplate, STANDARD_TEMPLATES, TEMPLATE_FORMS, templateFormSchema, templateKeySchema, type MergeValues, type TemplateForm, type TemplateText } from "./templates.ts";

/** One saved version of a template: the words, who saved them and when. Versions are never changed or removed. */
export interface TemplateVersion extends TemplateText {
  key: string;
  form: TemplateForm;
  version: number;
  changedBy: string;
  changedAt: Date;
  note: string | null;
}

export interface TemplateStore {
  /** The newest version of every template, by key then form. */
  latestAll(): Promise<TemplateVersion[]>;
  /** Every version of one template, newest first. */
  history(key: string, form: TemplateForm): Promise<TemplateVersion[]>;
  /** Adds a version; false if that version number was taken meanwhile (another save won). */
  add(version: TemplateVersion): Promise<boolean>;
}

/** Who saved the starting templates. */
const POSTBAG = "Postbag (the standard wording)";

/**
 * The office's templates, kept with every version: anyone working cases reads them; managers
 * change them, each change a new version naming who made it. Sent items name the version used.
 */
export class TemplateService {
  constructor(
    private readonly store: TemplateStore,
    private readonly clock: Clock,
    private readonly letters: {
      office: OfficeDetails;
      /** A case as this person may see it (sensitive details withheld from those who may not). */
      caseView: (actor: Actor, reference: string) => Promise<CaseView>;
    },
  ) {}

  /** The office as its letters name it. */
  get office(): OfficeDetails {
    return this.letters.office;
  }

  /** A template merged with a case, exactly as it would go out now: what a manager checks before and after a change. */
  async preview(actor: Actor, rawKey: unknown, rawForm: unknown, reference: string): Promise<{ version: TemplateVersion; subject: string | null; text: string; reference: string }> {
    const template = await this.show(actor, rawKey, rawForm);
    const view = await this.letters.caseView(actor, reference);
    const values = mergeValuesFor(view, this.letters.office, londonDateOf(this.clock.now()), actor);
    return { ...(await this.merge(template.key, template.form, values)), reference: view.reference };
  }

  /** Saves version 1 of each standard template that has none yet. Run at start; safe to run again, and from two processes at once. */
  async ensureStandard(): Promise<void> {
    const have = new Set((await this.store.latestAll()).map((t) => `${t.key}/${t.form}`));
    for (const key of STANDARD_TEMPLATES) {
      for (const form of TEMPLATE_FORMS) {
        if (have.has(`${key}/${form}`)) continue;
        await this.store.add({ key, form, version: 1, ...defaultTemplate(key, form), changedBy: POSTBAG, changedAt: this.clock.now(), note: "the standard wording" });
      }
    }
  }

  /**
   * Refuses sign-off rules that name no template: a misspelt name would otherwise turn sign-off
   * off for the template meant, silently. Run at start, after the standard templates are saved.
   */
  async assertSignOffNamesTemplates(rules: readonly { template: string }[]): Promise<void> {
    const known = new Set((await this.store.latestAll()).map((t) => t.key));
    const unknown = [...new Set(rules.map((rule) => rule.template).filter((key) => key !== "*" && !known.has(key)))];
    if (unknown.length === 0) return;
    throw new DomainError(
      "invalid_input",
      `POSTBAG_SIGN_OFF names ${unknown.join(", ")}, which ${unknown.length === 1 ? "is not a template" : "are not templates"} (the templates are: ${[...known].sort().join(", ")}). Correct the name, or save the template first (template set), then start Postbag again.`,
    );
  }

  async list(actor: Actor): Promise<TemplateVersion[]> {
    assertCanWork(actor);
    return this.store.latestAll();
  }

  /** The current version of a template, or a named earlier one. */
  async show(actor: Actor, rawKey: unknown, rawForm: unknown, version?: number): Promise<TemplateVersion> {
    assertCanWork(actor);
    const key = parseInput(templateKeySchema, rawKey);
    const form = parseInput(templateFormSchema, rawForm);
    const versions = await this.store.history(key, form);
    const found = version === undefined ? versions[0] : versions.find((v) => v.version === version);
    if (!found) {
      const known = [...new Set((await this.store.latestAll()).map((t) => t.key))];
      throw new DomainError(
        "invalid_input",
        version === undefined ? `There is no ${form} template called ${key}. The templates are: ${known.join(", ")}.` : `${key} (${form}) has no version ${version}; its latest is ${versions[0]?.version ?? "none"}.`,
      );
    }
    return found;
  }

  async history(actor: Actor, rawKey: unknown, rawForm: unknown): Promise<TemplateVersion[]> {
    assertCanWork(actor);
    const key = parseInput(templateKeySchema, rawKey);
    const versions = await this.store.history(key, parseInput(templateFormSchema, rawForm));
    if (!versions.length) throw new DomainError("invalid_input", `There is no template called ${key}.`);
    return versions;
  }

  /**
   * Saves new words for a template (a new one, or the next version of one), checked first: a
   * field that does not exist is refused now, not when a letter is sent.
   */
  async save(actor: Actor, rawKey: unknown, rawForm: unknown, raw: { subject?: string | null; body: string }, note?: string): Promise<TemplateVersion> {
    assertCanCorrect(actor, "change the office's templates");
    const key = parseInput(templateKeySchema, rawKey);
    const form = parseInput(templateFormSchema, rawForm);
    const text = checkTemplate(form, raw);
    const latest = (await this.store.history(key, form))[0];
    if (latest && latest.subject === text.subject && latest.body === text.body) {
      throw new DomainError("invalid_input", `${key} (${form}) already says exactly that (version ${latest.version}); nothing was saved.`);
    }
    const saved: TemplateVersion = { key, form, version: (latest?.version ?? 0) + 1, ...text, changedBy: actor.name, changedAt: this.clock.now(), note: note?.trim() || null };
    if (!(await this.store.add(saved))) {
      throw new DomainError("changed_meanwhile", `Someone saved ${key} (${form}) at the same moment. Show it again and make your change on theirs.`);
    }
    return saved;
  }

  /** A template merged with a case's values: the words that would go out, and the version they came from. */
  async merge(key: string, form: TemplateForm, values: MergeValues): Promise<{ version: TemplateVersion; subject: string | null; text: string }> {
    const version = (await this.store.history(parseInput(templateKeySchema, key), form))[0];
    if (!version) throw new DomainError("invalid_input", `There is no ${form} template called ${key}.`);
    return { version, ...mergeTemplate(version, values) };
  }
}
