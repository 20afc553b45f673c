import { enableCompileCache } from "node:module";

/**
 * The Node and C-library settings each of Postbag's processes runs with, applied by the process
 * itself so that every way of starting it (`npm start`, `node dist/main.js`, the container, the
 * `postbag` command, the tests) gets them. Measured in BENCHMARKS.md ("Start, memory and the CLI"):
 *
 * - The embedded database is PostgreSQL compiled to WebAssembly. When its largest function grows
 *   hot, V8 recompiles it with its optimising compiler, which takes about 600 MB for a moment; glibc
 *   keeps most of that memory once freed unless large blocks are mapped on their own
 *   (`MALLOC_MMAP_THRESHOLD_`, fixed at glibc's default 128 KiB instead of rising as blocks are freed).
 * - V8's young generation grows to 64 MB at start-up; the server's requests are small, and 8 MB
 *   semi-spaces hold them (`--max-semi-space-size`).
 * - A console command lives well under a second: optimising the database's code would only
 *   compete with the command for the CPU, and delay its exit (`--liftoff-only`).
 *
 * Settings the operator gave (the same flag on the command line or in NODE_OPTIONS, the same variable) are kept.
 */
const SETTINGS = {
  server: { flags: ["--max-semi-space-size=8"], env: { MALLOC_MMAP_THRESHOLD_: "131072" } },
  console: { flags: ["--liftoff-only"], env: {} },
} as const;

export type ProcessKind = keyof typeof SETTINGS;

/** Set in the environment of a process that replaced itself to take its settings. */
const RELAUNCHED = "POSTBAG_PROCESS_SETTINGS";

/** The flags and variables `kind` still lacks in this process (none once it runs with them): a flag counts as given on the command line or in NODE_OPTIONS. */
export function missingSettings(kind: ProcessKind, execArgv: readonly string[], env: NodeJS.ProcessEnv): { flags: string[]; env: Record<string, string> } {
  const { flags, env: wanted } = SETTINGS[kind];
  const options = [...execArgv, ...(env.NODE_OPTIONS ?? "").split(/\s+/)];
  const given = (flag: string) => options.some((arg) => arg.split("=")[0] === flag.split("=")[0]);
  return {
    flags: flags.filter((flag) => !given(flag)),
    env: Object.fromEntries(Object.entries(wanted).filter(([name]) => env[name] === undefined)),
  };
}

/**
 * Makes this process run with `kind`'s settings: when it lacks one, the process replaces itself
 * (same process id, same arguments) with one that has them, before anything else is loaded. Where
 * Node cannot (Windows), it runs on as it is. Then turns on Node's compile cache, so later starts
 * skip compiling the JavaScript they loaded before.
 */
export function applyProcessSettings(kind: ProcessKind): void {
  const missing = missingSettings(kind, process.execArgv, process.env);
  const needed = missing.flags.length > 0 || Object.keys(missing.env).length > 0;
  // Never twice, whatever this Node makes of the flags.
  if (needed && !process.env[RELAUNCHED] && typeof process.execve === "function" && process.platform !== "win32") {
    try {
      process.execve(process.execPath, [process.execPath, ...process.execArgv, ...missing.flags, ...process.argv.slice(1)], { ...process.env, ...missing.env, [RELAUNCHED]: kind });
    } catch {
      // The system refused (a sandbox, say): the process runs on with Node's defaults, as on Windows.
    }
  }
  enableCompileCache();
}
