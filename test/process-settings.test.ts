import { describe, expect, it } from "vitest";
import { missingSettings } from "../src/process-settings.ts";

describe("each process's settings", () => {
  it("the server lacks its young-generation size and glibc's mapping threshold until it runs with them", () => {
    expect(missingSettings("server", [], {})).toEqual({ flags: ["--max-semi-space-size=8"], env: { MALLOC_MMAP_THRESHOLD_: "131072" } });
    expect(missingSettings("server", ["--import", "tsx", "--max-semi-space-size=8"], { MALLOC_MMAP_THRESHOLD_: "131072" })).toEqual({ flags: [], env: {} });
  });

  it("keeps what the operator gave, even a different value, on the command line or in NODE_OPTIONS", () => {
    expect(missingSettings("server", ["--max-semi-space-size=32"], { MALLOC_MMAP_THRESHOLD_: "0" })).toEqual({ flags: [], env: {} });
    expect(missingSettings("server", [], { NODE_OPTIONS: "--enable-source-maps --max-semi-space-size=16", MALLOC_MMAP_THRESHOLD_: "0" })).toEqual({ flags: [], env: {} });
  });

  it("a console command runs the embedded database's code unoptimised", () => {
    expect(missingSettings("console", [], {})).toEqual({ flags: ["--liftoff-only"], env: {} });
    expect(missingSettings("console", ["--liftoff-only"], {})).toEqual({ flags: [], env: {} });
  });
});
