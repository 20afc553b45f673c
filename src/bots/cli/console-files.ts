import { mkdir, readFile, stat, writeFile } from "node:fs/promises";

/** What a console command prints: its answer, and its refusals and faults. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * The files a command reads and writes: always the console's own, as the person at it sees
 * them, even when the command itself runs inside the server (see console-socket.ts).
 */
export interface CliFiles {
  read(path: string): Promise<Uint8Array>;
  write(path: string, content: string | Uint8Array, mode?: number): Promise<void>;
  mkdir(path: string): Promise<void>;
  isDirectory(path: string): Promise<boolean>;
}

export const localFiles: CliFiles = {
  read: async (path) => new Uint8Array(await readFile(path)),
  write: (path, content, mode) => writeFile(path, content, mode === undefined ? undefined : { mode }),
  mkdir: async (path) => void (await mkdir(path, { recursive: true })),
  isDirectory: (path) => stat(path).then((s) => s.isDirectory(), () => false),
};

