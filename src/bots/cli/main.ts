import "dotenv/config";
import { ConfigError, loadConfig } from "../../config.ts";
import { runCli } from "./cli.ts";

try {
  const config = loadConfig();
  process.exitCode = await runCli(process.argv.slice(2), config, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
