import type { CaseRecord, CaseStore } from "../cases/case-record.ts";
import type { CaseService } from "../cases/case-service.ts";
import { FINISHED } from "../cases/vocabulary.ts";
import { isDomainError } from "../errors.ts";
import type { IntakeStore } from "../intake/intake-store.ts";
import type { Clock } from "../ports.ts";
import { OFFICE_SENDER } from "../staff/roles.ts";
import type { OutgoingDesk } from "./outgoing-service.ts";
import type { OutgoingItem } from "./outgoing.ts";

/**
 * The optional automatic acknowledgement (POSTBAG_AUTO_ACK=email): a case logged from an email
 * (mail intake's `intake log`) is acknowledged by the office's acknowledgement template, sent from
 * the office mailbox by Postbag itself within minutes, and recorded as sent by "Postbag on behalf
 * of the office". Off unless the office turns it on; never for a sensitive case or one whose
 * acknowledgement needs a manager's sign-off; never twice.
 */

export const AUTO_ACK_SETTINGS = ["off", "email"] as const;
export type AutoAckSetting = (typeof AUTO_ACK_SETTINGS)[number];

/** How long after an email is logged as a case Postbag still acknowledges it by itself; an older one waits for a person (it was logged before the setting was on, or the mail could not go then). */
export const AUTO_ACK_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * Why Postbag leaves a case logged from email for a person to acknowledge, or null when it
 * acknowledges it itself: acknowledged already, closed or voided, sensitive (a person checks
 * where it goes and types the address), its acknowledgement needs sign-off, no email address,
 * or an acknowledgement already written on it (a person's draft, or an earlier attempt that did
 * not go: Postbag never tries twice).
 */
export function whyNotAutomatic(record: Pick<CaseRecord, "acknowledgedAt" | "status" | "sensitive" | "constituent">, items: readonly Pick<OutgoingItem, "templateKey">[], needsSignOff: boolean): string | null {
  if (record.acknowledgedAt) return "acknowledged already";
  if (FINISHED.includes(record.status)) return `${record.status}`;
  if (record.sensitive) return "sensitive";
  if (needsSignOff) return "its acknowledgement needs sign-off";
  if (!record.constituent.email) return "no email address";
  if (items.some((item) => item.templateKey === "acknowledgement")) return "an acknowledgement is written on it already";
  return null;
}

export interface AutoAckOutcome {
  sent: string[];
  /** Tried and not sent (the relay refused): the draft is kept for a person, who is shown why on the card. */
  failed: { reference: string; reason: string }[];
}

export class AutoAcknowledger {
  constructor(
    private readonly deps: {
      cases: Pick<CaseService, "perform">;
      caseStore: Pick<CaseStore, "findCase">;
      intake: Pick<IntakeStore, "loggedSince">;
      outgoing: Pick<OutgoingDesk, "onCase" | "signOffOn">;
      clock: Clock;
    },
  ) {}

  /**
   * Acknowledges each case logged from email in the last day that Postbag may acknowledge
   * itself (whyNotAutomatic). Each is one act of `send_new` with a request key of its own, so
   * two processes at once, or a run after a stop, send it once.
   */
  async run(): Promise<AutoAckOutcome> {
    const outcome: AutoAckOutcome = { sent: [], failed: [] };
    const since = new Date(this.deps.clock.now().getTime() - AUTO_ACK_WITHIN_MS);
    for (const logged of await this.deps.intake.loggedSince(since, 200)) {
      const found = await this.deps.caseStore.findCase(logged.reference, { last: 0 });
      if (!found) continue;
      const { record } = found;
      const items = await this.deps.outgoing.onCase(record, found.outgoing);
      if (whyNotAutomatic(record, items, this.deps.outgoing.signOffOn(record)("acknowledgement")) !== null) continue;
      try {
        const done = await this.deps.cases.perform(OFFICE_SENDER, "send_new", { reference: record.reference, template: "acknowledgement", form: "email" }, { platform: "system", requestKey: `auto-ack:${record.id}` });
        if (done.notSent) outcome.failed.push({ reference: record.reference, reason: done.message });
        else outcome.sent.push(record.reference);
      } catch (error) {
        // Refused (the case changed meanwhile, its address is not one address…): a person acknowledges it.
        if (!isDomainError(error)) throw error;
        outcome.failed.push({ reference: record.reference, reason: error.message });
      }
    }
    return outcome;
  }
}
