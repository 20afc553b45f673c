import type { z } from "zod";
import { formatDate } from "../calendar/local-date.ts";
import type { Actor } from "../staff/roles.ts";
import { canWork, hasRole } from "../staff/roles.ts";
import type { PartnerRecord } from "../partners/partner-store.ts";
import type { NewCaseFile } from "../files/case-files.ts";
import { formatSize } from "../files/file-rules.ts";
import type { CaseChange, CaseRecord, NewEntry } from "./case-record.ts";
import type { Audience, CaseView } from "./case-view.ts";
import {
  acknowledgeSchema,
  addEntrySchema,
  assignSchema,
  attachSchema,
  chaseSchema,
  closeSchema,
  correctReceiptSchema,
  editDetailsSchema,
  linkSchema,
  partnerReplySchema,
  referSchema,
  reopenSchema,
  respondSchema,
  setSensitiveSchema,
  voidSchema,
} from "./case.schema.ts";
import * as lifecycle from "./lifecycle.ts";
import { CLOCK_ACTIONS } from "../clocks/clock-actions.ts";
import { TEAM_ACTIONS } from "../teams/team-actions.ts";
import { SATISFACTION_ACTIONS } from "../satisfaction/satisfaction.ts";
import type { TeamRecord } from "../teams/team.ts";
import * as letters from "../letters/outgoing-steps.ts";
import type { OutgoingStep } from "../letters/outgoing-service.ts";
import { draftSchema, itemSchema, redraftSchema, sendBackSchema, sendNewSchema, sendSchema } from "../letters/outgoing.schema.ts";
import {
  isOpenItem,
  isReadyToSend,
  needsAddressConfirmed,
  needsPartner,
  subjectAfterReference,
  templateLabel,
  type DraftProposal,
  type OutgoingItem,
  type OutgoingOnCase,
  type PreparedOutgoing,
} from "../letters/outgoing.ts";
import { DRAFTS, draftPreview, draftsFor, writableItems, itemOf, itemPreview, lettersOnOwnScreen, ownWordsOnly, sendNowPreview, WORDS, wordsFitOnCard } from "../letters/letter-controls.ts";
import { AFTER_CLOSING_TEMPLATES } from "../letters/templates.ts";
import { assertCanAssign, assertCanCorrect, assertCanEditDetails, assertCanHandleIntake, assertCanProgress, canAssignOthers, canEditDetails, canSeeInFull } from "./permissions.ts";
import { ACK_METHODS, CHANNELS, ENTRY_LABELS, FINISHED, KINDS, OUTCOMES, WORK_ENTRY_TYPES, type EntryType, type WorkEntryType } from "./vocabulary.ts";

/**
 * Every action on an existing case, defined once: its input, who may do it (checked with
 * the lifecycle's decision, on the case as it is when the change is written), the sentence
 * that confirms it, and how people ask for it — the command words, the form's fields, the
 * button on the case card. `CaseService.perform` carries them all; the CLI grammar, Slack's
 * buttons and modals and Teams' verbs and forms are all read from this table. An action is
 * added here, with its rule in lifecycle.ts and its test.
 */

/** What an action's decision sees. `assignee` is the person an assignment names, resolved beforehand. */
export interface ActionContext<Input> {
  actor: Actor;
  record: CaseRecord;
  input: Input;
  rules: lifecycle.RuleContext;
  assignee?: Actor;
  /** The other case an action names (to link to, the original of a duplicate), resolved beforehand. */
  other?: lifecycle.LinkTarget;
  /** The directory's entry for the partner an action names, found beforehand (by name or alias). */
  partner?: PartnerRecord;
  /** The file an action carries, checked and put in the file store beforehand (its bytes are not here). */
  file?: NewCaseFile;
  /** The letter or email an action works on, prepared beforehand (merged, sent, made: see `outgoing`). */
  item?: PreparedOutgoing;
  /** The team an action names (to move the case to its queue), found beforehand. */
  team?: TeamRecord;
  /** The case's letters and emails, read beforehand for an action that `readsLetters`. */
  letters?: readonly OutgoingOnCase[];
}

/** The words after a command, as the shared command parser hands them over. */
export interface SaidCommand {
  /** The command word used (`call`, `note`…). */
  word: string;
  /** Words after it, flags removed; the first is the case reference. */
  words: readonly string[];
  flag(name: string): string | undefined;
  /** Refuses with the action's usage unless at least `count` words follow the command. */
  need(count: number, problem: string): void;
}

export interface ActionWords {
  /** Command words that start the action; the first is the one help shows. */
  words: readonly string[];
  /** The whole usage line help shows. */
  usage: string;
  /** Flags that take no value (`--in`). */
  switches?: readonly string[];
  read: (said: SaidCommand) => Record<string, unknown>;
}

export interface Choice {
  value: string;
  label: string;
}

/** One input of an action's form; `name` is the input's name in the action's schema. */
export interface FormField {
  name: string;
  label: string;
  /**
   * `partner`: a choice of the partner directory's entries (the form says so when it has none);
   * `staff`: a choice of the active staff who may hold cases (StaffService.assignable), sent as their id.
   * `team`: a choice of the office's teams (TeamService.list), sent as the team's name.
   */
  kind: "text" | "long_text" | "number" | "date" | "choice" | "partner" | "staff" | "team";
  required?: boolean;
  hint?: string;
  placeholder?: string;
  min?: number;
  max?: number;
  choices?: (view: CaseView) => Choice[];
  /** The value the form starts with, from the case as shown (and what its control carried). */
  initial?: (view: CaseView, start: FormStart) => string | undefined;
  /** Whether this case needs the field at all (default: yes). */
  asked?: (view: CaseView, start: FormStart) => boolean;
}

/** What a form starts from besides the case: the value its control carried, and what the core worked out first. */
export interface FormStart {
  /** The value of the action's `variants.field` its control carried (a template's key, a letter's number). */
  value?: string | number;
  /** For a form that `proposes`: the draft merged from its template before the form opens (null: merged once the partner is chosen). */
  proposal?: DraftProposal | null;
}

/** A part of what will go out, shown above a form's inputs: `label` is Postbag's words, `text` may be anyone's (shown as typed). */
export interface FormPreview {
  label: string;
  text: string;
}

export interface ActionForm {
  /** Its title; a form opened by one of several controls may say which (`Draft acknowledgement`). At most 24 characters (Slack). */
  title: string | ((start: FormStart) => string);
  submit: string;
  fields: readonly FormField[];
  /** The card's menu item that opens the form when the button acts at once (`Acknowledged earlier…`). */
  menuLabel?: string;
  /** Whether the card offers that menu item (default: wherever it offers the button); it may be offered where the button is not. */
  menuOffer?: (ctx: OfferContext) => boolean;
  /** What will go out, shown above the inputs: where a letter goes, the words being sent. */
  preview?: (view: CaseView, start: FormStart) => FormPreview[];
  /** Whether the form starts from the letters desk's proposal: the template its control names, merged with the case (`OutgoingDesk.propose`). */
  proposes?: true;
}

/** One of several controls for an action, each carrying its own value (a template to draft from, a letter to send). */
export interface ActionVariant {
  /** The value it carries in the action's `variants.field`. */
  value: string | number;
  label: string;
  style?: "primary" | "danger";
  /** Acts at once with that value; otherwise it opens the action's form. */
  atOnce?: boolean;
}

/**
 * An action a card offers several times over, each control filling one input: a draft for each
 * template that applies, a step for each letter or email it can be taken on. Cards show
 * template controls under the case's letters and emails, item controls beside their item.
 */
export interface ActionVariants {
  /** The input each control fills: `template` (which to draft from) or `item` (which letter or email). */
  field: "template" | "item";
  /** The controls offered, in order (the action is offered when `offer` says so and there is one). */
  offer: (ctx: OfferContext) => ActionVariant[];
}

export interface ActionButton {
  label: string;
  style?: "primary" | "danger";
  /** In the card's menu ("More…") rather than among its buttons. */
  secondary?: boolean;
  /** The input a button that acts at once sends; without it the button opens the form. */
  atOnce?: Record<string, unknown>;
}

/** Whom a card is for, to decide which actions it offers. */
export interface OfferContext {
  record: CaseRecord;
  actor: Actor;
  audience: Audience;
  /** Whether the actor may see the case in full. */
  fullAccess: boolean;
  /** The case's letters and emails, on a card of the case read in full (absent elsewhere: no step on one is offered). */
  items?: readonly OutgoingOnCase[];
  /** Whether a letter or email from this template needs a manager's sign-off on this case (the office's rules; absent: unknown, so nothing is offered to send at once). */
  needsSignOff?: (template: string) => boolean;
}

type InputSchema = z.ZodType<{ reference: string; version?: number }>;

export interface CaseActionSpec<Schema extends InputSchema> {
  schema: Schema;
  /** Whether the input names a member of staff to look up first (the assignee). */
  namesAssignee?: (input: z.output<Schema>) => number | string;
  /** Whether the input names a team to find first (the queue a case moves to). */
  namesTeam?: (input: z.output<Schema>) => string | undefined;
  /** Whether the rule reads the case's letters and emails (what was asked of the person): read first, handed to `decide`. */
  readsLetters?: true;
  /** Whether the input names another case to look up first (to link to). */
  namesCase?: (input: z.output<Schema>) => string | undefined;
  /**
   * Whether the input names a partner to find in the partner directory first. `strict` refuses
   * a name the directory does not know (a new referral); otherwise an unknown name is left as
   * typed, for the case to say which partners it awaits.
   */
  namesPartner?: { typed: (input: z.output<Schema>) => string | undefined; strict: boolean };
  /**
   * Whether the input carries a file's bytes (`bytes`, `filename`): the core checks its size and
   * type and puts it in the file store before deciding, and the decision sees it as `file`.
   */
  carriesFile?: true;
  /**
   * Whether the action is a step of a letter or email (domain/letters): the core's desk prepares
   * it before deciding — merges the template, reads new words, sends the email or makes the PDF —
   * and the decision sees it as `item`. An email is sent before its step is written, and only a
   * sent one is recorded.
   */
  outgoing?: OutgoingStep;
  /** Whether the step may carry the day it happened (`happenedOn`) when recorded later. */
  datable?: true;
  /** The change it makes to the case; absent only for an act made of two other actions (`draftThenSend`), each deciding its own. */
  decide?: (ctx: ActionContext<z.output<Schema>>) => CaseChange;
  /**
   * An act of one person that is two actions of this table in turn — a draft, then its send —
   * each decided, written and kept on the timeline as if asked for alone (CaseService.perform
   * orchestrates them). Everything the send would refuse is checked before the draft is written
   * (`OutgoingDesk.assertSendsAtOnce`), so only the sending itself can fail afterwards: the
   * draft then stays, and the person is told why.
   */
  draftThenSend?: {
    draft: (input: z.output<Schema>) => Record<string, unknown>;
    send: (input: z.output<Schema>, item: number) => Record<string, unknown>;
  };
  /** `file`: the file the action carried, as stored. */
  confirm: (view: CaseView, input: z.output<Schema>, carried?: { file?: NewCaseFile; item?: PreparedOutgoing }) => string;
  /** What the case-log channel is told ("Closed" → "Closed by Maya Manager."), if anything. */
  announce?: string;
  /** For a correction of the record: what the audit log calls it; a function says so only when the change it decided was one (null: it was not). */
  correction?: string | ((entry: NewEntry) => string | null);
  /** Whether it changes what a channel may see (the sensitive marker), so cards posted there are updated. */
  changesChannelView?: true;
  command: ActionWords;
  form?: ActionForm;
  button: ActionButton;
  /** Whether the card offers the action (the core still decides when it is asked). */
  offer: (ctx: OfferContext) => boolean;
  /** Several controls in place of the one button, each with its own value (see ActionVariants). */
  variants?: ActionVariants;
  /**
   * What a control on an older card of the case rests on besides being offered: an entry of
   * one of these types written since the card was shown means the person acted on something
   * that has changed, and is refused (stale-card.ts). For a step on a letter or email, only
   * entries about that one count. Absent: nothing written meanwhile conflicts.
   */
  restsOn?: readonly EntryType[];
}

function action<Schema extends InputSchema>(spec: CaseActionSpec<Schema>): CaseActionSpec<Schema> {
  return spec;
}

const choices = (values: readonly string[], label: (value: string) => string = (value) => value.replace(/[-_]/g, " ")) => () =>
  values.map((value) => ({ value, label: label(value) }));

const WHEN: FormField = { name: "happenedOn", label: "When it happened", kind: "date", hint: "Leave empty for today. A day before today is kept as when it happened; the timeline also shows when you recorded it." };
const NOTE: FormField = { name: "text", label: "Note", kind: "long_text" };
const REASON = (label: string): FormField => ({ name: "reason", label, kind: "long_text", required: true });

const on = (said: SaidCommand) => said.flag("on");
const rest = (said: SaidCommand, from = 1) => said.words.slice(from).join(" ");

/** Work words that go both ways: what was sent, then what was received. */
const IN_OUT: Record<string, [WorkEntryType, WorkEntryType]> = { call: ["call_out", "call_in"], email: ["email_out", "email_in"], letter: ["letter_out", "letter_in"] };
const ONE_WAY: Record<string, WorkEntryType> = { note: "note", meeting: "meeting", holding: "holding_reply", "holding-reply": "holding_reply" };
const whenSaid = (input: { happenedOn?: string }) => (input.happenedOn ? ` (${formatDate(input.happenedOn)})` : "");

/** Worked on: open, not finished, and (on a shared card) not sensitive; on one's own screen, seen in full. */
function workable({ record, actor, audience, fullAccess }: OfferContext): boolean {
  if (FINISHED.includes(record.status)) return false;
  return audience === "shared" ? !record.sensitive : canWork(actor) && fullAccess;
}

/** Corrections are offered on a person's own screen only, to those who may make them. */
function managerOnOwnScreen({ record, actor, audience }: OfferContext): boolean {
  return audience === "private" && record.status !== "voided" && hasRole(actor, "manager");
}

const MONTHS = "YYYY-MM-DD";

export const CASE_ACTIONS = {
  acknowledge: action({
    schema: acknowledgeSchema,
    datable: true,
    decide: ({ actor, record, input, rules }) => {
      assertCanHandleIntake(actor);
      return lifecycle.acknowledge(record, input.method, rules);
    },
    confirm: (view, input) => `Acknowledged ${view.reference}${whenSaid(input)}.`,
    command: {
      words: ["ack", "acknowledge"],
      usage: `ack <ref> [${ACK_METHODS.join("|")}] [--on ${MONTHS}]`,
      read: (said) => {
        said.need(1, "Say which case");
        return { reference: said.words[0], method: said.words[1]?.toLowerCase(), happenedOn: on(said) };
      },
    },
    form: {
      title: "Acknowledged earlier",
      submit: "Record",
      menuLabel: "Acknowledged earlier…",
      fields: [{ name: "method", label: "How", kind: "choice", choices: choices(ACK_METHODS) }, { ...WHEN, required: true }],
    },
    restsOn: ["acknowledged"],
    button: { label: "Acknowledge", style: "primary", atOnce: {} },
    offer: ({ record, actor, audience }) => !record.acknowledgedAt && !FINISHED.includes(record.status) && (audience === "shared" || canWork(actor)),
  }),
  assign: action({
    schema: assignSchema,
    namesAssignee: (input) => input.assignee,
    announce: "Assigned",
    decide: ({ actor, record, assignee }) => {
      assertCanAssign(actor, record, assignee!);
      return lifecycle.assign(record, assignee!);
    },
    confirm: (view) => `${view.reference} is now with ${view.assignee?.name ?? "nobody"}.`,
    command: {
      words: ["assign"],
      usage: "assign <ref> <staff|me>",
      read: (said) => {
        said.need(2, "Say which case and who should have it");
        return { reference: said.words[0], assignee: rest(said) };
      },
    },
    // Giving the case to someone else: offered on one's own screen to those the core lets assign others (a channel's card is everyone's).
    form: {
      title: "Assign to",
      submit: "Assign",
      menuLabel: "Assign to…",
      menuOffer: ({ record, actor, audience }) => audience === "private" && !FINISHED.includes(record.status) && canAssignOthers(actor, record),
      fields: [{ name: "assignee", label: "Who should have it", kind: "staff", required: true, hint: "Active caseworkers and managers. They are told on Slack or Teams." }],
    },
    restsOn: ["assigned"],
    button: { label: "Assign to me", atOnce: { assignee: "me" } },
    offer: ({ record, actor, audience }) => {
      if (FINISHED.includes(record.status)) return false;
      if (audience === "shared") return !record.assignee;
      return record.assignee?.id !== actor.id && (!record.assignee || hasRole(actor, "manager")) && hasRole(actor, "caseworker", "manager");
    },
  }),
  add_entry: action({
    schema: addEntrySchema,
    datable: true,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.recordWork(record, input.type, input.text, rules);
    },
    confirm: (view, input) => `Recorded on ${view.reference}${whenSaid(input)}.`,
    command: {
      words: ["note", "call", "email", "letter", "meeting", "holding", "holding-reply"],
      usage: `note <ref> <text…> [--on ${MONTHS}]   (also: call, email, letter — "call in", "email in", "letter in" for one received — meeting, holding)`,
      switches: ["in"],
      read: (said) => {
        // `letter in <ref> …` as people say it, or `letter <ref> … --in`; "out" may be said too.
        const direction = ["in", "out"].includes(said.words[0]?.toLowerCase() ?? "") && IN_OUT[said.word] ? said.words[0]!.toLowerCase() : undefined;
        said.need(direction ? 3 : 2, "Say which case and what happened");
        const words = direction ? said.words.slice(1) : said.words;
        const incoming = direction === "in" || (direction === undefined && said.flag("in") === "true");
        const [out, received] = IN_OUT[said.word] ?? [ONE_WAY[said.word]!];
        return { reference: words[0], type: incoming && received ? received : out, text: words.slice(1).join(" "), happenedOn: on(said) };
      },
    },
    form: {
      title: "Add an update",
      submit: "Add",
      fields: [
        { name: "type", label: "What happened", kind: "choice", required: true, choices: choices(WORK_ENTRY_TYPES, (type) => ENTRY_LABELS[type as keyof typeof ENTRY_LABELS]), initial: () => "note" },
        { name: "text", label: "Details", kind: "long_text", required: true },
        WHEN,
      ],
    },
    button: { label: "Add update" },
    offer: workable,
  }),
  attach: action({
    schema: attachSchema,
    carriesFile: true,
    decide: ({ actor, record, file }) => {
      assertCanProgress(actor, record);
      return lifecycle.attachFile(record, file!);
    },
    confirm: (view, _input, { file } = {}) => {
      // Where the case's details are withheld (a sensitive case in a channel), so is the file's name.
      const shown = view.files?.findLast((listed) => listed.sha256 === file?.sha256 && listed.filename === file?.filename);
      if (!shown) return `Attached a file to ${view.reference}.`;
      return `Attached ${shown.filename} (${shown.typeLabel}, ${formatSize(shown.size)}) to ${view.reference} as file ${shown.number}.`;
    },
    command: {
      words: ["attach"],
      usage: "attach <ref> <file>   (a scan, photo, PDF, Word document or email, up to the size limit; in Slack share it in the case card's thread, in Teams attach it to the message)",
      read: (said) => {
        said.need(1, "Say which case");
        return { reference: said.words[0], path: said.words[1] };
      },
    },
    // Files arrive with a message (a Slack thread, a Teams chat, the command line), not through a card's form.
    button: { label: "Attach a file" },
    offer: () => false,
  }),
  refer: action({
    schema: referSchema,
    datable: true,
    namesPartner: { typed: (input) => input.partner, strict: true },
    decide: ({ actor, record, input, rules, partner }) => {
      assertCanProgress(actor, record);
      return lifecycle.referToPartner(record, partner!, input.workingDays, input.text, rules);
    },
    confirm: (view, input) => `${view.reference} referred to ${view.referrals.at(-1)?.partner}${whenSaid(input)}; reply expected by ${view.referrals.at(-1)?.expectedByText}.`,
    command: {
      words: ["refer"],
      usage: `refer <ref> "<partner>" [working days] [--note N] [--on ${MONTHS}]`,
      read: (said) => {
        said.need(2, "Say which case and which partner");
        const words = said.words.slice(1);
        const last = words.at(-1)!;
        const days = words.length > 1 && /^\d+$/.test(last) ? Number(last) : undefined;
        const partner = (days === undefined ? words : words.slice(0, -1)).join(" ");
        return { reference: said.words[0], partner, workingDays: days, text: said.flag("note"), happenedOn: on(said) };
      },
    },
    form: {
      title: "Refer to a partner",
      submit: "Refer",
      fields: [
        { name: "partner", label: "Partner", kind: "partner", required: true },
        { name: "workingDays", label: "Reply expected within (working days; empty: the partner's usual time)", kind: "number", min: 1, max: 60 },
        NOTE,
        WHEN,
      ],
    },
    button: { label: "Refer" },
    offer: workable,
  }),
  partner_reply: action({
    schema: partnerReplySchema,
    datable: true,
    namesPartner: { typed: (input) => input.partner, strict: false },
    decide: ({ actor, record, input, partner }) => {
      assertCanProgress(actor, record);
      return lifecycle.recordPartnerReply(record, partner?.name ?? input.partner, input.text);
    },
    confirm: (view, input) => `Partner reply recorded on ${view.reference}${whenSaid(input)}.`,
    command: {
      words: ["partner-reply"],
      usage: `partner-reply <ref> <text…> [--partner P] [--on ${MONTHS}]`,
      read: (said) => {
        said.need(2, "Say which case and what the partner said");
        return { reference: said.words[0], text: rest(said), partner: said.flag("partner"), happenedOn: on(said) };
      },
    },
    form: {
      title: "Partner replied",
      submit: "Record",
      fields: [
        { name: "partner", label: "Which partner", kind: "choice", required: true, choices: (view) => outstandingPartners(view).map((p) => ({ value: p, label: p })), asked: (view) => outstandingPartners(view).length > 1 },
        { name: "text", label: "What they said", kind: "long_text", required: true },
        WHEN,
      ],
    },
    button: { label: "Partner replied" },
    offer: (ctx) => workable(ctx) && lifecycle.outstandingReferrals(ctx.record).length > 0,
  }),
  chase: action({
    schema: chaseSchema,
    datable: true,
    namesPartner: { typed: (input) => input.partner, strict: false },
    decide: ({ actor, record, input, partner }) => {
      assertCanProgress(actor, record);
      return lifecycle.chasePartner(record, partner?.name ?? input.partner, input.text);
    },
    confirm: (view, input) => `Chase recorded on ${view.reference}${whenSaid(input)}.`,
    command: {
      words: ["chase"],
      usage: `chase <ref> [--partner P] [--on ${MONTHS}]`,
      read: (said) => {
        said.need(1, "Say which case");
        return { reference: said.words[0], partner: said.flag("partner") ?? (rest(said) || undefined), happenedOn: on(said) };
      },
    },
    button: { label: "Chase partner", atOnce: {} },
    offer: (ctx) => workable(ctx) && lifecycle.outstandingReferrals(ctx.record).length > 0,
  }),
  respond: action({
    schema: respondSchema,
    datable: true,
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.respond(record, input.text, rules);
    },
    confirm: (view, input) => `Full response recorded on ${view.reference}${whenSaid(input)}. Close it when done: close ${view.reference} responded.`,
    command: {
      words: ["respond"],
      usage: `respond <ref> <text…> [--on ${MONTHS}]`,
      read: (said) => {
        said.need(2, "Say which case and summarise the response sent");
        return { reference: said.words[0], text: rest(said), happenedOn: on(said) };
      },
    },
    form: {
      title: "Record full response",
      submit: "Record",
      fields: [{ name: "text", label: "The full response sent", kind: "long_text", required: true, hint: "A summary is enough; the letter itself lives where the office keeps letters." }, WHEN],
    },
    button: { label: "Respond", style: "primary" },
    offer: (ctx) => workable(ctx) && ctx.record.status !== "responded",
  }),
  close: action({
    schema: closeSchema,
    datable: true,
    announce: "Closed",
    namesCase: (input) => input.duplicateOf,
    decide: ({ actor, record, input, rules, other }) => {
      assertCanProgress(actor, record);
      return lifecycle.close(record, input.outcome, input.text, rules, other);
    },
    confirm: (view, input) => `Closed ${view.reference} (${input.duplicateOf ? `duplicate of ${input.duplicateOf}` : view.outcome}).`,
    command: {
      words: ["close"],
      usage: `close <ref> <${OUTCOMES.join("|")}> [note…] [--of <original ref>, for a duplicate] [--on ${MONTHS}]`,
      read: (said) => {
        said.need(2, "Say which case and the outcome");
        return { reference: said.words[0], outcome: said.words[1]!.toLowerCase(), text: rest(said, 2) || undefined, duplicateOf: said.flag("of"), happenedOn: on(said) };
      },
    },
    form: {
      title: "Close case",
      submit: "Close",
      fields: [
        { name: "outcome", label: "Outcome", kind: "choice", required: true, choices: choices(OUTCOMES), initial: (view) => (view.status === "responded" ? "responded" : undefined) },
        { name: "duplicateOf", label: "Duplicate of", kind: "text", max: 30, placeholder: "PFCC-2026-0042", hint: "For the outcome duplicate: the original case's reference. The two are linked." },
        NOTE,
        WHEN,
      ],
    },
    button: { label: "Close" },
    offer: workable,
  }),
  reopen: action({
    schema: reopenSchema,
    announce: "Reopened",
    decide: ({ actor, record, input, rules }) => {
      assertCanProgress(actor, record);
      return lifecycle.reopen(record, input.reason, rules);
    },
    confirm: (view) => `Reopened ${view.reference}; respond by ${view.response.dueText}.`,
    command: {
      words: ["reopen"],
      usage: "reopen <ref> <reason…>",
      read: (said) => {
        said.need(2, "Say which case and why it is reopened");
        return { reference: said.words[0], reason: rest(said) };
      },
    },
    form: { title: "Reopen case", submit: "Reopen", fields: [REASON("Why it is reopened")] },
    button: { label: "Reopen" },
    offer: ({ record, actor, audience }) => record.status === "closed" && (audience === "shared" ? !record.sensitive : canWork(actor)),
  }),
  link: action({
    schema: linkSchema,
    namesCase: (input) => input.other,
    decide: ({ actor, record, input, other }) => {
      assertCanProgress(actor, record);
      return lifecycle.linkCases(record, other!, input.kind);
    },
    confirm: (view, input) => `Linked ${view.reference} to ${input.other}; both cards show it.`,
    command: {
      words: ["link"],
      usage: "link <ref> <other ref> [same-matter | previous | duplicate-of]   (previous: the other came first)",
      read: (said) => {
        said.need(2, "Say which two cases");
        return { reference: said.words[0], other: said.words[1], kind: said.words[2] };
      },
    },
    form: {
      title: "Link to another case",
      submit: "Link",
      fields: [
        { name: "other", label: "The other case", kind: "text", required: true, max: 30, placeholder: "PFCC-2026-0042" },
        {
          name: "kind",
          label: "How they belong together",
          kind: "choice",
          required: true,
          choices: () => [
            { value: "same_matter", label: "The same matter" },
            { value: "previous_correspondence", label: "The other is earlier correspondence" },
            { value: "duplicate_of", label: "This is a duplicate of the other" },
          ],
          initial: () => "same_matter",
        },
      ],
    },
    button: { label: "Link to a case…", secondary: true },
    offer: ({ record, actor, audience, fullAccess }) => audience === "private" && record.status !== "voided" && canWork(actor) && fullAccess,
  }),
  edit_details: action({
    schema: editDetailsSchema,
    correction: "details corrected",
    announce: "Details corrected",
    decide: ({ actor, record, input }) => {
      assertCanEditDetails(actor, record);
      const { reference: _reference, version: _version, ...edit } = input;
      return lifecycle.editDetails(record, edit);
    },
    confirm: (view) => `Details of ${view.reference} corrected; the timeline keeps what they said before.`,
    command: {
      words: ["edit"],
      usage: 'edit <ref> [--name "N"] [--email E] [--phone P] [--address A] [--subject S] [--summary S] [--kind K] [--channel C] [--themes "a, b"]   (an empty value clears it)',
      read: (said) => {
        said.need(1, "Say which case");
        const fields = ["name", "email", "phone", "address", "subject", "summary", "kind", "channel", "themes"];
        return { reference: said.words[0], ...Object.fromEntries(fields.map((field) => [field, said.flag(field)]).filter(([, value]) => value !== undefined)) };
      },
    },
    form: {
      title: "Edit details",
      submit: "Save",
      fields: [
        { name: "name", label: "Constituent name", kind: "text", required: true, max: 200, initial: (view) => view.constituent?.name },
        { name: "email", label: "Email", kind: "text", max: 254, initial: (view) => view.constituent?.email ?? undefined },
        { name: "phone", label: "Phone", kind: "text", max: 40, initial: (view) => view.constituent?.phone ?? undefined },
        { name: "address", label: "Address", kind: "long_text", max: 500, initial: (view) => view.constituent?.address ?? undefined },
        { name: "subject", label: "Subject", kind: "text", required: true, max: 200, initial: (view) => view.subject ?? undefined },
        { name: "summary", label: "Summary", kind: "long_text", initial: (view) => view.summary || undefined },
        { name: "kind", label: "Kind", kind: "choice", required: true, choices: choices(KINDS), initial: (view) => view.kind },
        { name: "channel", label: "How it arrived", kind: "choice", required: true, choices: choices(CHANNELS), initial: (view) => view.channel },
        { name: "themes", label: "Themes (comma-separated)", kind: "text", initial: (view) => view.themes.join(", ") || undefined },
      ],
    },
    // The form showed the details as they were: saving it over someone else's correction would undo theirs.
    restsOn: ["details_corrected", "constituent_merged"],
    button: { label: "Edit details…", secondary: true },
    offer: ({ record, actor, audience }) => audience === "private" && record.status !== "voided" && canEditDetails(actor, record),
  }),
  correct_receipt: action({
    schema: correctReceiptSchema,
    correction: "date received corrected",
    announce: "Date received corrected",
    decide: ({ actor, record, input, rules }) => {
      assertCanCorrect(actor, "correct the date received");
      return lifecycle.correctReceipt(record, input.receivedOn, input.reason, rules);
    },
    confirm: (view) => `${view.reference} is now received ${view.receivedOnText}: acknowledge by ${view.acknowledgement.dueText}, respond by ${view.response.dueText}.`,
    command: {
      words: ["correct-date", "received"],
      usage: `correct-date <ref> <${MONTHS}> <reason…>   (managers: the true date received; deadlines follow it)`,
      read: (said) => {
        said.need(3, "Say which case, the correct date received and why");
        return { reference: said.words[0], receivedOn: said.words[1], reason: rest(said, 2) };
      },
    },
    form: {
      title: "Correct date received",
      submit: "Correct",
      fields: [{ name: "receivedOn", label: "The correct date received", kind: "date", required: true, initial: (view) => view.receivedOn }, REASON("Why it is corrected")],
    },
    restsOn: ["receipt_corrected"],
    button: { label: "Correct date received…", secondary: true },
    offer: managerOnOwnScreen,
  }),
  set_sensitive: action({
    schema: setSensitiveSchema,
    correction: "sensitive marker changed",
    announce: "Sensitive marker changed",
    changesChannelView: true,
    decide: ({ actor, record, input }) => {
      assertCanCorrect(actor, "change the sensitive marker");
      return lifecycle.setSensitive(record, input.sensitive, input.reason);
    },
    confirm: (view) => (view.sensitive ? `${view.reference} is marked sensitive: its details are withheld wherever it is shown.` : `${view.reference} is no longer marked sensitive.`),
    command: {
      words: ["sensitive"],
      usage: "sensitive <ref> on|off [reason…]   (managers; off needs a reason)",
      read: (said) => {
        said.need(2, "Say which case, and on or off");
        return { reference: said.words[0], sensitive: said.words[1]!.toLowerCase(), reason: rest(said, 2) || undefined };
      },
    },
    form: {
      title: "Sensitive marker",
      submit: "Save",
      fields: [
        { name: "sensitive", label: "Sensitive", kind: "choice", required: true, choices: () => [{ value: "on", label: "Sensitive: details withheld" }, { value: "off", label: "Not sensitive" }], initial: (view) => (view.sensitive ? "off" : "on") },
        { name: "reason", label: "Reason (needed to take the marker off)", kind: "long_text" },
      ],
    },
    restsOn: ["marked_sensitive", "unmarked_sensitive"],
    button: { label: "Sensitive marker…", secondary: true },
    offer: managerOnOwnScreen,
  }),
  void: action({
    schema: voidSchema,
    correction: "voided",
    announce: "Voided",
    decide: ({ actor, record, input }) => {
      assertCanCorrect(actor, "void a case");
      return lifecycle.voidCase(record, input.reason);
    },
    confirm: (view) => `Voided ${view.reference}: it leaves every list and deadline, keeps its reference, and reports count it as voided.`,
    command: {
      words: ["void"],
      usage: "void <ref> <reason…>   (managers: a case logged in error)",
      read: (said) => {
        said.need(2, "Say which case and why it is void");
        return { reference: said.words[0], reason: rest(said) };
      },
    },
    form: { title: "Void (logged in error)", submit: "Void", fields: [REASON("Why it was logged in error")] },
    button: { label: "Void…", style: "danger", secondary: true },
    offer: managerOnOwnScreen,
  }),
  send_new: action({
    schema: sendNewSchema,
    namesPartner: { typed: (input) => input.partner, strict: true },
    draftThenSend: {
      draft: ({ confirmAddress: _address, ...draft }) => draft,
      send: (input, item) => ({ reference: input.reference, item, confirmAddress: input.confirmAddress }),
    },
    confirm: (view, _input, { item } = {}) => sentMessage(view, item!),
    command: {
      words: ["send-new"],
      usage: 'send-new <ref> <template> [email|letter] [--partner "<partner>"] [--confirm-address <address>]   (drafts from the template and sends it at once, when it needs no sign-off: both steps are on the timeline)',
      read: (said) => {
        said.need(2, "Say which case and which template (template list shows them)");
        return { reference: said.words[0], template: said.words[1], form: said.words[2], partner: said.flag("partner"), confirmAddress: said.flag("confirm-address") };
      },
    },
    // The card's two-click send: the form shows what goes — to whom, the subject as it goes, every word editable — and its button sends it.
    form: {
      title: (start) => DRAFTS.find((draft) => draft.template === start.value)?.send?.title ?? "Send a letter or email",
      submit: "Send",
      proposes: true,
      preview: (view, start) => sendNowPreview(view, start),
      fields: [
        { name: "subject", label: "Subject (the case reference goes in front of it)", kind: "text", required: true, max: 200, asked: (_view, start) => start.proposal?.form === "email" && !ownWordsOnly(start), initial: (_view, start) => start.proposal?.subject ?? undefined },
        WORDS((_view, start) => start.proposal?.text, (_view, start) => Boolean(start.proposal) && !ownWordsOnly(start)),
        {
          name: "confirmAddress",
          label: "Their email address, typed again",
          kind: "text",
          required: true,
          max: 254,
          hint: "The case is sensitive: type the address to be sure it goes to them. Nothing is written or sent unless it is the one recorded.",
          asked: (view, start) => start.proposal !== undefined && start.proposal !== null && needsAddressConfirmed(view.sensitive, start.proposal),
        },
      ],
    },
    // Its form showed whom it goes to, from the details as they were.
    restsOn: ["details_corrected", "constituent_merged"],
    button: { label: "Send a letter or email" },
    offer: lettersOnOwnScreen,
    variants: {
      field: "template",
      // The office's set words, where nothing stands in the way of their going at once: no sign-off, an address to email, none already on its way.
      offer: ({ record, items = [], needsSignOff }) =>
        needsSignOff && record.constituent.email
          ? draftsFor(record).filter((draft) => draft.send && !needsSignOff(draft.template) && !items.some((item) => item.templateKey === draft.template && (isOpenItem(item) || item.status === "sending"))).map((draft) => ({
              value: draft.template,
              label: draft.send!.label,
              style: "primary" as const,
            }))
          : [],
    },
  }),
  draft: action({
    schema: draftSchema,
    outgoing: "draft",
    namesPartner: { typed: (input) => input.partner, strict: true },
    decide: ({ actor, record, item }) => {
      assertCanProgress(actor, record);
      return letters.draftItem(record, item!.item, item!.edited);
    },
    confirm: (view, _input, { item } = {}) => `Drafted item ${item!.item.number} on ${view.reference}: ${itemLine(item!.item)}. ${nextFor(view.reference, item!.item)}`,
    command: {
      words: ["draft"],
      usage: 'draft <ref> <template> [email|letter] [--partner "<partner>"]   (from the template\'s current version; a referral goes to the partner; outgoing <ref> lists the case\'s letters and emails)',
      read: (said) => {
        said.need(2, "Say which case and which template (template list shows them)");
        return { reference: said.words[0], template: said.words[1], form: said.words[2], partner: said.flag("partner") };
      },
    },
    // A card drafts from a template its control names: the form starts from the words merged with the case, to change before saving.
    form: {
      title: (start) => DRAFTS.find((draft) => draft.template === start.value)?.title ?? "Draft a letter or email",
      submit: "Save draft",
      proposes: true,
      preview: (view, start) => draftPreview(view, start),
      fields: [
        { name: "partner", label: "Partner", kind: "partner", required: true, asked: (_view, start) => typeof start.value === "string" && needsPartner(start.value) },
        { name: "subject", label: "Subject (the case reference goes in front of it)", kind: "text", required: true, max: 200, asked: (_view, start) => start.proposal?.form === "email" && !ownWordsOnly(start), initial: (_view, start) => start.proposal?.subject ?? undefined },
        WORDS((_view, start) => start.proposal?.text, (_view, start) => Boolean(start.proposal) && !ownWordsOnly(start)),
      ],
    },
    restsOn: ["details_corrected", "constituent_merged"],
    button: { label: "Draft a letter or email" },
    offer: lettersOnOwnScreen,
    variants: {
      field: "template",
      offer: ({ record, items = [] }) =>
        draftsFor(record).filter((draft) => !items.some((item) => item.templateKey === draft.template && (isOpenItem(item) || item.status === "sending"))).map((draft) => ({
          value: draft.template,
          label: draft.label,
        })),
    },
  }),
  redraft: action({
    schema: redraftSchema,
    outgoing: "redraft",
    decide: ({ actor, record, item }) => {
      assertCanProgress(actor, record);
      return letters.redraftItem(record, item!.before!, item!.item);
    },
    confirm: (view, input, { item } = {}) => `Item ${input.item} of ${view.reference} redrafted. ${nextFor(view.reference, item!.item)}`,
    command: {
      words: ["redraft"],
      usage: "redraft <ref> <n> <file>   (at the console: new words for letter or email n, not yet sent; an email's file may start with `Subject: …`)",
      read: (said) => {
        said.need(2, "Say which case, which letter or email (its number) and the file with its new words");
        return { reference: said.words[0], item: said.words[1], path: said.words[2] };
      },
    },
    form: {
      title: "Change the words",
      submit: "Save words",
      preview: (view, start) => itemPreview(view, start, { address: true }),
      fields: [
        {
          name: "subject",
          label: "Subject (the case reference goes in front of it)",
          kind: "text",
          required: true,
          max: 200,
          asked: (view, start) => itemOf(view, start)?.form === "email",
          initial: (view, start) => {
            const subject = itemOf(view, start)?.subject;
            return subject ? subjectAfterReference(view.reference, subject) : undefined;
          },
        },
        WORDS((view, start) => itemOf(view, start)?.text),
      ],
    },
    // Its form showed the words as they were: saving it over someone else's would lose theirs.
    restsOn: ["outgoing_drafted"],
    button: { label: "Change the words" },
    offer: lettersOnOwnScreen,
    // The satisfaction question goes in the office's own words (assertOwnWords): never offered to change.
    variants: { field: "item", offer: (ctx) => writableItems(ctx).filter((item) => isOpenItem(item) && !AFTER_CLOSING_TEMPLATES.includes(item.templateKey)).map((item) => ({ value: item.number, label: "Change the words…" })) },
  }),
  approve: action({
    schema: itemSchema,
    outgoing: "approve",
    decide: ({ actor, record, item, rules }) => {
      assertCanCorrect(actor, "sign off letters and emails");
      return letters.approveItem(record, actor, item!.item, rules);
    },
    confirm: (view, input) => `Approved item ${input.item} of ${view.reference}. Send it with: send ${view.reference} ${input.item}.`,
    command: {
      words: ["approve"],
      usage: "approve <ref> <n>   (managers: sign off letter or email n; read it first with outgoing <ref> <n>)",
      read: (said) => {
        said.need(2, "Say which case and which letter or email (its number)");
        return { reference: said.words[0], item: said.words[1] };
      },
    },
    // Words longer than a card shows whole are read here, in full, before they are signed off.
    form: {
      title: "Approve",
      submit: "Approve",
      preview: (view, start) => itemPreview(view, start, { address: true, words: true }),
      fields: [],
    },
    // A sign-off is of the words the manager read, in the state they were in.
    restsOn: ["outgoing_drafted", "outgoing_approved", "outgoing_sent_back"],
    button: { label: "Approve" },
    offer: (ctx) => lettersOnOwnScreen(ctx) && hasRole(ctx.actor, "manager"),
    variants: {
      field: "item",
      // A manager signs off words another wrote (the core refuses their own), at once when the card shows them whole.
      offer: (ctx) =>
        writableItems(ctx)
          .filter((item) => isOpenItem(item) && item.needsSignOff && !item.approved && item.draftedBy.id !== ctx.actor.id)
          .map((item) => ({ value: item.number, label: wordsFitOnCard(item) ? "Approve" : "Read and approve…", style: "primary" as const, atOnce: wordsFitOnCard(item) })),
    },
  }),
  send_back: action({
    schema: sendBackSchema,
    outgoing: "send_back",
    decide: ({ actor, record, item, input, rules }) => {
      assertCanCorrect(actor, "send letters and emails back");
      return letters.sendBackItem(record, actor, item!.item, input.comment, rules);
    },
    confirm: (view, input, { item } = {}) => `Sent item ${input.item} of ${view.reference} back to ${item!.item.draftedBy.name}: ${input.comment}`,
    command: {
      words: ["send-back"],
      usage: "send-back <ref> <n> <what needs changing…>   (managers)",
      read: (said) => {
        said.need(3, "Say which case, which letter or email (its number) and what needs changing");
        return { reference: said.words[0], item: said.words[1], comment: rest(said, 2) };
      },
    },
    form: {
      title: "Send back",
      submit: "Send back",
      preview: (view, start) => itemPreview(view, start, { address: true }),
      fields: [{ name: "comment", label: "What needs changing", kind: "long_text", required: true, max: 2000, hint: "Whoever wrote it is told, and it goes back to them as a draft." }],
    },
    restsOn: ["outgoing_drafted", "outgoing_approved", "outgoing_sent_back"],
    button: { label: "Send back" },
    offer: (ctx) => lettersOnOwnScreen(ctx) && hasRole(ctx.actor, "manager"),
    variants: {
      field: "item",
      offer: (ctx) =>
        writableItems(ctx)
          .filter((item) => isOpenItem(item) && item.needsSignOff && item.status !== "draft" && item.draftedBy.id !== ctx.actor.id)
          .map((item) => ({ value: item.number, label: "Send back…" })),
    },
  }),
  send: action({
    schema: sendSchema,
    outgoing: "send",
    decide: ({ actor, record, item, rules }) => {
      assertCanProgress(actor, record);
      return item!.item.form === "email" ? letters.recordEmailSent(record, actor, item!, rules) : letters.recordLetterMade(record, actor, item!);
    },
    confirm: (view, _input, { item } = {}) => sentMessage(view, item!),
    command: {
      words: ["send"],
      usage: "send <ref> <n> [--confirm-address <address>]   (an email goes now; a letter is made as a PDF to print and post. A sensitive case's email needs its address typed again)",
      read: (said) => {
        said.need(2, "Say which case and which letter or email (its number)");
        return { reference: said.words[0], item: said.words[1], confirmAddress: said.flag("confirm-address") };
      },
    },
    // Asked only for a sensitive case's email to its constituent: the address typed again; otherwise Send acts at once.
    form: {
      title: "Send",
      submit: "Send",
      preview: (view, start) => itemPreview(view, start, { address: false, words: true }),
      fields: [
        {
          name: "confirmAddress",
          label: "Their email address, typed again",
          kind: "text",
          required: true,
          max: 254,
          hint: "The case is sensitive: type the address to be sure it goes to them. Nothing is sent unless it is the one recorded.",
          asked: (view, start) => {
            const item = itemOf(view, start);
            return item !== undefined && needsAddressConfirmed(view.sensitive, item);
          },
        },
      ],
    },
    restsOn: ["outgoing_drafted", "outgoing_sent_back"],
    button: { label: "Send", style: "primary" },
    offer: lettersOnOwnScreen,
    variants: {
      field: "item",
      offer: (ctx) =>
        writableItems(ctx).filter(isReadyToSend).map((item) => ({
          value: item.number,
          label: item.form === "email" ? "Send" : "Make the PDF",
          style: "primary" as const,
          atOnce: !needsAddressConfirmed(ctx.record.sensitive, item),
        })),
    },
  }),
  posted: action({
    schema: itemSchema,
    outgoing: "posted",
    decide: ({ actor, record, item, rules }) => {
      assertCanProgress(actor, record);
      return letters.recordPosted(record, actor, item!, rules);
    },
    confirm: (view, input) => `Recorded letter ${input.item} of ${view.reference} as posted. ${view.reference} is ${view.statusLabel.toLowerCase()}.`,
    command: {
      words: ["posted"],
      usage: "posted <ref> <n>   (a letter made with send has gone in the post)",
      read: (said) => {
        said.need(2, "Say which case and which letter (its number)");
        return { reference: said.words[0], item: said.words[1] };
      },
    },
    button: { label: "Posted" },
    offer: lettersOnOwnScreen,
    variants: {
      field: "item",
      offer: (ctx) => writableItems(ctx).filter((item) => item.form === "letter" && item.status === "sent").map((item) => ({ value: item.number, label: "Posted", style: "primary" as const, atOnce: true })),
    },
  }),
  ...CLOCK_ACTIONS,
  ...TEAM_ACTIONS,
  ...SATISFACTION_ACTIONS,
};

export type CaseAction = keyof typeof CASE_ACTIONS;

export const CASE_ACTION_NAMES = Object.keys(CASE_ACTIONS) as CaseAction[];

/** The table's entry for a name, with its types loosened for code that handles every action alike. */
export function caseActionSpec(name: CaseAction): CaseActionSpec<InputSchema> {
  return CASE_ACTIONS[name];
}

/** Whether `name` is an action of the table (for ids that come back from a platform). */
export function isCaseAction(name: string): name is CaseAction {
  return Object.hasOwn(CASE_ACTIONS, name);
}

/** One control of an action offered several times over (a template to draft from, a letter to send), with the action it is for. */
export interface OfferedVariant extends ActionVariant {
  action: CaseAction;
  field: ActionVariants["field"];
}

/**
 * What a card offers this reader on this case, in the table's order: the actions (one whose
 * controls are variants is offered when it has one), those variants, and the actions whose
 * form the card's menu opens besides a button that acts at once (`form.menuLabel`).
 */
export function cardOffers(ctx: Omit<OfferContext, "fullAccess">): { actions: CaseAction[]; variants: OfferedVariant[]; menus: CaseAction[] } {
  const full = { ...ctx, fullAccess: canSeeInFull(ctx.actor, ctx.record) };
  if ((ctx.audience === "private" && !canWork(ctx.actor)) || ctx.record.erasedAt) return { actions: [], variants: [], menus: [] };
  const actions: CaseAction[] = [];
  const variants: OfferedVariant[] = [];
  const menus: CaseAction[] = [];
  for (const name of CASE_ACTION_NAMES) {
    const spec = caseActionSpec(name);
    const offered = spec.offer(full);
    if (spec.form?.menuLabel && spec.button.atOnce && (spec.form.menuOffer?.(full) ?? offered)) menus.push(name);
    if (!offered) continue;
    if (!spec.variants) {
      actions.push(name);
      continue;
    }
    const several = spec.variants.offer(full);
    if (several.length) actions.push(name);
    variants.push(...several.map((variant) => ({ ...variant, action: name, field: spec.variants!.field })));
  }
  return { actions, variants, menus };
}

/** The actions a card offers for this case and reader, in the table's order. */
export function offeredActions(ctx: Omit<OfferContext, "fullAccess">): CaseAction[] {
  return cardOffers(ctx).actions;
}

/** A form's title for the control that opened it. */
export function formTitle(form: ActionForm, start: FormStart): string {
  return typeof form.title === "string" ? form.title : form.title(start);
}

/** A letter or email in a line: `Acknowledgement email to Jane Doe`. */
function itemLine(item: OutgoingItem): string {
  return `${templateLabel(item.templateKey)} ${item.form} to ${item.recipient.name}`;
}

/** What sending said: an email gone (and what the case is now), or a letter made as a PDF to print and post. */
function sentMessage(view: CaseView, prepared: PreparedOutgoing): string {
  const sent = prepared.item;
  if (sent.form === "email") return `Sent item ${sent.number} of ${view.reference} by email to ${sent.recipient.name} <${sent.recipient.email}>. ${view.reference} is ${view.statusLabel.toLowerCase()}.`;
  const file = view.files?.findLast((listed) => listed.sha256 === prepared.sent?.sha256);
  return `Made item ${sent.number} of ${view.reference}, a letter to ${sent.recipient.name}, as a PDF${file ? ` (file ${file.number} on the case)` : ""}. Print and post it, then record it with: posted ${view.reference} ${sent.number}.`;
}

/** What comes next for an item just written. */
function nextFor(reference: string, item: OutgoingItem): string {
  const read = `Read it with: outgoing ${reference} ${item.number}`;
  if (item.status === "awaiting_approval") return `It needs a manager's sign-off. ${read}; a manager approves it with: approve ${reference} ${item.number}.`;
  return `${read}; send it with: send ${reference} ${item.number}.`;
}

function outstandingPartners(view: CaseView): string[] {
  return [...new Set(view.referrals.filter((referral) => !referral.repliedOn).map((referral) => referral.partner))];
}
