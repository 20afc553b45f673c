import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cliWorld } from "../support/cli-world.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase } from "../support/databases.ts";

const PDF = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

describeEachDatabase("the postbag command: attach and file", (database) => {
  const clock = new TestClock("2026-11-25T10:00:00Z");
  const dir = mkdtempSync(join(tmpdir(), "postbag-cli-files-"));
  const { run } = cliWorld(database, clock, { POSTBAG_FILES_DIR: join(dir, "store") });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("attaches a file read from disk, lists it on the case, and writes it back out with --out", async () => {
    expect((await run("staff", "add", "Alice Admin", "--role", "admin,manager", "--email", "alice@example.org")).code).toBe(0);
    const logged = await run("log", "letter", "2026-11-24", "Jane Doe", "Speeding", "--new-person", "--as", "alice@example.org", "--json");
    const reference = JSON.parse(logged.out).reference as string;
    writeFileSync(join(dir, "scan.pdf"), PDF);
    const attached = await run("attach", reference, join(dir, "scan.pdf"), "--as", "alice@example.org");
    expect(attached).toMatchObject({ code: 0, err: "" });
    expect(attached.out).toContain(`Attached scan.pdf (PDF, ${PDF.length} bytes) to ${reference} as file 1.`);
    expect(attached.out).toContain(`1. scan.pdf — PDF, ${PDF.length} bytes — Alice Admin`);
    const out = join(dir, "back.pdf");
    expect((await run("file", reference, "1", "--out", out, "--as", "alice@example.org")).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(PDF);
  });

  it("refuses a file it cannot read, or a file asked for without --out, saying what to do", async () => {
    const missing = await run("attach", "PFCC-2026-0001", join(dir, "nope.pdf"), "--as", "alice@example.org");
    expect(missing).toMatchObject({ code: 1, err: `Cannot read ${join(dir, "nope.pdf")}. Check the path.` });
    const noOut = await run("file", "PFCC-2026-0001", "scan.pdf", "--as", "alice@example.org");
    expect(noOut.code).toBe(1);
    expect(noOut.err).toContain("Say where to write it: add --out <path>.");
  });
});
