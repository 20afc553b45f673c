import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { ManifestUtil } from "@microsoft/app-manifest";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { FIND_CASE_COMMAND, FIND_CASE_PARAMETER, LOG_AS_CASE_COMMAND } from "../../src/bots/teams/verbs.ts";

const require = createRequire(import.meta.url);
const DIR = new URL("../../manifest/teams/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", DIR), "utf8"));

/** Width, height, colour type and whether any pixel is see-through, read from the PNG itself. */
function png(file: string) {
  const bytes = readFileSync(new URL(file, DIR));
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25] };
}

describe("the Teams app manifest", () => {
  it("is valid against the official Teams manifest schema it names, checked offline", async () => {
    const schemaPath = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(await ManifestUtil.validateManifestAgainstSchema(manifest, schema)).toEqual([]);
  });

  it("has one bot in every scope, the main commands, and the Log as case message action", () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].scopes.sort()).toEqual(["groupChat", "personal", "team"]);
    // Files to and from the bot in a personal chat (FileConsentCard, file attachments) need supportsFiles.
    expect(manifest.bots[0].supportsFiles).toBe(true);
    const titles = manifest.bots[0].commandLists.flatMap((list: any) => list.commands.map((c: any) => c.title));
    for (const command of ["help", "log", "show", "ack", "assign", "mine"]) expect(titles).toContain(command);
    const action = manifest.composeExtensions[0].commands[0];
    expect(action).toMatchObject({ id: LOG_AS_CASE_COMMAND, type: "action", context: ["message"], fetchTask: true });
  });

  it("offers Find a case in the compose box, and works in standard, private and shared channels", () => {
    const search = manifest.composeExtensions[0].commands.find((command: any) => command.id === FIND_CASE_COMMAND);
    expect(search).toMatchObject({ type: "query", title: "Find a case", initialRun: true, parameters: [{ name: FIND_CASE_PARAMETER }] });
    // Standard channels come with the team scope; the others must be named.
    expect(manifest.bots[0].scopes).toContain("team");
    expect(manifest.supportedChannelTypes.sort()).toEqual(["privateChannels", "sharedChannels"]);
  });

  it("has a 192×192 colour icon and a 32×32 outline icon with transparency", () => {
    expect(png(manifest.icons.color)).toMatchObject({ width: 192, height: 192 });
    expect(png(manifest.icons.outline)).toEqual({ width: 32, height: 32, colourType: 6 });
  });

  it("packages into a zip with the bot's app id filled in", () => {
    const out = mkdtempSync(join(tmpdir(), "postbag-teams-"));
    try {
      const appId = "12345678-90ab-4cde-8f01-234567890abc";
      const target = join(out, "postbag-teams.zip");
      execFileSync(process.execPath, [new URL("../../scripts/package-teams.mjs", import.meta.url).pathname, "--out", target], { env: { ...process.env, MICROSOFT_APP_ID: appId } });
      const zip = readFileSync(target);
      const names: string[] = [];
      let manifestText = "";
      for (let offset = 0; zip.readUInt32LE(offset) === 0x04034b50; ) {
        const packed = zip.readUInt32LE(offset + 18);
        const nameLength = zip.readUInt16LE(offset + 26);
        const name = zip.subarray(offset + 30, offset + 30 + nameLength).toString();
        const data = inflateRawSync(zip.subarray(offset + 30 + nameLength, offset + 30 + nameLength + packed));
        names.push(name);
        if (name === "manifest.json") manifestText = data.toString();
        offset += 30 + nameLength + packed;
      }
      expect(names).toEqual(["manifest.json", "color.png", "outline.png"]);
      const packaged = JSON.parse(manifestText);
      expect(packaged.bots[0].botId).toBe(appId);
      expect(packaged.composeExtensions[0].botId).toBe(appId);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
