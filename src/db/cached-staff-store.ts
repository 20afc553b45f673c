import type { NewStaff, StaffRecord, StaffStore } from "../domain/staff/staff-record.ts";

/**
 * Remembers who is behind a Slack or Teams id, so recognising the sender of every
 * request does not cost a query. Only for a database this process alone writes (the
 * embedded one, guarded by its data-directory lock): every staff change passes through
 * here and empties the cache, so it is never stale. With PostgreSQL another process may
 * change a record, so Postbag reads staff from the database there.
 */
export class CachedStaffStore implements StaffStore {
  private readonly bySlackId = new Map<string, StaffRecord>();
  private readonly byTeamsId = new Map<string, StaffRecord>();
  private readonly byId = new Map<number, StaffRecord>();
  /** Bumped by every write, so a read that overlapped one does not refill the cache with what it read before. */
  private generation = 0;

  constructor(private readonly store: StaffStore) {}

  async create(staff: NewStaff, options: { onlyIfEmpty: boolean }): Promise<StaffRecord | null> {
    try {
      return await this.store.create(staff, options);
    } finally {
      this.forget();
    }
  }

  async update(id: number, patch: Partial<NewStaff & { active: boolean }>): Promise<StaffRecord> {
    try {
      return await this.store.update(id, patch);
    } finally {
      this.forget();
    }
  }

  count(): Promise<number> {
    return this.store.count();
  }

  findById(id: number): Promise<StaffRecord | null> {
    return this.remembered(this.byId, id, () => this.store.findById(id));
  }

  findBySlackId(slackUserId: string): Promise<StaffRecord | null> {
    return this.remembered(this.bySlackId, slackUserId, () => this.store.findBySlackId(slackUserId));
  }

  findByTeamsId(teamsUserId: string): Promise<StaffRecord | null> {
    return this.remembered(this.byTeamsId, teamsUserId, () => this.store.findByTeamsId(teamsUserId));
  }

  findByLookup(text: string): Promise<StaffRecord[]> {
    return this.store.findByLookup(text);
  }

  list(): Promise<StaffRecord[]> {
    return this.store.list();
  }

  /** Unknown ids are not remembered: anyone can send them, and registering one must take effect at once. */
  private async remembered<Key>(cache: Map<Key, StaffRecord>, key: Key, load: () => Promise<StaffRecord | null>): Promise<StaffRecord | null> {
    const known = cache.get(key);
    if (known) return copy(known);
    const generation = this.generation;
    const found = await load();
    if (found && generation === this.generation) cache.set(key, copy(found));
    return found;
  }

  private forget(): void {
    this.generation += 1;
    this.bySlackId.clear();
    this.byTeamsId.clear();
    this.byId.clear();
  }
}

/** Callers get their own copy, so nothing they do to a record reaches the cache. */
function copy(staff: StaffRecord): StaffRecord {
  return { ...staff, roles: [...staff.roles] };
}
