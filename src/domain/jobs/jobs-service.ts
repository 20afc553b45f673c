import { DomainError } from "../errors.ts";
import { hasRole, type Actor } from "../staff/roles.ts";
import type { DigestChannel, DigestChannelStore, JobRun, JobRunStore } from "./job-runs.ts";

/** What managers do with the scheduled jobs: choose where the digest goes, and see every run. */
export class JobsService {
  constructor(
    private readonly runs: JobRunStore,
    private readonly channels: DigestChannelStore,
  ) {}

  async subscribe(actor: Actor, channel: DigestChannel): Promise<string> {
    assertManager(actor, "choose where the digest goes");
    const added = await this.channels.add(channel, actor.id);
    return added ? "This channel will receive the manager digest every working morning." : "This channel already receives the manager digest.";
  }

  async unsubscribe(actor: Actor, channel: DigestChannel): Promise<string> {
    assertManager(actor, "choose where the digest goes");
    const removed = await this.channels.remove(channel);
    return removed ? "This channel will no longer receive the manager digest." : "This channel was not receiving the manager digest.";
  }

  async listRuns(actor: Actor, limit = 50): Promise<JobRun[]> {
    assertManager(actor, "see the job runs");
    return this.runs.list({ limit });
  }
}

function assertManager(actor: Actor, doing: string): void {
  if (!hasRole(actor, "manager")) throw new DomainError("not_permitted", `Only managers can ${doing}.`);
}
