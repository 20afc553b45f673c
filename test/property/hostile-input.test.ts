import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { tokenize } from "../../src/bots/shared/tokenize.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { TestClock } from "../support/clock.ts";
import { openTestPostbag, TEST_DATABASES } from "../support/databases.ts";
import { seedOffice, type Office } from "../support/office.ts";

/** Text as hostile as people and platforms can make it: any unicode, control characters, quotes, huge. */
const hostileText = fc.oneof(
  { arbitrary: fc.string({ unit: "binary", maxLength: 300 }), weight: 10 },
  { arbitrary: fc.string({ unit: fc.constantFrom('"', "'", "“", "”", " ", "\t", "\n", "\u0000", "—", "-", "<", ">", "&", "@", "=", "a", "P", "1", "-"), maxLength: 200 }), weight: 10 },
  // Megabyte strings: rarer, because each costs real time.
  { arbitrary: fc.constantFrom("x".repeat(1_000_000), `log letter 2026-11-19 "${"J".repeat(1_000_000)}" s`, "\u0000".repeat(10_000)), weight: 1 },
);

const commandText = fc.oneof(
  hostileText,
  fc.tuple(fc.constantFrom("log", "show", "ack", "assign", "note", "call", "refer", "partner-reply", "chase", "respond", "close", "reopen", "search", "staff", "digest", "mine"), fc.array(hostileText, { maxLength: 6 })).map(([word, rest]) => [word, ...rest].join(" ")),
);

/** Values of every wrong type, missing and extra fields included. */
const anything = fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true });
const wrongInput = fc.oneof(
  anything,
  fc.record({ reference: fc.oneof(hostileText, anything), text: fc.oneof(hostileText, anything), version: anything }, { requiredKeys: [] }),
  fc.record(
    {
      channel: fc.oneof(fc.constantFrom("letter", "email"), hostileText, anything),
      receivedOn: fc.oneof(fc.constantFrom("2026-11-19", "2026-02-30", "2099-01-01"), hostileText, anything),
      constituent: fc.oneof(fc.record({ name: fc.oneof(hostileText, anything), email: fc.oneof(hostileText, anything) }, { requiredKeys: [] }), anything),
      subject: fc.oneof(hostileText, anything),
      themes: fc.oneof(fc.array(hostileText, { maxLength: 30 }), anything),
      sensitive: anything,
      assignee: fc.oneof(hostileText, anything),
      extra: anything,
    },
    { requiredKeys: [] },
  ),
);

describe("the command grammar under hostile text", () => {
  it("tokenizes anything without throwing", () => {
    fc.assert(fc.property(hostileText, (text) => Array.isArray(tokenize(text))), { numRuns: 300 });
  });

  it("parses anything into a command or a refusal a person can act on — never a crash", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        try {
          const command = parseCommand(text);
          return typeof command.name === "string";
        } catch (error) {
          return isDomainError(error) && error.code === "invalid_input" && error.message.length > 0 && error.message.length < 1_000;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("the core's schemas under hostile input", () => {
  const database = TEST_DATABASES[0]!;
  let postbag: Postbag;
  let office: Office;
  let reference: string;
  beforeAll(async () => {
    postbag = await openTestPostbag(database, new TestClock("2026-11-25T10:00:00Z"));
    office = await seedOffice(postbag);
    reference = (await postbag.core.cases.logCase(office.admin, { channel: "letter", receivedOn: "2026-11-19", constituent: { name: "Jane Doe" }, subject: "Property" }, { platform: "cli" })).reference;
  });
  afterAll(() => postbag?.close());

  const rows = async () => {
    const prisma = postbag.db.prisma;
    return [await prisma.case.count(), await prisma.timelineEntry.count(), await prisma.constituent.count()].join("/");
  };

  it("every operation answers any input with a result or a refusal, and a refusal writes nothing", async () => {
    const cases = () => postbag.core.cases;
    const operations: [string, (input: unknown) => Promise<unknown>][] = [
      ["logCase", (input) => cases().logCase(office.admin, input, { platform: "cli" })],
      ["acknowledgeCase", (input) => cases().perform(office.admin, "acknowledge", input, { platform: "cli" })],
      ["assignCase", (input) => cases().perform(office.manager, "assign", input, { platform: "cli" })],
      ["addEntry", (input) => cases().perform(office.manager, "add_entry", input, { platform: "cli" })],
      ["referToPartner", (input) => cases().perform(office.manager, "refer", input, { platform: "cli" })],
      ["closeCase", (input) => cases().perform(office.manager, "close", input, { platform: "cli" })],
      ["reopenCase", (input) => cases().perform(office.manager, "reopen", input, { platform: "cli" })],
      ["showCase", (input) => cases().showCase(office.manager, input)],
      ["searchCases", (input) => cases().searchCases(office.manager, input)],
      ["importCase", (input) => cases().importCase(office.admin, input, { platform: "import" })],
      ["registerStaff", (input) => postbag.core.staff.registerStaff(office.admin, input as never)],
    ];
    for (const [name, operation] of operations) {
      await fc.assert(
        fc.asyncProperty(wrongInput, async (input) => {
          const before = await rows();
          try {
            await operation(input);
            return true;
          } catch (error) {
            if (!isDomainError(error)) throw new Error(`${name} threw ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error });
            return (await rows()) === before;
          }
        }),
        { numRuns: 60 },
      );
    }
    // The case the hostile inputs aimed at is still whole.
    expect((await cases().showCase(office.manager, reference)).reference).toBe(reference);
  });
});
