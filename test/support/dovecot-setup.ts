import type { TestProject } from "vitest/node";
import { startDovecot, type DovecotServer } from "./dovecot.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The one Dovecot of the test run, or why there is none. */
    dovecot: DovecotServer | { error: string };
  }
}

/**
 * vitest globalSetup: one Dovecot for the whole run, reused by every mail test file (each in a
 * folder of its own). A machine without Dovecot still runs every other test; the mail tests say
 * what to install.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const { server, stop } = await startDovecot();
    project.provide("dovecot", server);
    return stop;
  } catch (error) {
    project.provide("dovecot", { error: (error as Error).message });
    return async () => {};
  }
}
