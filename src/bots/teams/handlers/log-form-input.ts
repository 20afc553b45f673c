import { ConstituentUnclear } from "../../../domain/constituents/constituent-service.ts";
import { describeCandidate } from "../../../domain/constituents/matching.ts";
import type { LogFormValues } from "../teams.schema.ts";

/** The log form's flat inputs as the core's log input; the core validates every value. */
export function logInputFromForm(values: LogFormValues) {
  return {
    channel: values.channel,
    receivedOn: values.receivedOn,
    constituent: {
      name: values["constituent.name"],
      email: values["constituent.email"],
      phone: values["constituent.phone"],
      address: values["constituent.address"],
    },
    subject: values.subject,
    summary: values.summary,
    kind: values.kind,
    themes: (values.themes ?? "")
      .split(",")
      .map((theme) => theme.trim())
      .filter(Boolean),
    sensitive: values.sensitive,
    assignee: values.assignee,
    constituentChoice: values.constituentChoice,
    type: values.type,
    outcomeLetterOn: values.outcomeLetterOn,
    misdirectedOn: values.misdirectedOn,
    responseSentOn: values.responseSentOn,
  };
}

/** What to put back in the form after a refusal. */
export function formValues(values: LogFormValues): Record<string, string | boolean | undefined> {
  const { formId: _formId, ...rest } = values;
  return rest;
}

/** The choice a log form offers when the person is probably someone on record (the core's refusal names them). */
export function constituentChoices(error: unknown): { title: string; value: string }[] | undefined {
  if (!(error instanceof ConstituentUnclear)) return undefined;
  return [...error.candidates.map((candidate) => ({ title: `Yes: ${describeCandidate(candidate)}`, value: `C${candidate.id}` })), { title: "No: a new person", value: "new" }];
}
