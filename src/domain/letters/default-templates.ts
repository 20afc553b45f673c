import type { STANDARD_TEMPLATES, TemplateForm, TemplateText } from "./templates.ts";

/**
 * The words an office starts with: version 1 of each standard template, saved by "Postbag" the
 * first time the templates are read. Managers change them from there; every change is a new version.
 */

const GREETING = "Dear {{constituent.name}},";
const SIGN_OFF = "Yours sincerely,\n\n{{office.signature}}\n{{office.name}}";

const BODIES: Record<(typeof STANDARD_TEMPLATES)[number], { subject: string; body: string }> = {
  acknowledgement: {
    subject: "We have received your correspondence: {{subject}}",
    body: `${GREETING}

Thank you for contacting the Commissioner's office about {{subject}}, which we received on {{receivedOn}}. Your reference is {{reference}}; please quote it if you write to us again.

{{caseworker.name}} will look into this for you. We aim to send you a full response by {{respondBy}}.

${SIGN_OFF}`,
  },
  holding: {
    subject: "An update on your correspondence: {{subject}}",
    body: `${GREETING}

We wrote to you about {{subject}} (our reference {{reference}}). We have asked our partners for the information we need to answer you fully and are still waiting for their reply.

We have not forgotten you: we will write again as soon as we hear, and in the meantime you are welcome to contact {{caseworker.name}} at this office.

${SIGN_OFF}`,
  },
  response: {
    subject: "Our response: {{subject}}",
    body: `${GREETING}

Thank you for your patience while we looked into {{subject}} (our reference {{reference}}).

[Write the response here.]

${SIGN_OFF}`,
  },
  referral: {
    subject: "Referral from the Commissioner's office: {{subject}} ({{reference}})",
    body: `Dear colleagues at {{partner.name}},

The Commissioner's office has received correspondence from {{constituent.name}} about {{subject}} (our reference {{reference}}). We would be grateful for your help in answering it.

[Say what the office needs from the partner.]

Please reply to this email, keeping the reference in the subject, so that your reply reaches the case.

${SIGN_OFF}`,
  },
  "more-information": {
    subject: "We need a little more information: {{subject}}",
    body: `${GREETING}

Thank you for contacting the Commissioner's office about {{subject}} (our reference {{reference}}). To look into this for you, we need some more information:

[Say what is needed.]

Please reply to this email, or write to us at {{office.address}}, quoting your reference.

${SIGN_OFF}`,
  },
  satisfaction: {
    subject: "How did we do? {{subject}}",
    body: `${GREETING}

We have now closed your case about {{subject}} (our reference {{reference}}). We would value your view of how we handled it, so that we can improve.

On a scale of 1 to 5, where 1 is very dissatisfied and 5 is very satisfied, how satisfied are you with how the Commissioner's office dealt with your case? Please reply with a number from 1 to 5, and anything else you would like to tell us.

You do not have to answer, and whether you do makes no difference to how we deal with you in future.

${SIGN_OFF}`,
  },
};

export function defaultTemplate(key: (typeof STANDARD_TEMPLATES)[number], form: TemplateForm): TemplateText {
  const { subject, body } = BODIES[key];
  return { subject: form === "email" ? subject : null, body };
}
