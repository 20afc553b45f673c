import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import { DomainError, isDomainError } from "../../../domain/errors.ts";
import { UNDECIDED } from "../../../domain/intake/intake-message.ts";
import type { StaffRecord } from "../../../domain/staff/staff-record.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { triageCard } from "../cards/triage-card.ts";
import { intakeCardSchema } from "../teams.schema.ts";
import type { TeamsDeps } from "../turn.ts";
import { INTAKE_VERBS } from "../verbs.ts";
import { constituentChoices } from "./log-form-input.ts";
import { cardResponse } from "./reply.ts";

export function isIntakeVerb(verb: string): boolean {
  return (Object.values(INTAKE_VERBS) as string[]).includes(verb);
}

/**
 * A triage card's decision: Log as new case, Add to case, Not casework. The clicker gets the
 * card as it now stands with what was done (or why not, for their eyes only); every posted
 * card of that email is updated in place for everyone by the core's triage. Add to case… first
 * answers the clicker alone with the sender's open cases (as they may see them) and a reference box.
 */
export async function handleIntakeVerb(context: TurnContext, deps: TeamsDeps, actor: StaffRecord, verb: string, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const parsed = intakeCardSchema.safeParse(data);
  if (!parsed.success) throw new DomainError("invalid_input", "This card is out of date. See the emails awaiting triage with: intake list.");
  const { intakeId: id, reference, openCase, reason, note, constituentChoice } = parsed.data;
  const request = { platform: "teams" as const, requestKey: `teams:intake:${verb}:${id}:${context.activity.from?.aadObjectId ?? context.activity.from?.id}` };
  const { intake, triage } = deps.core;
  if (verb === INTAKE_VERBS.attachForm) {
    const { record, cases } = await triage.senderCases(actor, id);
    return cardResponse(triageCard(record, { attach: { cases } }));
  }
  try {
    let message: string;
    if (verb === INTAKE_VERBS.log) message = (await intake.log(actor, { id, constituentChoice }, request)).message;
    else if (verb === INTAKE_VERBS.attach) message = (await intake.attach(actor, { id, reference, openCase }, request)).message;
    else message = (await intake.dismiss(actor, { id, reason, note })).message;
    await deps.core.triage.refresh();
    return cardResponse(triageCard(await intake.show(actor, id), { message }));
  } catch (error) {
    if (!isDomainError(error) || error.code === "not_registered" || error.code === "not_permitted") throw error;
    const refusal = userMessageFor(error, deps.logger).text;
    const record = await intake.show(actor, id).catch(() => null);
    if (!record) throw error;
    if (verb === INTAKE_VERBS.attach && UNDECIDED.includes(record.state)) {
      // The form again, as it was filled in, with the refusal beside it.
      const { cases } = await triage.senderCases(actor, id);
      return cardResponse(triageCard(record, { attach: { cases, reference, openCase, error: { message: refusal, input: error.field } } }));
    }
    return cardResponse(triageCard(record, { message: refusal, error: true, constituentChoices: constituentChoices(error) }));
  }
}
