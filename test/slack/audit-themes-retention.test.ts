import { afterAll, beforeAll, expect, it } from "vitest";
import { auditLayout, themesLayout } from "../../src/bots/shared/report-text.ts";
import { listingBlocks } from "../../src/bots/slack/views/listing.ts";
import { blockKitBreaches } from "../support/block-kit-limits.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { letter } from "../support/office.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";

/** Issue 18: the audit, themes and the retention review in Slack as Block Kit, as the report already is. */
describeEachDatabase("Slack: the audit, themes and retention review as Block Kit", (database) => {
  let h: SlackHarness;
  const refs: string[] = [];
  beforeAll(async () => {
    h = await SlackHarness.start(database);
    const { cases } = h.postbag.core;
    const { admin, caseworker } = h.office;
    // A case closed in 2019: past the six years kept by November 2026.
    h.clock.set("2019-03-04T10:00:00Z");
    const old = await cases.logCase(admin, letter({ receivedOn: "2019-03-04", assignee: caseworker.id }), { platform: "cli" });
    await cases.perform(caseworker, "close", { reference: old.reference, outcome: "withdrawn" }, { platform: "cli" });
    h.clock.set("2026-11-25T10:00:00Z");
    const log = async (overrides: Record<string, unknown>) => refs.push((await cases.logCase(admin, letter(overrides), { platform: "cli" })).reference);
    await log({ receivedOn: "2026-11-23", themes: ["road safety"], assignee: caseworker.id });
    await log({ receivedOn: "2026-11-24", themes: ["road safety", "*bold* <!here>"], kind: "complaint", assignee: caseworker.id });
    // Nobody took it: acknowledgement was due Wed 4 Nov.
    await log({ receivedOn: "2026-11-02", themes: ["anti-social behaviour"] });
  });
  afterAll(() => h?.stop());

  it("themes: a header and a field per theme with its count, kinds and example cases; what people typed shows as typed", async () => {
    const answer = await h.ask("themes 2026-11", "UMAYA");
    expect(answer.text).toBe("Themes — Nov 2026");
    expect(answer.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Themes — Nov 2026" } });
    const fields = answer.blocks.flatMap((block: any) => block.fields ?? []).map((field: any) => field.text);
    expect(fields).toContain(`*road safety*\n2 (casework 1, complaint 1) e.g. ${refs[0]}, ${refs[1]}`);
    expect(fields).toContain(`*anti-social behaviour*\n1 (casework 1) e.g. ${refs[2]}`);
    expect(fields).toContain(`*∗bold∗ &lt;!here&gt;*\n1 (complaint 1) e.g. ${refs[1]}`);
    expect(blockText(answer.blocks)).not.toContain("```");
    expect(blockKitBreaches(answer.blocks, "message")).toEqual([]);
    expect((await h.ask("themes 2020-01", "UMAYA")).blocks[1].text.text).toBe("No themes recorded for Jan 2020.");
  });

  it("audit: the reconciliation as fields and each kind of exception as a list under its count", async () => {
    const answer = await h.ask("audit", "UMAYA");
    expect(answer.text).toBe("No-loss audit — Wed 25 Nov 2026: 1 exception");
    expect(answer.blocks[0].text.text).toBe("No-loss audit — Wed 25 Nov 2026: 1 exception");
    const fields = answer.blocks.flatMap((block: any) => block.fields ?? []).map((field: any) => field.text);
    expect(fields).toContain("*Cases*\n4 logged = 1 closed + 0 voided + 3 open");
    expect(fields).toContain("*References per year*\n2019 1–1, 1 cases, gap-free; 2026 1–3, 3 cases, gap-free");
    expect(fields.find((text: string) => text.startsWith("*Timeline*\n"))).toMatch(/^\*Timeline\*\n(\d+) of \1 entries verified by the hash chain$/);
    expect(answer.blocks.find((block: any) => block.type === "context").elements[0].text).toMatch(/^Seal: [0-9a-f]{64}$/);
    expect(blockText(answer.blocks)).toContain(`*Open without an assignee past its acknowledgement deadline: 1*\n• ${refs[2]}: no assignee; acknowledgement was due Wed 4 Nov 2026`);
    expect(blockText(answer.blocks)).not.toContain("```");
    expect(blockKitBreaches(answer.blocks, "message")).toEqual([]);
    expect((await h.ask("audit", "UCARL")).text).toMatch(/Only managers/);
  });

  it("retention: the closed cases past the period as fields, with how to erase them in Slack", async () => {
    const answer = await h.ask("retention", "UMAYA");
    expect(answer.text).toBe("Retention review: 1 closed case past the retention period");
    expect(answer.blocks[1].text.text).toBe("1 closed case(s) past the retention period (closed before Wed 25 Nov 2020) — review, then erase with: /case erase &lt;ref&gt; --confirm");
    expect(answer.blocks[2].fields.map((field: any) => field.text)).toEqual(["*PFCC-2019-0001*\nclosed Mon 4 Mar 2019 (withdrawn)"]);
    expect(blockKitBreaches(answer.blocks, "message")).toEqual([]);
    expect((await h.ask("retention", "UCARL")).text).toMatch(/Only managers review retention/);
  });

  it("the weekly audit and monthly review post to the managers' channel as the same blocks", async () => {
    const publisher = h.adapter.digestPublisher!;
    await publisher.postChannelReport!("CMANAGERS", { kind: "audit", report: await h.postbag.core.audit.runAudit(h.office.manager) });
    await publisher.postChannelReport!("CMANAGERS", { kind: "retention", review: await h.postbag.core.erasure.dueForReview(null) });
    const [audit, review] = h.slack.callsTo("chat.postMessage").filter((call) => call.body.channel === "CMANAGERS").slice(-2).map((call) => call.body);
    expect(audit!.text).toBe("No-loss audit: 1 exception");
    expect(audit!.blocks[0].text.text).toBe("No-loss audit — Wed 25 Nov 2026: 1 exception");
    expect(blockText(audit!.blocks)).toContain(`• ${refs[2]}: no assignee`);
    expect(review!.text).toBe("Retention review: 1 closed case past the retention period");
    expect(blockText(review!.blocks)).toContain("*PFCC-2019-0001*\nclosed Mon 4 Mar 2019 (withdrawn)");
    for (const { blocks } of [audit!, review!]) expect(blockKitBreaches(blocks, "message")).toEqual([]);
  });

  it("stays within Slack's limits however long the lists, counting what it leaves out", () => {
    const many = { period: { label: "2026", from: "2026-01-01", to: "2026-12-31" }, themes: Array.from({ length: 600 }, (_, i) => ({ theme: `theme ${i} `.repeat(6), total: 600 - i, byKind: { casework: 600 - i }, examples: ["PFCC-2026-0001", "PFCC-2026-0002", "PFCC-2026-0003"] })) };
    const themes = listingBlocks(themesLayout(many));
    expect(blockKitBreaches(themes, "message")).toEqual([]);
    const shownThemes = themes.flatMap((block: any) => block.fields ?? []).length;
    expect(themes.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${600 - shownThemes} more.` }] });

    const layout = auditLayout({
      asOf: "2026-11-25",
      asOfText: "Wed 25 Nov 2026",
      exceptionCount: 9 * 80,
      cases: { total: 1, open: 1, closed: 0, voided: 0, erased: 0 },
      entries: { total: 1, verified: 1, erased: 0, sealedNow: 0 },
      months: Array.from({ length: 240 }, (_, i) => ({ month: `20${String(10 + Math.floor(i / 12)).padStart(2, "0")}-${String((i % 12) + 1).padStart(2, "0")}`, logged: 100, closed: 90, voided: 1, open: 9 })),
      years: [],
      seal: "0".repeat(64),
      totals: Object.fromEntries(["unassigned_past_acknowledgement", "no_action_past_response", "closed_without_outcome", "timeline_gap", "deadline_mismatch", "tampered_history", "count_mismatch", "reference_gap", "intake_unaccounted"].map((kind) => [kind, 80])),
      exceptions: ["unassigned_past_acknowledgement", "no_action_past_response", "closed_without_outcome", "timeline_gap", "deadline_mismatch", "tampered_history", "count_mismatch", "reference_gap", "intake_unaccounted"].flatMap((kind) =>
        Array.from({ length: 50 }, (_, i) => ({ kind: kind as never, subject: `PFCC-2026-${String(i).padStart(4, "0")}`, detail: "a long detail <with> *marks* ".repeat(30) })),
      ),
    });
    const audit = listingBlocks(layout);
    expect(blockKitBreaches(audit, "message")).toEqual([]);
    const text = blockText(audit);
    expect(text).toContain("*Closed without a response or an explicit outcome: 80*\n• PFCC-2026-0000: a long detail &lt;with&gt; ∗marks∗");
    expect(text).toMatch(/…and \d+ more\./);
  });
});
