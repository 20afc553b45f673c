import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, buttonsIn, SlackHarness } from "../support/slack-harness.ts";

/** In Slack: the log form asks who the person is rather than guess, and a card opens the person's earlier cases. */
describeEachDatabase("Slack: one person, one record", (database) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start(database);
  });
  afterAll(() => h?.stop());

  const values = (choice?: string) => ({
    log_channel: { type: "static_select", selected_option: { value: "phone" } },
    log_received_on: { type: "datepicker", selected_date: "2026-11-24" },
    log_constituent_name: { type: "plain_text_input", value: "Ann O’Neill" },
    log_constituent_email: { type: "plain_text_input", value: null as unknown as string },
    log_constituent_phone: { type: "plain_text_input", value: "07700 900777" },
    log_constituent_address: { type: "plain_text_input", value: null as unknown as string },
    log_subject: { type: "plain_text_input", value: "Speeding again" },
    log_summary: { type: "plain_text_input", value: null as unknown as string },
    log_kind: { type: "static_select", selected_option: { value: "casework" } },
    log_themes: { type: "plain_text_input", value: null as unknown as string },
    log_sensitive: { type: "checkboxes", selected_options: [] },
    log_assignee: { type: "users_select", selected_user: null as unknown as string },
    ...(choice ? { log_constituent_choice: { type: "radio_buttons", selected_option: { value: choice } } } : {}),
  });

  it("the log form asks at its top whether the person is someone on record, keeping what was typed, and logs with the answer", async () => {
    const first = await h.ask(`log letter 2026-11-20 "Ann O'Neill" Speeding --email ann@example.com`, "UALICE");
    const firstReference = blockText(first.blocks).match(/PFCC-2026-\d{4}/)![0];
    const known = (await h.postbag.db.prisma.case.findUniqueOrThrow({ where: { reference: firstReference } })).constituentId;

    await h.command("log", "UALICE", { triggerId: "log-who" });
    const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").find((c) => c.body.trigger_id === "log-who"));
    const form = opened.body.view;
    const before = await h.postbag.db.prisma.case.count();
    const submission = { userId: "UALICE", callbackId: "postbag_log_case", viewId: "VWHO1", privateMetadata: form.private_metadata, blocks: form.blocks };

    const asked = (await (await h.submitView({ ...submission, values: values() })).json()) as any;
    expect(asked.response_action).toBe("update");
    const [question, ...rest] = asked.view.blocks;
    expect(question).toMatchObject({ type: "input", block_id: "log_constituent_choice", element: { type: "radio_buttons" } });
    expect(question.element.options.map((option: any) => [option.value, option.text.text])).toEqual([
      [`C${known}`, `Yes: C${known} Ann O'Neill`],
      ["new", "No: a new person"],
    ]);
    // The other inputs keep their ids, so Slack keeps what was typed in them.
    expect(rest.map((block: any) => block.block_id)).toEqual(form.blocks.map((block: any) => block.block_id));
    expect(await h.postbag.db.prisma.case.count()).toBe(before);

    expect(await (await h.submitView({ ...submission, blocks: asked.view.blocks, values: values(`C${known}`) })).text()).toBe("");
    await h.slack.waitFor(async () => (await h.postbag.db.prisma.case.count()) === before + 1 || undefined);
    const logged = await h.postbag.db.prisma.case.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(logged.constituentId).toBe(known);

    // Its card names the earlier case and opens the person's record.
    const card = await h.ask(`show ${logged.reference}`, "UCARL");
    expect(blockText(card.blocks)).toContain(`1 earlier case from this person: ${firstReference} (New: Speeding)`);
    const button = buttonsIn(card.blocks).find((b) => b.action_id === "postbag_person")!;
    const responseUrl = h.slack.responseUrl();
    await h.click({ userId: "UCARL", actionId: button.action_id, value: button.value, responseUrl });
    const record = await h.answer(responseUrl);
    expect(record.text).toContain(`C${known} Ann O'Neill`);
    expect(record.text).toContain("Phone: 07700 900777");
    expect(record.text).toContain("2 cases:");
  });
});
