import type { RunSql } from "./case-snapshot.ts";

const BLOCK = 32;

/**
 * Case ids taken from the table's sequence a block at a time. A case's first timeline
 * entries are hashed over its id, so the id must be known before the case is written;
 * reserving ahead keeps logging to one round trip. Ids are internal (references are
 * numbered gap-free by their own counter), so the ids a stopped process never used are
 * simply skipped, as PostgreSQL skips a sequence value a rolled-back insert took.
 */
export class CaseIdReserve {
  private ids: number[] = [];

  constructor(private readonly run: RunSql) {}

  async next(): Promise<number> {
    while (this.ids.length === 0) {
      const rows = await this.run<{ id: number }>(
        `SELECT nextval(pg_get_serial_sequence('"case"', 'id'))::int AS "id" FROM generate_series(1, $1::int)`,
        [BLOCK],
      );
      this.ids.push(...rows.map((row) => row.id).sort((a, b) => a - b));
    }
    return this.ids.shift()!;
  }
}
