import { helpText } from "../shared/text-render.ts";
import { splitFlags } from "../shared/tokenize.ts";
import type { CliIo } from "./console-files.ts";

/** The console's help: asked for by no words, `help` or `--help`, and answered without the database or the core. */

export function wantsHelp(argv: readonly string[]): boolean {
  const { flags, positional } = splitFlags(argv, ["json", "help"]);
  return !positional[0] || positional[0] === "help" || flags.has("help");
}

export function printHelp(io: CliIo): number {
  io.out(
    [
      helpText(undefined, "postbag "),
      "",
      "At the console only:",
      "  postbag migrate   ·   postbag import <file.csv> --as <staff>   ·   postbag digest --as-of YYYY-MM-DD   (the office digest as of a day, as text)",
      "  --chart <file.png> with report; --out <file or folder> with export, sar, file and send (a letter's PDF)",
      "",
      'Every command acts as a member of staff: --as <name, email or Slack user id>, or POSTBAG_CLI_AS for this console. audit, sar and erase may instead name who runs them: --operator "<your name>" (kept in the audit log). Add --json for machine-readable output, and --request <id> to make a script\'s retry safe.',
    ].join("\n"),
  );
  return 0;
}
