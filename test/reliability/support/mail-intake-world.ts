import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ImapFlow } from "imapflow";
import { expect } from "vitest";
import { openPostbag, type Postbag } from "../../../src/app.ts";
import type { DatabaseTarget } from "../../../src/db/database.ts";
import type { AttachmentInfo } from "../../../src/domain/intake/intake-message.ts";
import { LocalFileStore } from "../../../src/files/local-file-store.ts";
import { TestClock } from "../../support/clock.ts";
import { TEST_SETTINGS, type TestDatabase } from "../../support/databases.ts";
import type { DovecotServer } from "../../support/dovecot.ts";
import { mail, PDF } from "../../support/mail.ts";

const POLLER = fileURLToPath(new URL("./mail-intake-poller.ts", import.meta.url));

/** When the mailbox received every test message, and the instant the pollers' fixed clock reads. */
export const DELIVERED_AT = new Date("2026-12-01T09:30:00Z"); // Tuesday 1 December 2026
export const RECORDED_AT = "2026-12-01T10:00:00Z";

/** One message put into the mailbox, and what it must be recorded as. */
export interface Delivered {
  uid: number;
  sourceKey: string;
  messageId: string | null;
  subject: string;
  /** The raw message's size: how far into a transfer it ends. */
  size: number;
  /** The bytes of its attachments, which the file store must hold whole. */
  files: Buffer[];
}

/**
 * An office's morning post: `count` messages with fixed dates, every third with a PDF and a
 * photo of its own (about 130 kB encoded), two without a Message-ID (only their place in the
 * mailbox tells them apart) and one that cannot be read at all.
 */
export function morningPost(label: string, count: number): { raw: Buffer; messageId: string | null; subject: string; files: Buffer[] }[] {
  return Array.from({ length: count }, (_, n) => {
    const subject = `${label} letter ${n}`;
    if (n === 7) return { raw: mail.malformed(), messageId: null, subject: "", files: [] };
    const messageId = n === 3 || n === count - 2 ? null : `${label}-${n}@example.com`;
    const headers = { subject, messageId: messageId ? `<${messageId}>` : null, date: "Tue, 01 Dec 2026 09:00:00 +0000" };
    if (n % 3 === 1) {
      const photo = randomBytes(96 * 1024);
      return { raw: Buffer.from(mail.withAttachments(headers, PDF, photo)), messageId, subject, files: [PDF, photo] };
    }
    return { raw: Buffer.from(mail.plain(headers, `Letter ${n} of the morning post.`)), messageId, subject, files: [] };
  });
}

/** Appends the messages to a folder (made if missing) and answers each one's UID there. */
export async function deliver(server: DovecotServer, folder: string, messages: ReturnType<typeof morningPost>): Promise<Delivered[]> {
  const client = new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user: server.user, pass: server.password }, logger: false });
  await client.connect();
  try {
    if (!(await client.list()).some((box) => box.path === folder)) await client.mailboxCreate(folder);
    const delivered: Delivered[] = [];
    for (const message of messages) {
      const appended = await client.append(folder, message.raw, [], DELIVERED_AT);
      if (!appended || !appended.uid || !appended.uidValidity) throw new Error("Dovecot did not say which UID the message got (UIDPLUS)");
      const { raw, ...rest } = message;
      delivered.push({ ...rest, uid: appended.uid, sourceKey: `${appended.uidValidity}:${appended.uid}`, size: raw.byteLength });
    }
    return delivered;
  } finally {
    await client.logout();
  }
}

/** What a poller process wrote after each poll. */
export interface PollResult {
  poll: number;
  recorded: number;
  failed: string[];
  error?: string;
}

/** The mail-intake job alone in a process of its own (support/mail-intake-poller.ts): killable at any moment. */
export class PollerProcess {
  readonly results: PollResult[] = [];
  log = "";
  private listeners: (() => void)[] = [];

  private constructor(readonly child: ChildProcess) {}

  static async start(env: Record<string, string>): Promise<PollerProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", POLLER], {
      env: { ...process.env, DATABASE_URL: "", POSTBAG_DATA_DIR: "", LOG_LEVEL: "warn", POLLER_NOW: RECORDED_AT, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const poller = new PollerProcess(child);
    let pending = "";
    let ready = false;
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        const parsed = JSON.parse(line) as PollResult | { ready: true };
        if ("ready" in parsed) ready = true;
        else poller.results.push(parsed);
      }
      for (const listener of poller.listeners) listener();
    });
    child.stderr.on("data", (chunk: Buffer) => (poller.log += chunk.toString()));
    child.once("exit", () => {
      for (const listener of poller.listeners) listener();
    });
    await poller.until(() => ready, 30_000, "started");
    return poller;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once `done()` holds, checked after each line the process writes. */
  until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) return finish(resolve);
        if (!this.alive) finish(() => reject(new Error(`The poller exited before it ${what}:\n${this.log}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`The poller had not ${what} after ${timeoutMs} ms; it wrote ${JSON.stringify(this.results)}\n${this.log}`))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((listener) => listener !== check);
        then();
      };
      this.listeners.push(check);
      check();
    });
  }

  /** SIGKILL: no chance to finish anything. SIGTERM: the poll under way finishes, the database is closed. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }
}

/** A database and a file store the pollers share, as replicas of one deployment do. */
export class IntakeWorld {
  readonly filesDir = mkdtempSync(join(tmpdir(), "postbag-intake-files-"));
  private dataDir?: string;
  private drop: () => Promise<void> = async () => {};
  readonly clock = new TestClock("2026-12-02T10:00:00Z"); // the morning after the post came

  private constructor(
    readonly engine: TestDatabase["engine"],
    public target: DatabaseTarget,
  ) {}

  /** The embedded database in a folder of its own (processes take turns), or a fresh PostgreSQL database. */
  static async create(database: TestDatabase): Promise<IntakeWorld> {
    if (database.engine === "pglite") {
      const dataDir = mkdtempSync(join(tmpdir(), "postbag-intake-data-"));
      const world = new IntakeWorld("pglite", { dataDir });
      world.dataDir = dataDir;
      return world;
    }
    const created = await database.create();
    const world = new IntakeWorld("postgres", created.target);
    world.drop = created.drop;
    return world;
  }

  /** The environment of a poller reading `imap` through this world's database and file store. */
  env(imap: { host: string; port: number; user: string; password: string; folder: string }, extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...("url" in this.target ? { DATABASE_URL: this.target.url } : { POSTBAG_DATA_DIR: (this.target as { dataDir: string }).dataDir }),
      POSTBAG_FILES_DIR: this.filesDir,
      POSTBAG_IMAP_HOST: imap.host,
      POSTBAG_IMAP_PORT: String(imap.port),
      POSTBAG_IMAP_SECURITY: "off",
      POSTBAG_IMAP_USER: imap.user,
      POSTBAG_IMAP_PASSWORD: imap.password,
      POSTBAG_IMAP_MAILBOX: imap.folder,
      ...extra,
    };
  }

  /** Opens the database here (the embedded one only while no poller holds it). */
  async with<T>(work: (postbag: Postbag) => Promise<T>): Promise<T> {
    const postbag = await openPostbag(this.target, TEST_SETTINGS, { clock: this.clock, files: new LocalFileStore(this.filesDir) });
    try {
      return await work(postbag);
    } finally {
      await postbag.close();
    }
  }

  async dispose(): Promise<void> {
    await this.drop();
    rmSync(this.filesDir, { recursive: true, force: true });
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * The source keys one poller has recorded so far, and its cursor. Each batch is written with its
 * cursor in one transaction, so after any stop the record is exactly UIDs 1 to the cursor: none
 * missing below it, none above it.
 */
export async function recordedSoFar(postbag: Postbag, source: string): Promise<{ keys: Set<string>; lastUid: number }> {
  const rows = await postbag.db.prisma.intakeMessage.findMany({ where: { source }, select: { sourceKey: true } });
  const cursor = await postbag.core.intake.cursor(source);
  const lastUid = cursor?.kind === "imap" ? cursor.lastUid : 0;
  const uids = rows.map((row) => Number(row.sourceKey.split(":")[1])).sort((a, b) => a - b);
  expect(uids, `the record against the cursor (UID ${lastUid})`).toEqual(Array.from({ length: lastUid }, (_, index) => index + 1));
  return { keys: new Set(rows.map((row) => row.sourceKey)), lastUid };
}

/**
 * Every delivered message is in the intake record exactly once — by its place in the mailbox and
 * by its Message-ID — whole (each attachment's bytes in the file store), and the cursor is at the
 * last one.
 */
export async function expectEachRecordedOnce(postbag: Postbag, source: string, delivered: readonly Delivered[]): Promise<void> {
  const rows = await postbag.db.prisma.intakeMessage.findMany({ where: { source }, orderBy: { id: "asc" } });
  const tally = (values: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const bySourceKey = tally(rows.map((row) => row.sourceKey));
  const byMessageId = tally(rows.map((row) => row.messageId));
  expect(rows.length).toBe(delivered.length);
  expect(delivered.filter((message) => bySourceKey.get(message.sourceKey) !== 1).map((message) => `${message.sourceKey} × ${bySourceKey.get(message.sourceKey) ?? 0}`)).toEqual([]);
  expect(delivered.filter((message) => message.messageId && byMessageId.get(message.messageId) !== 1).map((message) => `${message.messageId} × ${byMessageId.get(message.messageId!) ?? 0}`)).toEqual([]);
  expect(rows.filter((row) => row.state === "unreadable")).toHaveLength(delivered.filter((message) => message.subject === "").length);
  const bySubject = new Map(rows.map((row) => [row.subject, row]));
  for (const message of delivered.filter((each) => each.files.length)) {
    const attachments = bySubject.get(message.subject)!.attachments as unknown as AttachmentInfo[];
    expect(attachments.map((file) => file.size), message.subject).toEqual(message.files.map((file) => file.byteLength));
    for (const [index, file] of attachments.entries()) expect(Buffer.from(await postbag.core.files.store.get(file.sha256!)).equals(message.files[index]!), `${message.subject}: ${file.filename}`).toBe(true);
  }
  expect(await postbag.core.intake.cursor(source)).toMatchObject({ kind: "imap", lastUid: Math.max(...delivered.map((message) => message.uid)) });
}

/**
 * The no-loss audit's view: before anyone decides, every message received counts and, two days
 * on, every one is unaccounted; once each is logged or dismissed, received = decided and none is
 * unaccounted.
 */
export async function expectAuditAccountsForAll(postbag: Postbag, source: string, count: number): Promise<void> {
  const { staff: manager } = await postbag.core.staff.registerStaff(null, { name: "Mina Manager", roles: "admin,manager,caseworker" });
  const audit = () => postbag.core.audit.audit("2026-12-04"); // Friday: Tuesday's post is past its working day
  const before = await audit();
  expect(before.intake).toMatchObject({ received: count, undecided: count, unaccounted: count, awaiting: 0 });
  expect(before.totals.intake_unaccounted).toBe(count);

  const rows = await postbag.db.prisma.intakeMessage.findMany({ where: { source }, orderBy: { id: "asc" } });
  const logged = rows.filter((row) => row.state === "new").slice(0, 2);
  for (const row of logged) await postbag.core.intake.log(manager, { id: row.id }, { platform: "cli" });
  for (const row of rows.filter((each) => !logged.includes(each))) {
    await postbag.core.intake.dismiss(manager, row.state === "unreadable" ? { id: row.id, reason: "other", note: "damaged, nothing readable" } : { id: row.id, reason: row.id % 2 ? "spam" : "newsletter" });
  }

  const after = await audit();
  expect(after.intake).toMatchObject({ received: count, logged: 2, dismissed: count - 2, undecided: 0, unaccounted: 0, awaiting: 0 });
  expect(after.totals.intake_unaccounted).toBeUndefined();
  expect(await postbag.core.intake.figures("2026-12-01", "2026-12-01", "2026-12-04")).toMatchObject({ received: count, unaccounted: 0 });
}
