// Builds Postbag into dist/: the Prisma client, then the TypeScript (skipped when nothing in src/
// changed since, so `npm start` stays quick). A package (npm pack, the Docker image) ships dist/
// built and no sources, and a production install has no TypeScript: then this only checks dist/.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const installed = (name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
};

// A package (npm pack, the Docker image) carries dist/ and not the sources: nothing to build.
if (!existsSync(new URL("../src/main.ts", import.meta.url)) || !installed("typescript") || !installed("prisma")) {
  if (existsSync(new URL("../dist/main.js", import.meta.url))) process.exit(0);
  console.error("Postbag is not built and cannot be built here (no sources or no TypeScript): run `npm install` (with dev dependencies) and `npm run build` in a clone.");
  process.exit(1);
}

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
if (!existsSync(new URL("../src/db/generated/client.ts", import.meta.url)) || process.argv.includes("--generate")) {
  run(process.execPath, [fileURLToPath(new URL("prisma-generate.mjs", import.meta.url))]);
}
// Nothing in src/ newer than the last build: nothing to do (npm start stays quick).
const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};
const buildInfo = join(root, "dist", ".tsbuildinfo");
const upToDate = existsSync(buildInfo) && statSync(buildInfo).mtimeMs >= Math.max(newest(join(root, "src")), newest(join(root, "tsconfig.json")), newest(join(root, "tsconfig.build.json")));
if (!upToDate) {
  run(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", "tsconfig.build.json"]);
  // tsc leaves its build info untouched when no output changed; mark the build as done now.
  const now = new Date();
  utimesSync(buildInfo, now, now);
}
