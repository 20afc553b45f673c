import type { FetchedMail, MailBatch, MailSource, SourceCursor } from "../domain/intake/intake-message.ts";
import { readMail, tooLargeProblem } from "./parse-mail.ts";

export interface ImapSettings {
  host: string;
  port: number;
  /** tls: TLS from the start (port 993); starttls: upgrade a plain connection (port 143); off: plain text, for a server on this machine only. */
  security: "tls" | "starttls" | "off";
  user: string;
  password: string;
  mailbox: string;
  /** The largest message read whole; a larger one is recorded without its content, for a person to open in the mailbox. */
  maxMessageBytes?: number;
}

const DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

/** Messages in one batch at most, and bytes (a batch is held in memory while it is recorded). */
const BATCH_MESSAGES = 25;
const BATCH_BYTES = 40 * 1024 * 1024;

/**
 * An IMAP mailbox (imapflow), read by UID: the folder is opened read-only (nothing is marked
 * seen or moved), every UID above the last one recorded is fetched in batches, and the cursor is
 * the folder's UIDVALIDITY with the last UID of each batch. A changed UIDVALIDITY (the folder
 * was recreated) reads the folder again from the start; the Message-ID keeps repeats out.
 */
export class ImapSource implements MailSource {
  readonly name: string;

  constructor(private readonly settings: ImapSettings) {
    this.name = `imap:${settings.user}@${settings.host}/${settings.mailbox}`;
  }

  async *read(cursor: SourceCursor | null): AsyncIterable<MailBatch> {
    const { host, port, security, user, password, mailbox } = this.settings;
    // Loaded with the first read, not at start (only a process reading a mailbox needs it).
    const { ImapFlow } = await import("imapflow");
    const client = new ImapFlow({
      host,
      port,
      secure: security === "tls",
      doSTARTTLS: security === "starttls" ? true : security === "off" ? false : undefined,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
      // A server that freezes rather than stops fails this poll within a minute (imapflow's default is five).
      socketTimeout: 60_000,
    });
    // A dropped connection is reported by the next command; the event must not crash the process.
    client.on("error", () => {});
    await client.connect();
    try {
      const box = await client.mailboxOpen(mailbox, { readOnly: true });
      const uidValidity = Number(box.uidValidity);
      const after = cursor?.kind === "imap" && cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
      const sizes = box.exists === 0 ? [] : await client.fetchAll(`${after + 1}:*`, { uid: true, size: true }, { uid: true });
      // `n:*` names the last message even when its UID is below n: only UIDs above the cursor are new.
      const wanted = sizes.filter((message) => message.uid > after).sort((a, b) => a.uid - b.uid);
      if (wanted.length === 0) {
        if (!cursor || cursor.kind !== "imap" || cursor.uidValidity !== uidValidity) yield { messages: [], cursor: { kind: "imap", uidValidity, lastUid: after } };
        return;
      }
      const maxBytes = this.settings.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
      for (const chunk of batches(wanted)) {
        // A message over the bound is not read whole (it would be held in memory): it is recorded by its place and size.
        const readable = chunk.filter((message) => (message.size ?? 0) <= maxBytes).map((message) => message.uid);
        const fetched = readable.length ? await client.fetchAll(readable.join(","), { uid: true, internalDate: true, size: true, source: true }, { uid: true }) : [];
        const tooLarge = chunk.filter((message) => (message.size ?? 0) > maxBytes);
        if (tooLarge.length) {
          const dated = await client.fetchAll(tooLarge.map((message) => message.uid).join(","), { uid: true, internalDate: true, size: true }, { uid: true });
          fetched.push(...dated);
        }
        const messages: FetchedMail[] = [];
        for (const message of fetched.sort((a, b) => a.uid - b.uid)) {
          if ((message.size ?? 0) > maxBytes) {
            const internalDate = message.internalDate instanceof Date ? message.internalDate : message.internalDate ? new Date(message.internalDate) : null;
            messages.push({ sourceKey: `${uidValidity}:${message.uid}`, deliveredAt: internalDate, rawSize: message.size ?? 0, mail: { unreadable: tooLargeProblem(message.size ?? 0, maxBytes) } });
            continue;
          }
          const raw = message.source ?? Buffer.alloc(0);
          const internalDate = message.internalDate instanceof Date ? message.internalDate : message.internalDate ? new Date(message.internalDate) : null;
          messages.push({ sourceKey: `${uidValidity}:${message.uid}`, deliveredAt: internalDate, rawSize: message.size ?? raw.byteLength, mail: await readMail(raw) });
        }
        yield { messages, cursor: { kind: "imap", uidValidity, lastUid: chunk.at(-1)!.uid } };
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}

function* batches<T extends { size?: number }>(messages: readonly T[]): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (batch.length > 0 && (batch.length >= BATCH_MESSAGES || bytes + (message.size ?? 0) > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += message.size ?? 0;
  }
  if (batch.length) yield batch;
}
