// Builds the Teams app package a Teams admin uploads: manifest.json with the bot's app
// id filled in, and the two icons, zipped. Dependency-free: PNG and ZIP written with
// node:zlib. `--icons` redraws the icons (they are committed; run it only to change them).
//
//   MICROSOFT_APP_ID=<bot app id> npm run package:teams   → dist/postbag-teams.zip
//   (`-- --out <file>` writes it elsewhere)
import "dotenv/config";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync, deflateSync } from "node:zlib";

const dir = fileURLToPath(new URL("../manifest/teams/", import.meta.url));
const BOT_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

/** A PNG from RGBA pixels: signature, IHDR, one IDAT, IEND. */
export function encodePng(width, height, pixel) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) rows.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** An envelope: its outline and the flap's two diagonals, in a size×size square with margin m. */
function onEnvelope(x, y, size, m, stroke) {
  const left = m, right = size - m, top = size * 0.25, bottom = size * 0.75;
  if (x < left || x > right || y < top || y > bottom) return false;
  const border = x - left < stroke || right - x < stroke || y - top < stroke || bottom - y < stroke;
  const mid = size / 2, flapY = top + (x <= mid ? (x - left) : (right - x)) * ((bottom - top) * 0.6) / (mid - left);
  return border || Math.abs(y - flapY) < stroke * 0.8;
}

function drawIcons() {
  const navy = [0x1f, 0x3a, 0x5f, 255], white = [255, 255, 255, 255], clear = [0, 0, 0, 0];
  writeFileSync(`${dir}color.png`, encodePng(192, 192, (x, y) => (onEnvelope(x, y, 192, 36, 8) ? white : navy)));
  writeFileSync(`${dir}outline.png`, encodePng(32, 32, (x, y) => (onEnvelope(x, y, 32, 4, 2) ? white : clear)));
}

/** A ZIP of deflated files: local headers, the data, the central directory. */
export function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed
    common.writeUInt16LE(0x0800, 2); // UTF-8 names
    common.writeUInt16LE(8, 4); // deflate
    common.writeUInt32LE(0x00210000, 6); // 1980-01-01 00:00, so builds are reproducible
    common.writeUInt32LE(crc32(data), 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(nameBytes.length, 22);
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), common, nameBytes, packed]);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common.copy(central, 6, 0, 26);
    central.writeUInt32LE(offset, 42);
    centrals.push(Buffer.concat([central, nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--icons")) {
    drawIcons();
    console.log("Icons written to manifest/teams/.");
  } else {
    const appId = process.env.MICROSOFT_APP_ID?.trim();
    if (!appId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
      console.error("Set MICROSOFT_APP_ID to the bot's Microsoft app id (a GUID) to package the Teams app.");
      process.exit(1);
    }
    const manifest = readFileSync(`${dir}manifest.json`, "utf8").split(BOT_ID_PLACEHOLDER).join(appId.toLowerCase());
    const outIndex = process.argv.indexOf("--out");
    const target = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : fileURLToPath(new URL("../dist/postbag-teams.zip", import.meta.url));
    mkdirSync(dirname(target), { recursive: true });
    const files = [["manifest.json", Buffer.from(manifest)], ["color.png", readFileSync(`${dir}color.png`)], ["outline.png", readFileSync(`${dir}outline.png`)]];
    writeFileSync(target, zip(files));
    console.log(`Wrote ${target} for bot ${appId}. Upload it in the Teams admin center (Manage apps → Upload).`);
  }
}
