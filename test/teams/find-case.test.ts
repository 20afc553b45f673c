import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { cardText } from "../support/adaptive-card-check.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { messageExtensionQuery } from "../support/teams-activities.ts";
import { TeamsHarness, type Person } from "../support/teams-harness.ts";

/** Issue 18: "Find a case" in the compose box inserts a case card, as a channel would show it. */
describeEachDatabase("Teams: finding a case from the compose box", (database) => {
  let teams: TeamsHarness;
  const refs: Record<string, string> = {};
  beforeAll(async () => {
    teams = await TeamsHarness.start(database);
    const { cases } = teams.postbag.core;
    const { manager, caseworker, otherCaseworker } = teams.office;
    const log = async (who: typeof manager, input: Record<string, unknown>) => (await cases.logCase(who, input, { platform: "cli" })).reference;
    refs.later = await log(caseworker, { channel: "letter", receivedOn: "2026-11-24", constituent: { name: "Hilda Ogden", email: "hilda@example.com" }, subject: "Potholes on Coronation Street", assignee: "me" });
    refs.sooner = await log(caseworker, { channel: "email", receivedOn: "2026-11-16", constituent: { name: "Stan Ogden", email: "stan@example.com" }, subject: "Noise <b>after</b> closing & shouting", assignee: "me" });
    refs.others = await log(otherCaseworker, { channel: "phone", receivedOn: "2026-11-20", constituent: { name: "Ena Sharples" }, subject: "Graffiti on the Mission Hall", assignee: "me" });
    refs.sensitive = await log(manager, { channel: "email", receivedOn: "2026-11-23", constituent: { name: "Rob Private", email: "rob@example.com" }, subject: "Stalking by a neighbour", summary: "Detail", sensitive: true, assignee: "me" });
  });
  afterAll(() => teams?.stop());
  afterEach(() => expect(teams.cardProblems.splice(0)).toEqual([]));

  /** What Teams gets back for a search typed as `who`; every card offered for insertion checked as Teams would render it. */
  async function find(who: Person, query?: string, options: { skip?: number } = {}) {
    const answer = await teams.send(messageExtensionQuery(teams.serviceUrl, teams.users[who], query, options));
    expect(answer.status).toBe(200);
    const results = answer.body.composeExtension;
    for (const attachment of results.attachments ?? []) teams.check(attachment.content);
    return results;
  }

  it("lists the cases matching what is typed, each as the case card to insert with a preview of it", async () => {
    const results = await find("caseworker", "Ogden");
    expect(results).toMatchObject({ type: "result", attachmentLayout: "list" });
    expect(results.attachments).toHaveLength(2);
    for (const attachment of results.attachments) expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const pothole = results.attachments.find((attachment: any) => cardText(attachment.content).includes(refs.later!));
    expect(cardText(pothole.content)).toContain("Constituent: Hilda Ogden (hilda@example.com)");
    expect(pothole.preview).toEqual({
      contentType: "application/vnd.microsoft.card.thumbnail",
      content: { title: `${refs.later} · New`, text: "Hilda Ogden — Potholes on Coronation Street<br>Carl Caseworker · respond by Tue 8 Dec 2026" },
    });
    // A subject's markup shows as typed in the preview Teams lists.
    const noisy = results.attachments.find((attachment: any) => attachment.preview.content.title.startsWith(refs.sooner!));
    expect(noisy.preview.content.text).toContain("Stan Ogden — Noise &lt;b&gt;after&lt;/b&gt; closing &amp; shouting");
  });

  it("with nothing typed, lists the person's own open cases, nearest deadline first", async () => {
    const results = await find("caseworker");
    expect(results.attachments.map((attachment: any) => attachment.preview.content.title)).toEqual([`${refs.sooner} · New`, `${refs.later} · New`]);
    expect(await find("viewer")).toEqual({ type: "message", text: "You have no open cases." });
  });

  it("inserts a sensitive case withheld, even when the one searching may read it in full", async () => {
    for (const query of [refs.sensitive!, "Rob Private"]) {
      const results = await find("manager", query);
      expect(results.attachments).toHaveLength(1);
      const [found] = results.attachments;
      const text = cardText(found.content);
      expect(text).toContain(`${refs.sensitive} · New · Sensitive`);
      expect(text).toContain("Sensitive case: details are shown only to its assignee and managers, in a personal chat.");
      expect(found.preview.content.title).toBe(`${refs.sensitive} · New · Sensitive`);
      expect(found.preview.content.text).toMatch(/^Sensitive case: details are shown only to its assignee and managers, in a personal chat\.<br>Maya Manager/);
      for (const secret of ["Rob Private", "rob@example.com", "Stalking", "Detail"]) expect(JSON.stringify(found)).not.toContain(secret);
    }
    // Her own list, inserted into a conversation, withholds it too.
    const mine = await find("manager");
    expect(JSON.stringify(mine)).not.toContain("Stalking");
  });

  it("tells someone not registered in Postbag whom to ask, and finds nothing for them", async () => {
    const answer = await teams.send(messageExtensionQuery(teams.serviceUrl, teams.users.stranger, "Ogden"));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ composeExtension: { type: "message", text: "You are not registered as Postbag staff. Ask a Postbag admin to register you (staff add)." } });
  });

  it("answers a search it cannot read, or one too short, in words — never an error page", async () => {
    const base = messageExtensionQuery(teams.serviceUrl, teams.users.caseworker, "Ogden");
    for (const value of [{ ...base.value, parameters: "Ogden" }, { ...base.value, commandId: "somethingElse" }, { ...base.value, queryOptions: { skip: -1 } }, null]) {
      const answer = await teams.send({ ...base, value });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ composeExtension: { type: "message", text: "Postbag could not read that search. Close the search and try again." } });
    }
    expect(await find("caseworker", "O")).toEqual({ type: "message", text: "Search for at least 2 characters." });
    expect(await find("caseworker", "Nobody Atall")).toEqual({ type: "message", text: "No case matches “Nobody Atall”." });
  });

  it("gives the next page when Teams scrolls past the first", async () => {
    expect((await find("caseworker", "Ogden", { skip: 1 })).attachments).toHaveLength(1);
    expect((await find("caseworker", "Ogden", { skip: 2 })).attachments).toEqual([]);
  });
});
