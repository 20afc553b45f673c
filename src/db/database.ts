import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { DataDirLock } from "./data-dir-lock.ts";
import { PrismaClient } from "./generated/client.ts";

/** Raw SQL on the driver itself, for what Prisma cannot do: multi-statement migration scripts. */
export interface SqlTransaction {
  exec(script: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database {
  engine: "pglite" | "postgres";
  prisma: PrismaClient;
  /**
   * One statement straight on the driver, outside any transaction, with positional
   * parameters. For the hot paths only (see src/db/case-snapshot.ts): on the embedded
   * database Prisma's own work per query costs more than a small query itself.
   */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseTarget = { url: string } | { dataDir: string } | { inMemory: true };

// Interactive transactions queue behind each other on PGlite's single connection,
// so the wait for one to start must allow for a burst of concurrent requests.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

/** Opens PostgreSQL when given a URL, otherwise the embedded PGlite database. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return "url" in target ? openPostgres(target.url) : openPglite(target);
}

async function openPostgres(url: string): Promise<Database> {
  // The PostgreSQL driver loads only for a PostgreSQL server: the embedded database never needs it.
  const [{ default: pg }, { PrismaPg }] = await Promise.all([import("pg"), import("@prisma/adapter-pg")]);
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS });
  return {
    engine: "postgres",
    prisma,
    query: async <Row>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as Row[],
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({
          exec: async (script) => void (await client.query(script)),
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * The embedded server's own buffer cache: PostgreSQL's default (128 MB) is sized for a server with
 * the machine to itself, and would be most of an embedded Postbag's memory. One office's case
 * files fit in 32 MB, and the data directory's files are in the operating system's cache besides
 * (measured in BENCHMARKS.md: resident memory after start, ~150 MB less).
 */
const PGLITE_SETTINGS = ["shared_buffers=32MB"];

async function openPglite(target: { dataDir: string } | { inMemory: true }): Promise<Database> {
  const lock = "dataDir" in target ? await DataDirLock.acquire(target.dataDir) : null;
  let client: PGlite;
  try {
    client = await PGlite.create({ ...("dataDir" in target ? { dataDir: target.dataDir } : {}), postgresqlconf: PGLITE_SETTINGS });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client), transactionOptions: TRANSACTION_OPTIONS });
  return {
    engine: "pglite",
    prisma,
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query<Row>(sql, params)).rows,
    transaction: (work) =>
      client.transaction((tx) =>
        work({
          exec: async (script) => void (await tx.exec(script)),
          query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
        }),
      ),
    async close() {
      await prisma.$disconnect();
      await client.close();
      await lock?.release();
    },
  };
}
