import type { Activity } from "botbuilder";
import { describe, expect, it } from "vitest";
import { audienceOf } from "../../src/bots/teams/turn.ts";

describe("who reads a Teams conversation", () => {
  const activity = (conversationType: string, id: string) => ({ conversation: { conversationType, id } }) as unknown as Activity;

  it.each([
    ["the person's own chat with Postbag", "personal", "a:1AbCdEf", "private"],
    ["a one-to-one chat between two people, where Find a case inserted a card", "personal", "19:aaaa_bbbb@unq.gbl.spaces", "shared"],
    ["a channel", "channel", "19:channel@thread.tacv2", "shared"],
    ["a group chat", "groupChat", "19:group@thread.v2", "shared"],
  ])("%s is %s", (_label, conversationType, id, audience) => {
    expect(audienceOf(activity(conversationType, id))).toBe(audience);
  });
});
