import { chmod, rm } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import type { Logger } from "../../logger.ts";
import type { CliFiles, CliIo } from "./console-files.ts";
import type { CliSession } from "./cli.ts";

/** Runs one console command in this process (cli.ts runCliSession over the open Postbag). */
export type ConsoleCommandRunner = (argv: readonly string[], session: CliSession, io: CliIo) => Promise<number>;

/**
 * The console socket: how the `postbag` command reaches an embedded database that the
 * running server holds. PGlite has one writer, so the command does not open the database
 * beside the server; it sends its words to the server, which runs them through the same
 * console session code and the same core, with the console's own files (read and written
 * by the command's process, never the server's) and the console's own POSTBAG_CLI_AS.
 *
 * Chosen over serving PGlite itself on a socket (pglite-socket): that multiplexes clients
 * onto PGlite's one session, so a command's open transaction would take in the server's own
 * statements; and the server stays the only process that ever touches the directory.
 *
 * The socket is a Unix socket in the data directory, readable and writable by its owner
 * only: whoever can use it could already open the database files themselves.
 *
 * The conversation is JSON, one message a line. The command sends `run`; the server answers
 * with `out`/`err` lines, `call`s for the console's files (each answered by a `reply`), and
 * finally `exit` with the exit code.
 */

export function consoleSocketPath(dataDir: string): string {
  return join(dataDir, "postbag.sock");
}

// A Unix socket's path must fit sun_path (108 bytes with its terminator on Linux).
const MAX_SOCKET_PATH_BYTES = 107;

const fitsSocketPath = (path: string) => Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES;

const runMessage = z.object({
  type: z.literal("run"),
  argv: z.array(z.string().max(100_000)).max(500),
  defaultAs: z.string().max(200).optional(),
});

const replyMessage = z.object({
  type: z.literal("reply"),
  id: z.number().int(),
  ok: z.boolean(),
  value: z.union([z.string(), z.boolean(), z.null()]).optional(),
  error: z.string().optional(),
});

const serverMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("out"), text: z.string() }),
  z.object({ type: z.literal("err"), text: z.string() }),
  z.object({
    type: z.literal("call"),
    id: z.number().int(),
    op: z.enum(["read", "write", "mkdir", "isDirectory"]),
    path: z.string(),
    content: z.string().optional(),
    mode: z.number().int().optional(),
  }),
  z.object({ type: z.literal("exit"), code: z.number().int() }),
]);
type ServerMessage = z.infer<typeof serverMessage>;

function send(socket: Socket, message: unknown): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

/** Starts the console socket of a server holding the embedded database in `dataDir`. */
export async function serveConsole(dataDir: string, run: ConsoleCommandRunner, logger: Logger): Promise<{ close(): Promise<void> } | null> {
  const path = consoleSocketPath(dataDir);
  if (!fitsSocketPath(path)) {
    logger.warn(`The postbag command cannot reach this server while it runs: ${path} is too long for a socket. Use a shorter POSTBAG_DATA_DIR.`);
    return null;
  }
  // This process holds the data directory's lock, so a socket file left there is a dead server's.
  await rm(path, { force: true });
  const server = createServer((socket) => void serveOne(run, socket, logger));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

async function serveOne(runCommand: ConsoleCommandRunner, socket: Socket, logger: Logger): Promise<void> {
  socket.on("error", () => {});
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let started = false;
  const gone = () => new DomainError("unavailable", "The console that sent this command has gone.");
  socket.once("close", () => {
    for (const call of pending.values()) call.reject(gone());
    pending.clear();
  });
  const call = (op: "read" | "write" | "mkdir" | "isDirectory", path: string, extra: { content?: string; mode?: number } = {}) =>
    new Promise<unknown>((resolve, reject) => {
      if (socket.destroyed) return reject(gone());
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send(socket, { type: "call", id, op, path, ...extra });
    });
  const files: CliFiles = {
    read: async (path) => Buffer.from(String(await call("read", path)), "base64"),
    write: async (path, content, mode) => void (await call("write", path, { content: Buffer.from(content).toString("base64"), mode })),
    mkdir: async (path) => void (await call("mkdir", path)),
    isDirectory: async (path) => (await call("isDirectory", path)) === true,
  };
  const io: CliIo = { out: (text) => send(socket, { type: "out", text }), err: (text) => send(socket, { type: "err", text }) };

  for await (const line of createInterface({ input: socket, crlfDelay: Infinity })) {
    const message = parseLine(line);
    if (message === undefined) {
      socket.destroy();
      return;
    }
    if (!started) {
      const run = runMessage.safeParse(message);
      if (!run.success) {
        socket.destroy();
        return;
      }
      started = true;
      const session: CliSession = { defaultAs: run.data.defaultAs, files };
      void runCommand(run.data.argv, session, io).then(
        (code) => {
          send(socket, { type: "exit", code });
          socket.end();
        },
        (error: unknown) => {
          logger.error({ err: error }, "a console command failed");
          socket.destroy();
        },
      );
      continue;
    }
    const reply = replyMessage.safeParse(message);
    const waiting = reply.success ? pending.get(reply.data.id) : undefined;
    if (!reply.success || !waiting) continue;
    pending.delete(reply.data.id);
    if (reply.data.ok) waiting.resolve(reply.data.value ?? null);
    else waiting.reject(new DomainError("invalid_input", reply.data.error ?? "The console could not use that file."));
  }
}

/**
 * Runs a command in the server holding `dataDir`, if one is running there; null when none is
 * (then the command opens the database itself). The server's answer is printed as it comes.
 */
export async function runInRunningServer(dataDir: string, argv: readonly string[], session: CliSession, io: CliIo): Promise<number | null> {
  const path = consoleSocketPath(dataDir);
  if (!fitsSocketPath(path)) return null;
  const socket = await new Promise<Socket | null>((resolve, reject) => {
    const attempt = connect(path);
    attempt.once("connect", () => resolve(attempt));
    attempt.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") resolve(null);
      else if (error.code === "EACCES") reject(new DomainError("not_permitted", `The running Postbag server's console (${path}) belongs to another user: run postbag as the user the server runs as.`));
      else reject(error);
    });
  });
  if (!socket) return null;
  socket.on("error", () => {});
  send(socket, { type: "run", argv: [...argv], defaultAs: session.defaultAs });
  for await (const line of createInterface({ input: socket, crlfDelay: Infinity })) {
    const parsed = serverMessage.safeParse(parseLine(line));
    if (!parsed.success) continue;
    const message: ServerMessage = parsed.data;
    if (message.type === "out") io.out(message.text);
    else if (message.type === "err") io.err(message.text);
    else if (message.type === "exit") {
      socket.end();
      return message.code;
    } else {
      send(socket, await answerCall(message, session.files));
    }
  }
  throw new DomainError(
    "unavailable",
    "The running Postbag server closed the connection before answering; the command may not have been done. Check, then run it again (--request <id> makes a retry safe).",
  );
}

/** A line of the conversation as data; a line that is not JSON is nothing (and is skipped). */
function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

async function answerCall(call: Extract<ServerMessage, { type: "call" }>, files: CliFiles): Promise<unknown> {
  try {
    switch (call.op) {
      case "read":
        return { type: "reply", id: call.id, ok: true, value: Buffer.from(await files.read(call.path)).toString("base64") };
      case "write":
        await files.write(call.path, Buffer.from(call.content ?? "", "base64"), call.mode);
        return { type: "reply", id: call.id, ok: true, value: null };
      case "mkdir":
        await files.mkdir(call.path);
        return { type: "reply", id: call.id, ok: true, value: null };
      case "isDirectory":
        return { type: "reply", id: call.id, ok: true, value: await files.isDirectory(call.path) };
    }
  } catch (error) {
    return { type: "reply", id: call.id, ok: false, error: `Cannot use ${call.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}
