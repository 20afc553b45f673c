import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliWorld } from "../support/cli-world.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { FakeGraph } from "../support/fake-graph.ts";

/**
 * Issue 17 at the console, end to end: `redraft <ref> <n> <file>` takes new words from a file,
 * `send <ref> <n>` sends an email through the configured transport (here Microsoft Graph, on a
 * loopback fake, configured as an office would: POSTBAG_MAIL_SEND=graph), and `send <ref> <n>
 * --out <file>` writes a letter's PDF where it is asked to.
 */
describeEachDatabase("the postbag command: redraft and send", (database) => {
  const clock = new TestClock("2026-12-01T10:00:00Z"); // Tuesday 1 December 2026
  const dir = mkdtempSync(join(tmpdir(), "postbag-cli-letters-"));
  const graph = new FakeGraph();
  // Filled in once the fake listens; cliWorld reads it when it loads the configuration (its beforeAll runs after this one).
  const env: Record<string, string> = { POSTBAG_FILES_DIR: join(dir, "store"), POSTBAG_MAIL_SEND: "graph", POSTBAG_OFFICE_NAME: "Office of the PFCC", POSTBAG_OFFICE_SIGNATURE: "Sam Signer" };
  beforeAll(async () => {
    await graph.start();
    Object.assign(env, { POSTBAG_GRAPH_TENANT_ID: graph.tenant, POSTBAG_GRAPH_CLIENT_ID: "app-id", POSTBAG_GRAPH_CLIENT_SECRET: "app-secret", POSTBAG_GRAPH_MAILBOX: "correspondence@pfcc.example", POSTBAG_GRAPH_URL: graph.graphUrl, POSTBAG_GRAPH_LOGIN_URL: graph.loginUrl });
  });
  const { run } = cliWorld(database, clock, env);
  afterAll(async () => {
    await graph.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = ["--as", "carl@pfcc.example"];
  const logged = async (...argv: string[]) => {
    const result = await run("log", ...argv, "--new-person", "--assign", "carl@pfcc.example", "--as", "alice@pfcc.example", "--json");
    expect(result.err).toBe("");
    return JSON.parse(result.out).reference as string;
  };

  it("redrafts an email from a file (its first line the new subject) and sends those words through Microsoft 365, recording the Message-ID it went with", async () => {
    expect((await run("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@pfcc.example")).code).toBe(0);
    expect((await run("staff", "add", "Carl Caseworker", "--role", "caseworker", "--email", "carl@pfcc.example", "--as", "alice@pfcc.example")).code).toBe(0);
    const reference = await logged("email", "2026-11-30", "Jane Doe", "Speeding", "on", "Main", "Street", "--email", "jane.doe@example.com");

    const drafted = await run("draft", reference, "acknowledgement", ...as);
    expect(drafted).toMatchObject({ code: 0, err: "" });
    expect(drafted.out).toContain(`Drafted item 1 on ${reference}: Acknowledgement email to Jane Doe.`);

    const words = "Dear Jane Doe,\n\nThank you for telling us about the speeding on Main Street. We will write again by 14 December.\n\nYours sincerely,\n\nSam Signer";
    const file = join(dir, "ack.txt");
    writeFileSync(file, `Subject: Your email about Main Street\n${words}\n`);
    const redrafted = await run("redraft", reference, "1", file, ...as);
    expect(redrafted).toMatchObject({ code: 0, err: "" });
    expect(redrafted.out).toContain(`Item 1 of ${reference} redrafted.`);
    const shown = await run("outgoing", reference, "1", ...as);
    expect(shown.out).toContain(`[${reference}] Your email about Main Street`);
    expect(shown.out).toContain("We will write again by 14 December.");
    expect(graph.sent).toEqual([]); // redrafting sends nothing

    clock.set("2026-12-01T11:00:00Z");
    const sent = await run("send", reference, "1", ...as);
    expect(sent).toMatchObject({ code: 0, err: "" });
    expect(sent.out).toContain(`Sent item 1 of ${reference} by email to Jane Doe <jane.doe@example.com>. ${reference} is acknowledged.`);
    expect(graph.sent).toHaveLength(1);
    const [{ mailbox, message, internetMessageId }] = graph.sent as [(typeof graph.sent)[number]];
    expect(mailbox).toBe("correspondence@pfcc.example");
    expect(message.subject).toBe(`[${reference}] Your email about Main Street`);
    expect(message.body).toEqual({ contentType: "Text", content: words });
    expect(message.toRecipients).toEqual([{ emailAddress: { name: "Jane Doe", address: "jane.doe@example.com" } }]);

    const view = JSON.parse((await run("show", reference, "--json", ...as)).out);
    expect(view.status).toBe("acknowledged");
    const acknowledged = view.timeline.find((entry: { type: string }) => entry.type === "acknowledged");
    expect(acknowledged.text).toContain("Your email about Main Street");
    // The Message-ID the constituent's reply will name: Postbag's own, on the office's mail domain, as Graph sent it.
    const id = internetMessageId.replace(/^<|>$/g, "");
    expect(id).toMatch(/^postbag\.[0-9a-f]{32}@pfcc\.example$/);
    expect((await run("outgoing", reference, "1", ...as)).out).toContain(id);

    // Sent is sent: new words are refused, and nothing goes twice.
    const late = await run("redraft", reference, "1", file, ...as);
    expect(late.code).toBe(1);
    expect(late.err).toContain(`Item 1 of ${reference} is sent`);
    expect((await run("send", reference, "1", ...as)).code).toBe(1);
    expect(graph.sent).toHaveLength(1);
  });

  it("refuses a redraft without a file, or with one it cannot read, saying what to do", async () => {
    const reference = await logged("email", "2026-11-30", "Rob Redraft", "Potholes", "--email", "rob@example.com");
    expect((await run("draft", reference, "acknowledgement", ...as)).code).toBe(0);
    const noFile = await run("redraft", reference, "1", ...as);
    expect(noFile.code).toBe(1);
    expect(noFile.err).toBe("Say which file holds the new words: postbag redraft <ref> <n> <file>.");
    const missing = await run("redraft", reference, "1", join(dir, "nope.txt"), ...as);
    expect(missing).toMatchObject({ code: 1, err: `Cannot read ${join(dir, "nope.txt")}. Check the path.` });
  });

  it("a Microsoft 365 failure is told at the console, exit 1, and the case is still due", async () => {
    const reference = await logged("email", "2026-11-30", "Fay Failure", "Noise", "--email", "fay@example.com");
    expect((await run("draft", reference, "acknowledgement", ...as)).code).toBe(0);
    graph.sendFailures.push({ on: "send", status: 502 });
    const failed = await run("send", reference, "1", ...as);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(new RegExp(`^Item 1 of ${reference} was not sent: Microsoft 365 could not send the message just now \\(502\\)\\..* Nothing was recorded on the case\\. Send it again once that is put right: send ${reference} 1\\.$`));
    expect(JSON.parse((await run("show", reference, "--json", ...as)).out).status).toBe("new");
  });

  it("makes a letter as a PDF and writes it with --out; without --out says where it is kept; posting it records the step", async () => {
    const reference = await logged("letter", "2026-11-30", "Lena Letter", "Street", "lights", "--address", "7 Mill Lane, Wantage OX12 9AB");
    const drafted = await run("draft", reference, "acknowledgement", ...as);
    expect(drafted.out).toContain("Acknowledgement letter to Lena Letter");
    const pdf = join(dir, "letter.pdf");
    const made = await run("send", reference, "1", "--out", pdf, ...as);
    expect(made).toMatchObject({ code: 0, err: "" });
    expect(made.out).toContain(`Made item 1 of ${reference}, a letter to Lena Letter, as a PDF (file 1 on the case).`);
    expect(made.out).toContain(`Written: ${pdf}`);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    // The same PDF is kept on the case, and given back by `file`.
    const again = join(dir, "again.pdf");
    expect((await run("file", reference, "1", "--out", again, ...as)).code).toBe(0);
    expect(readFileSync(again)).toEqual(readFileSync(pdf));

    const second = await logged("letter", "2026-11-30", "Lou Letter", "Bins", "--address", "9 Mill Lane, Wantage OX12 9AB");
    expect((await run("draft", second, "acknowledgement", ...as)).code).toBe(0);
    const kept = await run("send", second, "1", ...as);
    expect(kept).toMatchObject({ code: 0, err: "" });
    expect(kept.out).toContain("(add --out <path> to write it)");
    expect(kept.out).not.toContain("%PDF");

    const posted = await run("posted", reference, "1", ...as);
    expect(posted.out).toContain(`Recorded letter 1 of ${reference} as posted. ${reference} is acknowledged.`);
    expect(graph.sent.filter((sent) => sent.message.subject?.includes(reference))).toEqual([]); // letters never go by email
  });
});
