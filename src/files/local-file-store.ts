import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DomainError } from "../domain/errors.ts";
import { SHA256_PATTERN, type FileStore } from "../domain/files/file-store.ts";

/**
 * Files in a folder (by default `files/` in the data directory), at `<aa>/<sha256>` where `aa`
 * is the hash's first two digits, so no folder grows past a few thousand entries. Each file is
 * written to a temporary name and renamed into place, so a reader never sees half a file and a
 * crash leaves at worst a temporary to ignore; the same content is written once. Readable by
 * Postbag's own user only (0600; folders 0700).
 */
export class LocalFileStore implements FileStore {
  private readonly root: string;

  constructor(root: string) {
    if (!root.trim()) throw new Error("The file store needs a folder (POSTBAG_FILES_DIR or the data directory).");
    this.root = resolve(root);
  }

  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const path = this.pathOf(sha256);
    const size = bytes.byteLength;
    const existing = await stat(path).catch(() => null);
    if (existing?.size === size) return { sha256, size };
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, bytes, { mode: 0o600, flag: "wx" });
      await chmod(temporary, 0o600);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { sha256, size };
  }

  async get(sha256: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(sha256)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw missing(sha256);
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  private pathOf(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new DomainError("invalid_input", "That is not a file's SHA-256.");
    return join(this.root, sha256.slice(0, 2), sha256);
  }
}

export function missing(sha256: string): DomainError {
  return new DomainError("unavailable", `The stored copy of file ${sha256.slice(0, 12)}… is missing. Ask whoever runs Postbag to restore the file store from its back-up.`);
}
