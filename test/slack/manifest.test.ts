import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { CALLBACKS, SLASH_COMMAND } from "../../src/bots/slack/ids.ts";

const manifest = load(readFileSync(new URL("../../manifest/slack.yaml", import.meta.url), "utf8")) as any;

/** Every Web API method the Slack adapter calls, read from its source, so the scopes cannot fall behind. */
function methodsCalled(): Set<string> {
  const root = new URL("../../src/bots/slack/", import.meta.url).pathname;
  const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
  const methods = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(join(root, file), "utf8").matchAll(/client\.(chat|views|users|conversations|files)\.(\w+)\(/g)) methods.add(`${match[1]}.${match[2]}`);
  }
  return methods;
}

const SCOPES_FOR: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.getPermalink": [],
  "views.open": [],
  "views.update": [],
  "views.publish": [],
  "users.info": ["users:read", "users:read.email"],
  "conversations.open": ["im:write"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
};

describe("the Slack app manifest", () => {
  it("declares what the code uses: the slash command with escaping, the message and global shortcuts, interactivity, App Home and its event", () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: SLASH_COMMAND, should_escape: true })]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: "message", callback_id: CALLBACKS.logAsCaseShortcut }),
      expect.objectContaining({ name: "Log correspondence", type: "global", callback_id: CALLBACKS.logCorrespondenceShortcut }),
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    // Messages in channels: files shared in the thread of a case card are attached to its case.
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened", "message.channels", "message.groups", "app_uninstalled", "tokens_revoked"]);
    for (const url of [manifest.features.slash_commands[0].url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url]) {
      expect(new URL(url).pathname).toBe("/slack/events");
    }
  });

  it("asks for exactly the bot scopes the code needs", () => {
    const methods = methodsCalled();
    expect([...methods].filter((m) => !(m in SCOPES_FOR))).toEqual([]);
    // Events and downloads need scopes too: message events in channels, and a shared file's url_private.
    const forEvents = { "message.channels": ["channels:history"], "message.groups": ["groups:history"] } as Record<string, string[]>;
    const events = (manifest.settings.event_subscriptions.bot_events as string[]).flatMap((event) => forEvents[event] ?? []);
    const downloads = readFileSync(new URL("../../src/bots/slack/listeners/events/file-shared.ts", import.meta.url), "utf8").includes("url_private") ? ["files:read"] : [];
    const needed = new Set(["commands", ...[...methods].flatMap((m) => SCOPES_FOR[m] ?? []), ...events, ...downloads]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it("keeps within Slack's manifest limits", () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    for (const command of manifest.features.slash_commands) expect(command.command.length).toBeLessThanOrEqual(32);
    for (const shortcut of manifest.features.shortcuts) {
      expect(shortcut.name.length).toBeLessThanOrEqual(24);
      expect(shortcut.description.length).toBeLessThanOrEqual(150);
    }
  });
});
