import { CHANNEL_LABELS, CHANNELS, KINDS } from "../../../domain/cases/vocabulary.ts";
import { VERBS } from "../verbs.ts";
import { TYPE_CHOICES } from "../../../domain/clocks/case-clock.ts";
import { adaptiveCard, execute, fieldError, heading, textBlock, type AdaptiveCard, type CardAction, type CardElement } from "./adaptive-card.ts";

/**
 * The log form: everything `log` takes, as card inputs. Input ids are the core's field
 * paths (`constituent.name`…) so a refusal lands beside the input at fault. `formId`
 * makes a double-clicked submit one request.
 */

export interface LogFormOptions {
  formId: string;
  /** Today in London: the default date received. */
  today: string;
  values?: Record<string, string | boolean | undefined>;
  error?: { message: string; input?: string };
  /** `execute` in a chat (Universal Actions), `submit` inside a message-action task module. */
  mode: "execute" | "submit";
  /** When the person is probably someone on record: whether they are (asked at the top). */
  constituentChoices?: { title: string; value: string }[];
}

const INPUT_IDS = [
  "channel",
  "receivedOn",
  "constituent.name",
  "constituent.email",
  "constituent.phone",
  "constituent.address",
  "subject",
  "summary",
  "kind",
  "type",
  "outcomeLetterOn",
  "misdirectedOn",
  "responseSentOn",
  "themes",
  "sensitive",
  "assignee",
] as const;

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function logFormCard(options: LogFormOptions): AdaptiveCard {
  const values = options.values ?? {};
  const withValue = (id: string, element: CardElement): CardElement => (str(values[id]) !== undefined ? { ...element, value: str(values[id]) } : element);
  const text = (id: string, label: string, extra: Record<string, unknown> = {}) =>
    withValue(id, { type: "Input.Text", id, label, ...extra });
  const required = (label: string) => ({ isRequired: true, errorMessage: `${label} is required.` });

  const inputs: Record<(typeof INPUT_IDS)[number], CardElement> = {
    // A compact choice with no value shows an empty box in Teams: it starts on a real choice, a letter (what the office gets most), as Slack's form reads.
    channel: {
      type: "Input.ChoiceSet",
      id: "channel",
      label: "How it arrived",
      style: "compact",
      choices: CHANNELS.map((channel) => ({ title: CHANNEL_LABELS[channel], value: channel })),
      value: str(values.channel) && (CHANNELS as readonly string[]).includes(str(values.channel)!) ? str(values.channel) : "letter",
      ...required("How it arrived"),
    },
    receivedOn: { type: "Input.Date", id: "receivedOn", label: "Date received", value: str(values.receivedOn) ?? options.today, max: options.today, ...required("Date received") },
    "constituent.name": text("constituent.name", "Constituent's name", { maxLength: 200, ...required("Constituent's name") }),
    "constituent.email": text("constituent.email", "Email", { style: "Email", maxLength: 254 }),
    "constituent.phone": text("constituent.phone", "Phone", { style: "Tel", maxLength: 40 }),
    "constituent.address": text("constituent.address", "Address", { isMultiline: true, maxLength: 500 }),
    subject: text("subject", "Subject", { maxLength: 200, ...required("Subject") }),
    summary: text("summary", "Summary", { isMultiline: true, maxLength: 20_000 }),
    kind: {
      type: "Input.ChoiceSet",
      id: "kind",
      label: "Kind",
      style: "compact",
      choices: KINDS.map((kind) => ({ title: kind.charAt(0).toUpperCase() + kind.slice(1), value: kind })),
      value: str(values.kind) ?? "casework",
    },
    // Blank for most cases; a statutory type starts its clock and routes it to its team's queue.
    type: withValue("type", {
      type: "Input.ChoiceSet",
      id: "type",
      label: "Statutory type (most cases have none)",
      style: "compact",
      placeholder: "None",
      // "None" is a choice too: a menu once picked cannot be emptied, so a type picked by mistake is taken back with it.
      choices: TYPE_CHOICES.map((choice) => ({ title: choice.label, value: choice.value })),
    }),
    outcomeLetterOn: withValue("outcomeLetterOn", { type: "Input.Date", id: "outcomeLetterOn", label: "Force's outcome letter dated (a police complaint review)", max: options.today }),
    misdirectedOn: withValue("misdirectedOn", { type: "Input.Date", id: "misdirectedOn", label: "IOPC received it on (a review sent there first)", max: options.today }),
    responseSentOn: withValue("responseSentOn", { type: "Input.Date", id: "responseSentOn", label: "Response under review sent on (an FOI internal review)", max: options.today }),
    themes: text("themes", "Themes (comma-separated)", { maxLength: 1000, placeholder: "e.g. neighbourhood policing, stalking" }),
    sensitive: {
      type: "Input.Toggle",
      id: "sensitive",
      title: "Sensitive (mental health or other special-category data)",
      valueOn: "true",
      valueOff: "false",
      value: values.sensitive === true || values.sensitive === "true" ? "true" : "false",
    },
    assignee: text("assignee", "Assign to", { maxLength: 200, placeholder: "me, a name or an email (optional)" }),
  };

  const body: CardElement[] = [heading("Log a new case")];
  const errorInput = INPUT_IDS.find((id) => id === options.error?.input);
  if (options.constituentChoices) {
    body.push(
      { type: "Input.ChoiceSet", id: "constituentChoice", label: "Is this someone already on record?", style: "expanded", isRequired: true, errorMessage: "Say whether this is someone on record.", choices: options.constituentChoices },
      ...fieldError("Postbag will not guess: choose one, then log the case again."),
    );
  } else if (options.error && !errorInput) body.push(...fieldError(options.error.message));
  for (const id of INPUT_IDS) {
    body.push(inputs[id]);
    if (id === errorInput) body.push(...fieldError(options.error?.message));
  }
  body.push(textBlock("The response clock runs from the date received, not from today.", { size: "Small", isSubtle: true }));

  const submit: CardAction =
    options.mode === "execute"
      ? execute("Log case", VERBS.log, { formId: options.formId }, { style: "positive" })
      : { type: "Action.Submit", title: "Log case", style: "positive", data: { formId: options.formId } };
  return adaptiveCard(body, [submit]);
}
