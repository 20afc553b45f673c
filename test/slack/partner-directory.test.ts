import { afterAll, beforeAll, expect, it } from "vitest";
import { modalBreaches } from "../support/block-kit-limits.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, SlackHarness } from "../support/slack-harness.ts";

/** Slack: the referral modal picks a partner of the directory; `/case partner …` keeps it. */
describeEachDatabase("Slack: the partner directory", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  /** Carl's card of a new case of his, and its Refer button's modal (opened through Slack's endpoint). */
  async function openReferModal(trigger: string) {
    const { reference } = await h.postbag.core.cases.logCase(h.office.admin, { channel: "letter", receivedOn: "2026-11-24", constituent: { name: `Rhea Referral ${trigger}` }, constituentChoice: "new", subject: "Speeding", assignee: h.office.caseworker.id }, { platform: "cli" });
    const card = await h.ask(`show ${reference}`, "UCARL");
    const refer = buttonsIn(card.blocks).find((b) => b.action_id === "postbag_refer")!;
    const cardUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: refer.action_id, value: refer.value, responseUrl: cardUrl, triggerId: trigger });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === trigger));
    expect(modalBreaches(opened.body.view)).toEqual([]);
    return { reference, cardUrl, view: opened.body.view };
  }

  it("with no partners in the directory the referral form says to ask a manager to add them", async () => {
    await h.postbag.db.prisma.partner.deleteMany(); // nothing refers to them yet
    const { view } = await openReferModal("trigger-refer-empty");
    expect(view.blocks.find((b: any) => b.block_id === "action_partner")).toBeUndefined();
    expect(blockText(view.blocks)).toContain('No partners are in the directory yet: ask a manager to add them (partner add "<name>").');
    expect(JSON.parse(view.private_metadata).asked).not.toContain("partner");
  });

  it("a manager adds partners with /case partner add; anyone lists them", async () => {
    expect((await h.ask('partner add "North Yorkshire Police" --alias NYP --reply-days 15', "UCARL")).text).toMatch(/Only managers can add partners/);
    expect((await h.ask('partner add "North Yorkshire Police" --alias NYP --reply-days 15', "UMAYA")).text).toMatch(/^Added North Yorkshire Police to the partner directory\./);
    expect((await h.ask('partner add "County Council"', "UMAYA")).text).toMatch(/^Added County Council/);
    expect((await h.ask("partner list", "UVICTOR")).text).toBe(
      "Partner directory (2):\n  County Council · replies within the office default\n  North Yorkshire Police · also NYP · replies within 15 working days",
    );
  });

  it("the referral modal offers the directory as a select; the choice is recorded under the partner's name and usual reply time", async () => {
    const { reference, cardUrl, view } = await openReferModal("trigger-refer");
    const select = view.blocks.find((b: any) => b.block_id === "action_partner");
    expect(select).toMatchObject({ type: "input", optional: false, element: { type: "static_select", action_id: "action_partner" } });
    const options = select.element.options.map((o: any) => o.text.text);
    expect(options).toEqual(["County Council", "North Yorkshire Police (NYP)"]);
    const nyp = select.element.options.find((o: any) => o.text.text === "North Yorkshire Police (NYP)").value;

    const submitted = await h.submitView({ userId: "UCARL", callbackId: "postbag_case_action", viewId: "VREFER", privateMetadata: view.private_metadata, values: { action_partner: { type: "static_select", selected_option: { value: nyp } } } });
    expect(submitted.status).toBe(200);
    const refreshed = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl).find((r) => r.replace_original));
    // 15 working days from Wed 25 Nov 2026 (day 0): Wed 16 Dec.
    expect(blockText(refreshed.blocks)).toContain(`${reference} referred to North Yorkshire Police; reply expected by Wed 16 Dec 2026.`);
    const referral = await h.postbag.db.prisma.referral.findFirstOrThrow({ where: { case: { reference } }, include: { partner: true } });
    expect(referral.partner.name).toBe("North Yorkshire Police");
  });
});
