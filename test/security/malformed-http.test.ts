import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { sendToSlackEndpoint, sign } from "../support/slack-requests.ts";
import { SlackHarness } from "../support/slack-harness.ts";

describeEachDatabase("hostile and malformed HTTP at /slack/events", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  const counts = async () => `${await h.postbag.db.prisma.case.count()}/${await h.postbag.db.prisma.timelineEntry.count()}`;

  it("refuses unsigned, forged, replayed and future-dated requests with 401, doing no work", async () => {
    const before = await counts();
    const body = "command=%2Fcase&text=log+letter+2026-11-19+%22X%22+Y&user_id=UALICE&trigger_id=t&response_url=x";
    const noHeaders = await fetch(h.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expect(noHeaders.status).toBe(401);
    const replayed = await sendToSlackEndpoint(h.endpoint, body, "application/x-www-form-urlencoded", { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(replayed.status).toBe(401);
    const forged = await sendToSlackEndpoint(h.endpoint, body, "application/x-www-form-urlencoded", { signature: `v0=${"0".repeat(64)}` });
    expect(forged.status).toBe(401);
    // A valid signature over a different body is a forgery too.
    const now = Math.floor(Date.now() / 1000);
    const swapped = await fetch(h.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(now), "x-slack-signature": sign("other", now) }, body });
    expect(swapped.status).toBe(401);
    expect(await counts()).toBe(before);
  });

  it("answers bad JSON, wrong content types and payloads that are not Slack's with a 4xx, never a 500", async () => {
    const before = await counts();
    for (const [body, type] of [
      ["{not json", "application/json"],
      ["payload=%7Bnot+json", "application/x-www-form-urlencoded"],
      ["payload=%7B%22type%22%3A%22nothing_we_know%22%7D", "application/x-www-form-urlencoded"],
      ["<xml/>", "text/xml"],
      ["", "application/json"],
    ] as const) {
      const response = await sendToSlackEndpoint(h.endpoint, body, type);
      expect(response.status, `${type}: ${body}`).toBeLessThan(500);
    }
    expect(await counts()).toBe(before);
  });

  it("any command text from a registered user gets a 200 and a message a person can act on", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.constantFrom("log letter", "ack", "close PFCC-2026-0001 maybe", "refer PFCC-2026-0001", "assign x y", "staff add x")), async (text) => {
        // `log` alone answers with a form, not words.
        if (text.trim().toLowerCase() === "log") return true;
        const answer = await h.ask(text, "UCARL");
        const words = answer.text ?? "";
        return typeof words === "string" && words.length > 0 && !/something went wrong on Postbag's side/.test(words) && !/\n\s+at /.test(words);
      }),
      { numRuns: 40 },
    );
  });
  // Last: the server drops the connection it refused mid-upload, which a reused client socket would feel.
  it("rejects an oversize body before parsing it", async () => {
    const huge = `command=%2Fcase&text=${"x".repeat(2 * 1024 * 1024)}`;
    const response = await sendToSlackEndpoint(h.endpoint, huge, "application/x-www-form-urlencoded");
    expect(response.status).toBe(413);
  });

});
