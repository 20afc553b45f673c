import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, SlackHarness } from "../support/slack-harness.ts";

/** Statutory clocks through the real Bolt app: typed from /case, stopped, and restarted from the card's button. */
describeEachDatabase("Slack: statutory clocks", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  it("an FOI request is typed with /case type, stopped with /case stop-clock, and Reply arrived on its card restarts it; a wrong type is answered with the types there are", async () => {
    const logged = await h.ask('log letter 2026-11-24 "Frank Foi" Crime figures --assign me --new-person', "UMAYA");
    const reference = blockText(logged.blocks).match(/PFCC-2026-\d{4}/)![0];

    const typed = await h.ask(`type ${reference} foi`, "UMAYA");
    expect(blockText(typed.blocks)).toContain("FOI request: response counted in UK working days");

    const wrong = await h.ask(`type ${reference} parking`, "UMAYA");
    expect(wrong.text ?? blockText(wrong.blocks)).toContain("Say which type: review, cc-complaint, foi, foi-review, sar, none.");

    const stopped = await h.ask(`stop-clock ${reference} clarification Which years do you mean?`, "UMAYA");
    const said = blockText(stopped.blocks);
    expect(said).toContain("not due while the reply is awaited");
    expect(said).toContain("awaiting clarification: Which years do you mean?");
    const restart = buttonsIn(stopped.blocks).find((button) => button.action_id.startsWith("postbag_restart_clock"));
    expect(restart).toBeDefined();

    const cardUrl = h.slack.responseUrl();
    expect((await h.click({ userId: "UMAYA", actionId: restart!.action_id, value: restart!.value, responseUrl: cardUrl })).status).toBe(200);
    const restarted = await h.slack.waitFor(() => h.slack.responsesTo(cardUrl)[0]);
    expect(blockText(restarted.blocks)).toContain(`The clock of ${reference} runs again`);
    expect(blockText(restarted.blocks)).not.toContain("not due while the reply is awaited");
  });
});
