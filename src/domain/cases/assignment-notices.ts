import type { DigestPublisher } from "../digest/digest-publisher.ts";
import type { Actor } from "../staff/roles.ts";
import type { StaffRecord } from "../staff/staff-record.ts";
import type { StaffService } from "../staff/staff-service.ts";
import type { Reachability } from "../staff/reachability.ts";
import type { CaseView } from "./case-view.ts";
import { hasRole } from "../staff/roles.ts";
import { templateLabel } from "../letters/outgoing.ts";
import type { LetterStep } from "./case-service.ts";

/**
 * Telling people about their cases: whoever is given a case by someone else is sent its card
 * on their platform (a Slack direct message, a Teams personal chat), and whoever it is taken
 * from is told too. Each chat adapter registers how it reaches a person; whoever none of
 * them reaches is recorded (domain/staff/reachability.ts) and named in the manager digest.
 */
export class AssignmentNotices {
  private readonly messengers: DigestPublisher[] = [];

  constructor(
    private readonly staff: StaffService,
    /** The case as `person` may see it on their own screen. */
    private readonly viewFor: (person: StaffRecord, reference: string) => Promise<CaseView>,
    private readonly reachability: Reachability,
  ) {}

  use(messenger: DigestPublisher): void {
    this.messengers.push(messenger);
    // The platforms that tell people are the ones asked who they can reach (staff list, digest here).
    this.reachability.use(messenger);
  }

  /** After an assignment: tells the new and the previous assignee, unless they made it. Names whoever could not be reached. */
  async assigned(actor: Actor, reference: string, fromId: number | null, toId: number | null): Promise<{ unreached: string[] }> {
    const unreached: string[] = [];
    const to = toId === null ? null : await this.staff.findById(toId).catch(() => null);
    if (to && to.id !== actor.id && !(await this.tell(to, reference, `${actor.name} assigned ${reference} to you.`))) unreached.push(to.name);
    const from = fromId === null || fromId === toId ? null : await this.staff.findById(fromId).catch(() => null);
    if (from && from.id !== actor.id) {
      const message = `${reference} was reassigned from you to ${to?.name ?? "someone else"} by ${actor.name}.`;
      if (!(await this.tell(from, reference, message))) unreached.push(from.name);
    }
    return { unreached };
  }

  /**
   * After a step of a letter or email: words that need signing off go to every manager who did
   * not write them, as the case's card (which offers Approve and Send back beside them); an
   * approval or a send-back goes to whoever wrote the words. Names whoever could not be reached.
   */
  async letterStep(actor: Actor, reference: string, { step, item, comment }: LetterStep): Promise<{ unreached: string[] }> {
    const what = `item ${item.number} of ${reference} (${templateLabel(item.templateKey)} ${item.form} to ${item.recipient.name})`;
    const people: { person: StaffRecord; message: string }[] = [];
    if ((step === "draft" || step === "redraft") && item.status === "awaiting_approval") {
      // Staff who cannot be listed just now are not told; the item waits on the card and in outgoing all the same.
      const managers = (await this.staff.list().catch(() => [])).filter((person) => person.active && hasRole(person, "manager") && person.id !== actor.id && person.id !== item.draftedBy.id);
      for (const person of managers) people.push({ person, message: `${actor.name} wrote ${what}: it needs your sign-off. Read it on the card, then Approve it or Send it back.` });
    }
    if ((step === "approve" || step === "send_back") && item.draftedBy.id !== actor.id) {
      const writer = await this.staff.findById(item.draftedBy.id).catch(() => null);
      const message = step === "approve" ? `${actor.name} approved ${what}: send it when you are ready.` : `${actor.name} sent ${what} back to you: ${comment ?? ""}`.trim();
      if (writer?.active) people.push({ person: writer, message });
    }
    const unreached: string[] = [];
    for (const { person, message } of people) if (!(await this.tell(person, reference, message))) unreached.push(person.name);
    return { unreached };
  }

  /** Tells one member of staff something about a case (an email arrived on it), on their platform; false when it reached them nowhere. */
  async tellStaff(staffId: number, reference: string, message: string): Promise<boolean> {
    const person = await this.staff.findById(staffId).catch(() => null);
    return person ? this.tell(person, reference, message) : false;
  }

  private async tell(person: StaffRecord, reference: string, message: string): Promise<boolean> {
    const messengers = this.messengers.filter((messenger) => messenger.postPersonalCase !== undefined);
    try {
      const view = await this.viewFor(person, reference);
      const result = await this.reachability.deliver(person, messengers, (messenger) => messenger.postPersonalCase?.(person, view, message) ?? Promise.resolve());
      return result.delivered;
    } catch {
      // The case could not be read or the outcome not recorded: the assignment itself stands.
      return false;
    }
  }
}
