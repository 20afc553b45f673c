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
  };
}

/** What to put back in the form after a refusal. */
export function formValues(values: LogFormValues): Record<string, string | boolean | undefined> {
  const { formId: _formId, ...rest } = values;
  return rest;
}
