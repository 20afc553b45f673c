import "dotenv/config";
import { ConfigError, loadConfig } from "../../config.ts";
import { isDomainError } from "../../domain/errors.ts";
import { localFiles, type CliIo } from "./console-files.ts";
import { runInRunningServer } from "./console-socket.ts";
import { printHelp, wantsHelp } from "./cli-help.ts";

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

try {
  const config = loadConfig();
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    // Help needs neither the database nor the core.
    process.exitCode = printHelp(io);
  } else {
    // A server holding the embedded database answers the command itself: reached first, before
    // the console loads the database and the core it will not need.
    const forwarded = "dataDir" in config.database ? await runInRunningServer(config.database.dataDir, argv, { defaultAs: config.cliAs, files: localFiles }, io) : null;
    if (forwarded !== null) {
      process.exitCode = forwarded;
    } else {
      const { runCli } = await import("./cli.ts");
      process.exitCode = await runCli(argv, config, io);
    }
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError || isDomainError(error) ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
