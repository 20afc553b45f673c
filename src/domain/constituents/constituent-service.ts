import { londonDateOf } from "../calendar/local-date.ts";
import type { CaseStore } from "../cases/case-record.ts";
import { toCaseView, type CaseView } from "../cases/case-view.ts";
import type { RuleContext } from "../cases/lifecycle.ts";
import { canSeeInFull } from "../cases/permissions.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { RequestContext } from "../ports.ts";
import type { AccessLog } from "../privacy/access-log.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import { constituentKeys, type ConstituentKeys } from "./constituent-keys.ts";
import type { ConstituentProfileRecord, ConstituentStore, MergeFill } from "./constituent-store.ts";
import { constituentRefSchema, mergeConstituentsSchema } from "./constituent.schema.ts";
import { decideConstituent, describeCandidate, type ConstituentCandidate, type ConstituentChoice } from "./matching.ts";
import { detailsGiven, mergedCaseChange, mergeFill } from "./merge.ts";

/** Raised when a person being logged is probably someone known: the person logging chooses. */
export class ConstituentUnclear extends DomainError {
  constructor(
    readonly personName: string,
    readonly candidates: ConstituentCandidate[],
  ) {
    const known = candidates.map(describeCandidate).join("; ");
    super(
      "constituent_unclear",
      `${personName} may be someone already on record: ${known}. Say which: log again with --constituent C${candidates[0]!.id} if it is the same person, or --new-person if not.`,
      "constituentChoice",
    );
  }
}

/** The person as a case is logged for them. */
export interface LoggedPerson {
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
}

/** Who a case is logged for: a known record (with the details it lacked, and those given that differ from it), or a new one. */
export interface KnownConstituent {
  id: number | null;
  keys: ConstituentKeys;
  fill: MergeFill;
  /** Details given that differ from the record's ("email a@b"): kept on the case's first entry, never overwriting the record. */
  differs: string[];
}

/** A constituent as one reader may see them. */
export interface ConstituentProfile {
  id: number;
  name: string;
  /** Withheld (null) when one of their cases is sensitive and the reader may not see it in full. */
  contact: { email: string | null; phone: string | null; address: string | null } | null;
  since: string;
  cases: CaseView[];
  /** Records merged into this one, with the details they held (withheld like `contact`). */
  alsoRecordedAs: { id: number; name: string; email: string | null; phone: string | null; mergedOn: string | null }[];
  /** Set when the record asked for was merged into this one. */
  mergedFrom?: number;
}

/** One constituent is one person: matching when logging, their record, and merging two records of one person. */
export class ConstituentService {
  constructor(
    private readonly store: ConstituentStore,
    private readonly cases: CaseStore,
    private readonly rules: () => RuleContext,
    private readonly accessLog?: AccessLog,
  ) {}

  /** Brings records written before comparison keys existed up to date (at start-up). */
  fillMissingKeys(): Promise<number> {
    return this.store.fillMissingKeys(constituentKeys);
  }

  /**
   * Which constituent a case being logged is for: a known one's id, or null for a new record.
   * Refuses with `constituent_unclear` when they are probably someone known but not certainly.
   */
  async forLogging(person: LoggedPerson, choice?: ConstituentChoice): Promise<KnownConstituent> {
    const keys = constituentKeys(person);
    const decision = choice && choice !== "new" ? { kind: "existing" as const, id: choice.existing } : decideConstituent(keys, choice ? [] : await this.store.candidates(keys), choice);
    if (decision.kind === "ask") throw new ConstituentUnclear(person.name, decision.candidates);
    if (decision.kind === "new") return { id: null, keys, fill: {}, differs: [] };
    const known = await this.current(decision.id);
    return { id: known.id, keys, ...detailsGiven(known, person) };
  }

  /** For an import, which cannot ask: a certain match, else a new record (merged later if need be). */
  async forImport(person: { name: string; email: string | null; phone: string | null }): Promise<number | null> {
    const keys = constituentKeys(person);
    const decision = decideConstituent(keys, await this.store.candidates(keys));
    return decision.kind === "existing" ? decision.id : null;
  }

  /** A constituent's record: contact details, every case with its state, the records merged into it. */
  async show(actor: Actor, raw: unknown, platform: RequestContext["platform"] = "cli"): Promise<ConstituentProfile> {
    const asked = await this.resolve(parseInput(constituentRefSchema, raw));
    const person = await this.current(asked.id);
    const records = await this.store.cases(person.id);
    const ctx = this.rules();
    const views = records.map((record) => toCaseView(record, actor, "private", ctx));
    const seesAll = records.every((record) => canSeeInFull(actor, record));
    const merged = await this.store.mergedInto(person.id);
    if (!seesAll) {
      return { id: person.id, name: person.name, contact: null, since: londonDateOf(person.createdAt), cases: views, alsoRecordedAs: merged.map((m) => ({ id: m.id, name: m.name, email: null, phone: null, mergedOn: m.mergedAt && londonDateOf(m.mergedAt) })), ...(asked.id !== person.id ? { mergedFrom: asked.id } : {}) };
    }
    if (records.some((record) => record.sensitive)) await this.accessLog?.record(actor, platform, "sensitive_read", `constituent #${person.id}`, "contact details shown");
    return {
      id: person.id,
      name: person.name,
      contact: { email: person.email, phone: person.phone, address: person.address },
      since: londonDateOf(person.createdAt),
      cases: views,
      alsoRecordedAs: merged.map((m) => ({ id: m.id, name: m.name, email: m.email, phone: m.phone, mergedOn: m.mergedAt && londonDateOf(m.mergedAt) })),
      ...(asked.id !== person.id ? { mergedFrom: asked.id } : {}),
    };
  }

  /**
   * Merges two records of one person (managers, with a reason): every case of `other` moves to
   * `keep`, each with a timeline entry naming both records' details; `other` stays as a record
   * merged into `keep`. A merge stopped half-way is finished by running it again: every case
   * belongs to one of the two records throughout, so none is lost.
   */
  async merge(actor: Actor, raw: unknown, request: RequestContext): Promise<{ keep: ConstituentProfileRecord; other: ConstituentProfileRecord; moved: string[] }> {
    if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", "Only managers can merge constituent records.");
    const input = parseInput(mergeConstituentsSchema, raw);
    const keep = await this.current((await this.resolve(input.keep)).id);
    const other = await this.resolve(input.other);
    if (other.erasedAt || keep.erasedAt) throw new DomainError("invalid_input", "An erased record cannot be merged.");
    if (other.mergedIntoId === keep.id) throw new DomainError("invalid_transition", `C${other.id} was merged into C${keep.id} already.`);
    if (other.mergedIntoId !== null) throw new DomainError("invalid_input", `C${other.id} was merged into C${other.mergedIntoId} already; merge that record instead.`);
    if (other.id === keep.id) throw new DomainError("invalid_input", "Those are the same record.");
    const ctx = this.rules();
    const moved: string[] = [];
    for (const record of await this.store.cases(other.id)) {
      await this.cases.changeCase(record.reference, (current) => mergedCaseChange(current, other, keep, input.reason), {
        actorId: actor.id,
        platform: request.platform,
        at: ctx.now,
      });
      moved.push(record.reference);
    }
    await this.store.markMerged(other.id, keep.id, ctx.now, mergeFill(keep, other));
    await this.accessLog?.record(actor, request.platform, "constituent_merge", `constituent #${other.id} → #${keep.id}`, `${moved.length} case(s) moved${moved.length ? `: ${moved.join(", ")}` : ""}`);
    return { keep, other, moved };
  }

  /** The record asked for: by C-number (#12 or C12) or by one of its case references. */
  private async resolve(ref: { id: number } | { reference: string }): Promise<ConstituentProfileRecord> {
    if ("id" in ref) {
      const found = await this.store.find(ref.id);
      if (!found) throw new DomainError("invalid_input", `No constituent C${ref.id}. Find them with: search <name, email or phone>.`);
      return found;
    }
    const loaded = await this.cases.findCase(ref.reference, { last: 0 });
    if (!loaded) throw new DomainError("case_not_found", `No case ${ref.reference}. Find it with: search <name or subject>.`);
    return (await this.store.find(loaded.record.constituent.id))!;
  }

  /** The record a merged one now lives in (itself when not merged). */
  private async current(id: number): Promise<ConstituentProfileRecord> {
    let found = await this.store.find(id);
    for (let hops = 0; found?.mergedIntoId && hops < 10; hops += 1) found = await this.store.find(found.mergedIntoId);
    if (!found) throw new DomainError("invalid_input", `No constituent C${id}. Find them with: search <name, email or phone>.`);
    return found;
  }
}
