import { mkdirSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { DomainError } from "../domain/errors.ts";

/**
 * How the lock behaves (proper-lockfile: an atomic mkdir, its time refreshed while held).
 * A lock whose time has not moved for STALE_MS belongs to a process that died (or froze)
 * and is taken over; the holder refreshes it every UPDATE_MS. Opening waits a little longer
 * than STALE_MS, so a restart straight after a crash waits for the dead lock rather than failing.
 */
const STALE_MS = 10_000;
const UPDATE_MS = 2_000;
const WAIT_RETRIES = 12;
const WAIT_STEP_MS = 1_000;

/**
 * PGlite is one process's database: two processes opening the same data directory would
 * corrupt it. Each Postbag process holds this lock while the directory is open; another is
 * refused with a way forward. Not a process id (ids are reused, and a container's server is
 * always the same one) but a lock kept fresh while its holder lives.
 */
export class DataDirLock {
  private constructor(private readonly releaseLock: () => Promise<void>) {}

  static async acquire(dataDir: string): Promise<DataDirLock> {
    mkdirSync(dataDir, { recursive: true });
    try {
      const release = await lockfile.lock(dataDir, {
        lockfilePath: join(dataDir, "postbag.lock"),
        realpath: false,
        stale: STALE_MS,
        update: UPDATE_MS,
        retries: { retries: WAIT_RETRIES, minTimeout: WAIT_STEP_MS, maxTimeout: WAIT_STEP_MS, factor: 1 },
        onCompromised: (error) => {
          // Another process took the directory over (this one froze past STALE_MS): stop
          // rather than become a second writer.
          process.stderr.write(`The embedded database lock in ${dataDir} was lost (${error.message}); stopping so that two processes never write it.\n`);
          process.exit(75);
        },
      });
      return new DataDirLock(release);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
      throw new DomainError(
        "unavailable",
        `The embedded database in ${dataDir} is in use by another Postbag process. ` +
          "If that is the running server, the postbag command reaches it by itself once it has started; otherwise wait for the other command to finish, " +
          "or run everything against one PostgreSQL server by setting DATABASE_URL.",
      );
    }
  }

  async release(): Promise<void> {
    await this.releaseLock().catch(() => {});
  }
}
