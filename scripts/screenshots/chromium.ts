import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

/**
 * Screenshots of pages with Debian's headless Chromium: a first pass measures how tall the page's
 * `#shot` is (so nothing is cut off and no empty space is left), a second takes the picture at
 * that height. `CHROMIUM` names another binary.
 */

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM ?? "chromium";
const COMMON = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1", "--virtual-time-budget=3000"];

/** Says, once everything has loaded, how tall the shot is and what went wrong while rendering it. */
const MEASURE = `<script>addEventListener("load", () => {
  const shot = document.getElementById("shot");
  document.body.dataset.height = String(Math.ceil(shot.getBoundingClientRect().bottom));
  const broken = [...document.images].filter((image) => !image.complete || image.naturalWidth === 0).map((image) => image.src.slice(0, 60));
  if (broken.length) document.body.dataset.broken = JSON.stringify(broken);
});</script>`;

async function chromium(args: string[]): Promise<string> {
  try {
    const { stdout } = await run(CHROMIUM, [...COMMON, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${CHROMIUM} was not found: install Chromium (apt-get install chromium) or set CHROMIUM to its path.`, { cause: error });
    throw error;
  }
}

function attribute(dom: string, name: string): string | undefined {
  const found = new RegExp(`<body[^>]*\\sdata-${name}="([^"]*)"`).exec(dom);
  return found?.[1]?.replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/** Writes the page, measures it, and saves a PNG of it `width` pixels wide; returns its height and any rendering problems. */
export async function screenshot(html: string, pagePath: string, pngPath: string, width = 900): Promise<{ height: number; problems: string[] }> {
  await writeFile(pagePath, html.replace("</body>", `${MEASURE}</body>`));
  const url = pathToFileURL(pagePath).href;
  const dom = await chromium([`--window-size=${width},600`, "--dump-dom", url]);
  const height = Number(attribute(dom, "height"));
  if (!Number.isFinite(height) || height <= 0) throw new Error(`Could not measure ${pagePath}: the page did not finish rendering.`);
  const problems = [...(JSON.parse(attribute(dom, "problems") ?? "[]") as string[]), ...(JSON.parse(attribute(dom, "broken") ?? "[]") as string[]).map((src) => `image did not load: ${src}`)];
  await chromium([`--window-size=${width},${height}`, `--screenshot=${pngPath}`, url]);
  return { height, problems };
}
