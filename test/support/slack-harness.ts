import type { Server } from "node:http";
import { createSlackAdapter } from "../../src/bots/slack/slack-adapter.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createHttpServer, listen } from "../../src/server.ts";
import type { CoreSettings, Postbag } from "../../src/app.ts";
import type { MailSender } from "../../src/domain/letters/mail-sender.ts";
import type { PlatformAdapter } from "../../src/bots/adapter.ts";
import { TestClock } from "./clock.ts";
import { openTestPostbag, type TestDatabase } from "./databases.ts";
import { FakeSlack } from "./fake-slack.ts";
import { seedOffice, type Office } from "./office.ts";
import {
  blockActionPayload,
  eventBody,
  globalShortcutPayload,
  interactionBody,
  messageShortcutPayload,
  sendToSlackEndpoint,
  SIGNING_SECRET,
  slashCommandBody,
  viewSubmissionPayload,
  type SendOptions,
} from "./slack-requests.ts";

export const CASE_LOG_CHANNEL = "C0CASELOG";

/** A running Postbag with the real Bolt app on its HTTP server, talking to a fake Slack. */
export class SlackHarness {
  readonly slack = new FakeSlack();
  readonly clock = new TestClock("2026-11-25T10:00:00Z");
  postbag!: Postbag;
  office!: Office;
  endpoint = "";
  adapter!: PlatformAdapter;
  private server!: Server;

  /** `log` captures Postbag's and Bolt's log lines at the given level (silent by default); `settings` and `mailSender` shape the core (sign-off, a relay). */
  static async start(
    database: TestDatabase,
    options: { log?: { level: string; destination: NodeJS.WritableStream }; settings?: CoreSettings; mailSender?: MailSender } = {},
  ): Promise<SlackHarness> {
    const harness = new SlackHarness();
    await harness.slack.start();
    harness.postbag = await openTestPostbag(database, harness.clock, options.settings, options.mailSender);
    harness.office = await seedOffice(harness.postbag);
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_API_URL: harness.slack.apiUrl,
      SLACK_CASE_LOG_CHANNEL: CASE_LOG_CHANNEL,
    });
    const logger = options.log ? createLogger(options.log.level, options.log.destination) : createLogger("silent");
    const adapter = await createSlackAdapter({ core: harness.postbag.core, config, logger });
    if (!adapter.mount) throw new Error(adapter.status);
    harness.adapter = adapter;
    harness.server = createHttpServer({ logger, routes: new Map([[adapter.mount.path, adapter.mount.handler]]), health: async () => ({}) });
    const port = await listen(harness.server, 0, "127.0.0.1");
    harness.endpoint = `http://127.0.0.1:${port}/slack/events`;
    return harness;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    await this.postbag?.close();
    await this.slack.stop();
  }

  /** `/case <text>` from a user; returns the HTTP response and the response_url the answer will go to. */
  async command(text: string, userId: string, options: SendOptions & { triggerId?: string; channelId?: string } = {}) {
    const responseUrl = this.slack.responseUrl();
    const body = slashCommandBody({ text, user_id: userId, response_url: responseUrl, trigger_id: options.triggerId, channel_id: options.channelId });
    const response = await sendToSlackEndpoint(this.endpoint, body, "application/x-www-form-urlencoded", options);
    return { response, responseUrl };
  }

  /** The first answer posted to a response_url. */
  async answer(responseUrl: string, index = 0): Promise<Record<string, any>> {
    return this.slack.waitFor(() => this.slack.responsesTo(responseUrl)[index], 15_000);
  }

  /** Runs a command and returns its private answer: in the acknowledgement itself, or later at the response_url. */
  async ask(text: string, userId: string, options: { channelId?: string } = {}): Promise<Record<string, any>> {
    const { response, responseUrl } = await this.command(text, userId, options);
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    const body = await response.text();
    return body ? JSON.parse(body) : this.answer(responseUrl);
  }

  async interact(payload: Record<string, unknown>, options: SendOptions = {}): Promise<Response> {
    return sendToSlackEndpoint(this.endpoint, interactionBody(payload), "application/x-www-form-urlencoded", options);
  }

  async click(options: Parameters<typeof blockActionPayload>[0], send: SendOptions = {}): Promise<Response> {
    return this.interact(blockActionPayload(options), send);
  }

  async submitView(options: Parameters<typeof viewSubmissionPayload>[0]): Promise<Response> {
    return this.interact(viewSubmissionPayload(options));
  }

  async shortcut(options: Parameters<typeof messageShortcutPayload>[0]): Promise<Response> {
    return this.interact(messageShortcutPayload(options));
  }

  async globalShortcut(options: Parameters<typeof globalShortcutPayload>[0]): Promise<Response> {
    return this.interact(globalShortcutPayload(options));
  }

  async event(event: Record<string, unknown>, options: SendOptions & { eventId?: string } = {}): Promise<Response> {
    return sendToSlackEndpoint(this.endpoint, eventBody(event, options.eventId), "application/json", options);
  }
}

/** All text in a Block Kit payload, for asserting what a person would read. */
export function blockText(payload: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "text" && typeof value === "string") texts.push(value);
        else walk(value);
      }
    }
  };
  walk(payload);
  return texts.join("\n");
}

/** The case card's menu ("More…", continued in a second when full): each option's label, the value it sends, and its menu's action id. */
export function menuIn(blocks: any[]): { label: string; value: string; actionId: string }[] {
  const menus = blocks.flatMap((block) => block.elements ?? []).filter((element: any) => element.type === "overflow");
  for (const menu of menus) if (menu.options.length > 5) throw new Error(`Slack allows 5 options in an overflow menu; ${menu.action_id} has ${menu.options.length}`);
  return menus.flatMap((menu: any) => menu.options.map((option: any) => ({ label: option.text.text, value: option.value, actionId: menu.action_id })));
}

/** The action ids of every button in a Block Kit payload. */
export function buttonsIn(blocks: any[]): { action_id: string; value: string }[] {
  return blocks.flatMap((block) => [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]).filter((element: any) => element.type === "button");
}
