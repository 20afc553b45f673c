import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";

/** Personal data planted in a realistic flow; none of it may reach the logs. */
const PLANTED = {
  name: "Ermintrude Vexley-Okonkwo",
  email: "ermintrude.vexley@example.org",
  phone: "07700 900456",
  address: "42 Wisteria Lane",
  subject: "Harassment by neighbour Bartholomew",
  summary: "Panic attacks since the incident; sees a psychiatrist weekly",
  note: "Called Ermintrude back about the psychiatrist letter",
};

describeEachDatabase("logs never contain constituents' personal data", (database) => {
  let h: SlackHarness;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });

  beforeAll(async () => {
    h = await SlackHarness.start(database, { log: { level: "trace", destination: sink } });
  });
  afterAll(() => h?.stop());

  it("through logging, work, refusals, reports, audit, export, subject access and erasure at trace level", async () => {
    const logged = await h.ask(
      `log email 2026-11-24 "${PLANTED.name}" ${PLANTED.subject} --email ${PLANTED.email} --phone "${PLANTED.phone}" --address "${PLANTED.address}" --summary "${PLANTED.summary}" --sensitive --assign me`,
      "UMAYA",
    );
    const ref = blockText(logged.blocks).match(/PFCC-2026-\d{4}/)![0];
    for (const command of [
      `show ${ref}`,
      `ack ${ref} email`,
      `call ${ref} ${PLANTED.note}`,
      `refer ${ref} "Thames Valley Police"`,
      `partner-reply ${ref} Spoke to ${PLANTED.name}`,
      `respond ${ref} Wrote to ${PLANTED.name} at ${PLANTED.address}`,
      `search ${PLANTED.name}`,
      `log email 2026-11-24 "${PLANTED.name}" x --email not-an-email-${PLANTED.email}`, // refused: bad email
      `assign ${ref} ${PLANTED.name}`, // refused: no such staff member
      `close ${ref} responded`,
      "report 2026-11",
      "themes 2026-11",
      "audit",
      `sar ${PLANTED.email}`,
      "export",
      `erase ${ref} --confirm`,
      "audit-log",
    ]) {
      await h.ask(command, "UMAYA");
    }
    await h.ask(`show ${ref}`, "UCARL");
    expect(lines.length).toBeGreaterThan(0);
    const output = lines.join("");
    for (const [what, value] of Object.entries(PLANTED)) {
      for (const fragment of [value, ...value.split(/\s+/).filter((word) => word.length > 6)]) {
        expect(output.includes(fragment), `${what} (“${fragment}”) leaked into the logs`).toBe(false);
      }
    }
  });
});
