import type { KnownBlock, ModalView, PlainTextOption } from "./block-kit.ts";
import { CHANNEL_LABELS, CHANNELS, KINDS } from "../../../domain/cases/vocabulary.ts";
import { CALLBACKS, LOG_FIELDS } from "../ids.ts";
import { clip, LIMITS } from "./limits.ts";
import { TYPE_CHOICES } from "../../../domain/clocks/case-clock.ts";
import { describeCandidate, type ConstituentCandidate } from "../../../domain/constituents/matching.ts";

export interface LogModalPrefill {
  summary?: string;
  channel?: string;
  receivedOn?: string;
}

function option(value: string, label: string): PlainTextOption {
  return { text: { type: "plain_text", text: clip(label, LIMITS.optionText) }, value };
}

function textInput(blockId: string, label: string, options: { optional?: boolean; multiline?: boolean; initial?: string; max?: number; hint?: string } = {}): KnownBlock {
  return {
    type: "input",
    block_id: blockId,
    optional: options.optional ?? false,
    label: { type: "plain_text", text: label },
    ...(options.hint ? { hint: { type: "plain_text", text: options.hint } } : {}),
    element: {
      type: "plain_text_input",
      action_id: blockId,
      multiline: options.multiline ?? false,
      ...(options.max ? { max_length: options.max } : {}),
      ...(options.initial ? { initial_value: clip(options.initial, LIMITS.plainInputInitial) } : {}),
    },
  };
}

/** The form for logging an item: everything DOMAIN.md says a case has. */
export function logModal(today: string, metadata: string, prefill: LogModalPrefill = {}): ModalView {
  const channelOptions = CHANNELS.map((channel) => option(channel, CHANNEL_LABELS[channel]));
  const initialChannel = channelOptions.find((o) => o.value === prefill.channel);
  return {
    type: "modal",
    callback_id: CALLBACKS.logCase,
    private_metadata: metadata,
    title: { type: "plain_text", text: "Log correspondence" },
    submit: { type: "plain_text", text: "Log case" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: LOG_FIELDS.channel,
        label: { type: "plain_text", text: "How it arrived" },
        element: { type: "static_select", action_id: LOG_FIELDS.channel, options: channelOptions, ...(initialChannel ? { initial_option: initialChannel } : {}) },
      },
      {
        type: "input",
        block_id: LOG_FIELDS.receivedOn,
        label: { type: "plain_text", text: "Date received" },
        hint: { type: "plain_text", text: "The date on which it reached the office — the deadlines count from it." },
        element: { type: "datepicker", action_id: LOG_FIELDS.receivedOn, initial_date: prefill.receivedOn ?? today },
      },
      textInput(LOG_FIELDS.name, "Constituent's name", { max: 200 }),
      textInput(LOG_FIELDS.email, "Email", { optional: true, max: 254 }),
      textInput(LOG_FIELDS.phone, "Phone", { optional: true, max: 40 }),
      textInput(LOG_FIELDS.address, "Address", { optional: true, multiline: true, max: 500 }),
      textInput(LOG_FIELDS.subject, "Subject", { max: 200 }),
      textInput(LOG_FIELDS.summary, "Summary", { optional: true, multiline: true, initial: prefill.summary, max: 3000 }),
      {
        type: "input",
        block_id: LOG_FIELDS.kind,
        label: { type: "plain_text", text: "Kind" },
        element: {
          type: "static_select",
          action_id: LOG_FIELDS.kind,
          options: KINDS.map((kind) => option(kind, kind.charAt(0).toUpperCase() + kind.slice(1))),
          initial_option: option("casework", "Casework"),
        },
      },
      // A statutory type known at logging starts its clock and routes it to its team's queue; most cases have none.
      {
        type: "input",
        block_id: LOG_FIELDS.type,
        optional: true,
        label: { type: "plain_text", text: "Statutory type" },
        hint: { type: "plain_text", text: "Only for a police complaint review, a complaint about the Chief Constable, an FOI or a subject-access request." },
        // "None" is a choice too: a menu once picked cannot be emptied, so a type picked by mistake is taken back with it.
        element: { type: "static_select", action_id: LOG_FIELDS.type, options: TYPE_CHOICES.map((choice) => option(choice.value, choice.label)) },
      },
      datePicker(LOG_FIELDS.outcomeLetterOn, "Force's outcome letter dated", "A police complaint review: a review must be asked for within 28 days of it."),
      datePicker(LOG_FIELDS.misdirectedOn, "IOPC received it on", "A police complaint review sent to the IOPC first: it counts as made that day."),
      datePicker(LOG_FIELDS.responseSentOn, "Response under review sent on", "An FOI internal review: the date of the response it reviews."),
      textInput(LOG_FIELDS.themes, "Themes", { optional: true, max: 600, hint: "Comma-separated, e.g. neighbourhood policing, stalking" }),
      {
        type: "input",
        block_id: LOG_FIELDS.sensitive,
        optional: true,
        label: { type: "plain_text", text: "Sensitive" },
        element: {
          type: "checkboxes",
          action_id: LOG_FIELDS.sensitive,
          options: [{ text: { type: "plain_text", text: "Contains mental health or other special-category data" }, value: "sensitive" }],
        },
      },
      {
        type: "input",
        block_id: LOG_FIELDS.assignee,
        optional: true,
        label: { type: "plain_text", text: "Assign to" },
        element: { type: "users_select", action_id: LOG_FIELDS.assignee },
      },
      // A scan or photo of the item itself: attached to the case as it is logged (the same checks as `attach`).
      {
        type: "input",
        block_id: LOG_FIELDS.files,
        optional: true,
        label: { type: "plain_text", text: "Scan or photo of the item" },
        hint: { type: "plain_text", text: "PDF, photo, Word document or email; up to 5 files." },
        element: { type: "file_input", action_id: LOG_FIELDS.files, max_files: MAX_LOG_FILES, filetypes: LOG_FILE_TYPES },
      } as unknown as KnownBlock,
    ],
  };
}

/** An optional date on the log form, with what it is for. */
function datePicker(block: string, label: string, hint: string): KnownBlock {
  return { type: "input", block_id: block, optional: true, label: { type: "plain_text", text: label }, hint: { type: "plain_text", text: hint }, element: { type: "datepicker", action_id: block } };
}

/** Files the log form takes at once, and the extensions Slack's picker offers (the content is what is checked). */
export const MAX_LOG_FILES = 5;
const LOG_FILE_TYPES = ["pdf", "jpg", "jpeg", "png", "gif", "tif", "tiff", "heic", "heif", "webp", "docx", "doc", "odt", "txt", "eml"];

/** Core field names → the modal block that shows their error. */
export const LOG_FIELD_BLOCKS: Record<string, string> = {
  channel: LOG_FIELDS.channel,
  receivedOn: LOG_FIELDS.receivedOn,
  "constituent.name": LOG_FIELDS.name,
  "constituent.email": LOG_FIELDS.email,
  "constituent.phone": LOG_FIELDS.phone,
  "constituent.address": LOG_FIELDS.address,
  subject: LOG_FIELDS.subject,
  summary: LOG_FIELDS.summary,
  kind: LOG_FIELDS.kind,
  type: LOG_FIELDS.type,
  outcomeLetterOn: LOG_FIELDS.outcomeLetterOn,
  misdirectedOn: LOG_FIELDS.misdirectedOn,
  responseSentOn: LOG_FIELDS.responseSentOn,
  themes: LOG_FIELDS.themes,
  assignee: LOG_FIELDS.assignee,
  constituentChoice: LOG_FIELDS.constituentChoice,
  file: LOG_FIELDS.files,
};

/**
 * The log form again, asking at the top whether the person is someone on record (the core
 * will not guess). Its other inputs keep their block and action ids, so Slack keeps what was
 * typed in them.
 */
export function logModalAskingWho(submitted: ModalView, candidates: ConstituentCandidate[]): ModalView {
  const options = [
    ...candidates.map((candidate) => ({
      text: { type: "plain_text" as const, text: clip(`Yes: C${candidate.id} ${candidate.name}`, LIMITS.optionText) },
      description: { type: "plain_text" as const, text: clip(describeCandidate(candidate), LIMITS.optionText) },
      value: `C${candidate.id}`,
    })),
    { text: { type: "plain_text" as const, text: "No: a new person" }, value: "new" },
  ];
  const choice: KnownBlock = {
    type: "input",
    block_id: LOG_FIELDS.constituentChoice,
    label: { type: "plain_text", text: "Is this someone already on record?" },
    hint: { type: "plain_text", text: "Postbag will not guess. Choose, then press Log case again." },
    element: { type: "radio_buttons", action_id: LOG_FIELDS.constituentChoice, options },
  };
  const blocks = (submitted.blocks as KnownBlock[]).filter((block) => !("block_id" in block && block.block_id === LOG_FIELDS.constituentChoice));
  return { ...submitted, blocks: [choice, ...blocks] };
}
