import type { Server } from "node:http";
import { createTeamsAdapter, type TeamsAdapterOptions } from "../../src/bots/teams/teams-adapter.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { createHttpServer, listen } from "../../src/server.ts";
import type { CoreSettings, Postbag } from "../../src/app.ts";
import type { MailSender } from "../../src/domain/letters/mail-sender.ts";
import type { PlatformAdapter } from "../../src/bots/adapter.ts";
import { cardProblems } from "./adaptive-card-check.ts";
import { teamsReads } from "./hostile-text.ts";
import { TestClock } from "./clock.ts";
import { openTestPostbag, type TestDatabase } from "./databases.ts";
import { FakeBotConnector } from "./fake-bot-connector.ts";
import { seedOffice, type Office } from "./office.ts";
import { cardActionActivity, fileConsentActivity, messageActivity, teamsUser, type TeamsUser, type Where } from "./teams-activities.ts";

export type Person = keyof Office | "stranger";

/** A running Postbag with the real Teams adapter on its HTTP server, replying to a fake Bot Connector. */
export class TeamsHarness {
  readonly connector = new FakeBotConnector();
  readonly clock: TestClock;
  /** Running on another harness's Postbag, which that harness closes. */
  private shared = false;

  constructor(clock?: TestClock) {
    this.clock = clock ?? new TestClock("2026-11-25T10:00:00Z");
  }
  postbag!: Postbag;
  office!: Office;
  users!: Record<Person, TeamsUser>;
  endpoint = "";
  adapter!: PlatformAdapter;
  /** Problems found in any card the bot sent or answered with; each test expects none. */
  readonly cardProblems: string[] = [];
  private server!: Server;

  static async start(
    database: TestDatabase,
    options: TeamsAdapterOptions & {
      env?: Record<string, string>;
      logger?: Logger;
      host?: string;
      settings?: CoreSettings;
      mailSender?: MailSender;
      /** Another harness's Postbag (its office seeded, its clock): both platforms on one core, as in production. */
      sharing?: { postbag: Postbag; office: Office; clock: TestClock };
    } = {},
  ): Promise<TeamsHarness> {
    const harness = new TeamsHarness(options.sharing?.clock);
    await harness.connector.start();
    if (options.sharing) {
      harness.postbag = options.sharing.postbag;
      harness.office = options.sharing.office;
      harness.shared = true;
    } else {
      harness.postbag = await openTestPostbag(database, harness.clock, options.settings, options.mailSender);
      harness.office = await seedOffice(harness.postbag);
    }
    const { staff } = harness.postbag.core;
    const users = {} as Record<Person, TeamsUser>;
    for (const [role, record] of Object.entries(harness.office) as [keyof Office, Office[keyof Office]][]) {
      users[role] = teamsUser(record.name);
      await staff.registerStaff(harness.office.admin, { name: record.name, roles: record.roles, email: record.email!, teamsUserId: users[role].aadObjectId });
      harness.connector.roster.set(users[role].id, { ...users[role], email: record.email! });
    }
    users.stranger = teamsUser("Sam Stranger");
    harness.users = users;
    const config = loadConfig(options.env ?? {});
    const logger = options.logger ?? createLogger("silent");
    const adapter = await createTeamsAdapter(
      { core: harness.postbag.core, config, logger },
      { retry: options.retry ?? { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 }, authOverrides: options.authOverrides, fileOrigins: options.fileOrigins, uploadTimeoutMs: options.uploadTimeoutMs },
    );
    harness.adapter = adapter;
    harness.server = createHttpServer({ logger, routes: new Map([[adapter.mount!.path, adapter.mount!.handler]]), health: async () => ({}) });
    const host = options.host ?? "127.0.0.1";
    const port = await listen(harness.server, 0, host);
    harness.endpoint = `http://${host}:${port}/api/messages`;
    return harness;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    if (!this.shared) await this.postbag?.close();
    await this.connector.stop();
  }

  get serviceUrl(): string {
    return this.connector.url;
  }

  /** Posts an activity to /api/messages as Teams would. */
  async send(activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(this.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", ...headers },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (body?.type === "application/vnd.microsoft.card.adaptive") this.check(body.value);
    if (body?.task?.value?.card?.content) this.check(body.task.value.card.content);
    return { status: response.status, body };
  }

  /** Sends a message as `who` and returns what the bot sent back to the connector; `text` as a person reads it (markdown escapes read). */
  async message(who: Person, text: string, options: { where?: Where; mentions?: Person[]; mentionAadIds?: boolean; attachments?: Record<string, unknown>[] } = {}) {
    const before = this.connector.activities.length;
    const plain = messageActivity(this.serviceUrl, this.users[who], text, { ...options, mentions: options.mentions?.map((p) => this.users[p]) });
    const activity = options.attachments ? { ...plain, attachments: [...plain.attachments, ...options.attachments] } : plain;
    const response = await this.send(activity);
    const sent = this.connector.activities.slice(before);
    for (const recorded of sent) for (const card of cardsOf(recorded.body)) this.check(card);
    return { activity, response, sent, card: sent.flatMap((s) => cardsOf(s.body))[0] as Record<string, any>, text: sent.map((s) => s.body.text).filter(Boolean).map(teamsReads).join("\n") };
  }

  /** Presses an Action.Execute button as `who`; returns the card the bot answered with. */
  async press(who: Person, verb: string, data: Record<string, unknown>, options: { where?: Where; cardActivityId?: string } = {}) {
    const before = this.connector.activities.length;
    const response = await this.send(cardActionActivity(this.serviceUrl, this.users[who], verb, data, options));
    const sent = this.connector.activities.slice(before);
    for (const recorded of sent) for (const card of cardsOf(recorded.body)) this.check(card);
    return { status: response.status, body: response.body, card: response.body?.value as Record<string, any>, sent };
  }

  /** Answers a FileConsentCard the bot sent, as `who`: accepting gives Teams' upload session (`uploadInfo`). Returns what the bot said. */
  async answerFileOffer(who: Person, answer: { action: "accept"; context: unknown; uploadInfo: Record<string, unknown> } | { action: "decline"; context: unknown }, options: { where?: Where } = {}) {
    const before = this.connector.activities.length;
    const response = await this.send(fileConsentActivity(this.serviceUrl, this.users[who], answer, options));
    const sent = this.connector.activities.slice(before);
    return { status: response.status, sent, text: sent.map((s) => s.body.text).filter(Boolean).map(teamsReads).join("\n") };
  }

  check(card: Record<string, unknown>): void {
    this.cardProblems.push(...cardProblems(card));
  }
}

export function cardsOf(activity: Record<string, any>): Record<string, any>[] {
  return ((activity.attachments ?? []) as { contentType: string; content: Record<string, any> }[])
    .filter((attachment) => attachment.contentType === "application/vnd.microsoft.card.adaptive")
    .map((attachment) => attachment.content);
}

/** The FileConsentCards in an activity: the file offered (`name`) and what Teams will hand back on accept or decline. */
export function fileOffersOf(activity: Record<string, any>): { name: string; content: { description: string; sizeInBytes: number; acceptContext: unknown; declineContext: unknown } }[] {
  return ((activity.attachments ?? []) as { contentType: string; name: string; content: any }[]).filter((attachment) => attachment.contentType === "application/vnd.microsoft.teams.card.file.consent");
}
