import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DomainError } from "../domain/errors.ts";

/**
 * PGlite is one process's database: two processes opening the same data directory
 * would corrupt it. Each Postbag process holds this lock file while the directory
 * is open; a second process is refused with a way forward. A lock left by a process
 * that died is taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, "postbag.lock");
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, "wx");
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = Number(readFileSync(path, "utf8").trim());
        if (holder && holder !== process.pid && isAlive(holder)) {
          throw new DomainError(
            "unavailable",
            `The embedded database in ${dataDir} is in use by another Postbag process (pid ${holder}). ` +
              "Stop that process first, or run both against one PostgreSQL server by setting DATABASE_URL.",
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new DomainError("unavailable", `Could not lock the embedded database in ${dataDir}; try again.`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
