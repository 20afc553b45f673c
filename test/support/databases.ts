import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { openPostbag, type CoreSettings, type Postbag } from "../../src/app.ts";
import { DEFAULT_STANDARDS } from "../../src/domain/settings.ts";
import type { Clock } from "../../src/domain/ports.ts";
import type { DatabaseTarget } from "../../src/db/database.ts";
import type { MailSender } from "../../src/domain/letters/mail-sender.ts";

export const TEST_SETTINGS: CoreSettings = { nation: "england-and-wales" as const, closureDays: [] as string[], standards: DEFAULT_STANDARDS };

export interface TestDatabase {
  engine: "pglite" | "postgres";
  /** A fresh, empty database of this engine. */
  create(): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }>;
}

const pglite: TestDatabase = {
  engine: "pglite",
  async create() {
    return { target: { inMemory: true }, drop: async () => {} };
  },
};

/** A separate database per test on the CI server, so files running in parallel never meet. */
export function postgres(adminUrl: string): TestDatabase {
  return {
    engine: "postgres",
    async create() {
      const name = `postbag_test_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        target: { url: url.toString() },
        drop: async () => {
          const client = new pg.Client({ connectionString: adminUrl });
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await client.end();
        },
      };
    },
  };
}

/** Every engine the suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DATABASES: TestDatabase[] = process.env.TEST_DATABASE_URL
  ? [pglite, postgres(process.env.TEST_DATABASE_URL)]
  : [pglite];

/** Declares the same tests once per engine. */
export function describeEachDatabase(title: string, body: (database: TestDatabase) => void): void {
  for (const database of TEST_DATABASES) {
    describe(`${title} [${database.engine}]`, () => body(database));
  }
}

/** A migrated Postbag on a fresh database of the given engine. */
export async function openTestPostbag(
  database: TestDatabase,
  clock?: Clock,
  settings = TEST_SETTINGS,
  /** Where emails go (a relay on loopback); without it, sending an email is refused as not configured. */
  mailSender?: MailSender,
): Promise<Postbag & { target: DatabaseTarget }> {
  const { target, drop } = await database.create();
  const postbag = await openPostbag(target, settings, { clock, mailSender });
  return {
    ...postbag,
    target,
    async close() {
      await postbag.close();
      await drop();
    },
  };
}
