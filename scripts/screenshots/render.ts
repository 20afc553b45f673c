import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { reportLayout } from "../../src/bots/shared/report-text.ts";
import { caseCardBlocks } from "../../src/bots/slack/views/case-card.ts";
import { digestMessages } from "../../src/bots/slack/views/digest-messages.ts";
import { reportBlocks } from "../../src/bots/slack/views/report.ts";
import { caseCard } from "../../src/bots/teams/cards/case-card.ts";
import { digestCards } from "../../src/bots/teams/cards/digest-cards.ts";
import { reportCard } from "../../src/bots/teams/cards/report-card.ts";
import { renderWeeklyChart } from "../../src/charts/weekly-chart.ts";
import { adaptiveCardPage } from "./adaptive-card-html.ts";
import { blockKitPage } from "./block-kit-html.ts";
import { screenshot } from "./chromium.ts";
import { buildOfficeScenes } from "./office-fixture.ts";

/**
 * `npm run screenshots`: the README's pictures of Postbag's main cards on Slack and Teams, drawn
 * from the JSON the real builders make for a small office on fixed dates, so they cannot drift
 * from the code. Needs Debian's Chromium (apt-get install chromium; fonts-lato and
 * fonts-noto-color-emoji for Slack's font and the emoji).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "docs/screenshots");
const ICON = pathToFileURL(join(ROOT, "manifest/teams/color.png")).href;

async function main(): Promise<void> {
  const scenes = await buildOfficeScenes();
  const layout = reportLayout(scenes.report);
  const { from, to } = scenes.report.period;
  const chart = await renderWeeklyChart(scenes.report, 0.75);
  const threaded = digestMessages(scenes.digest, "thread");
  const replies = threaded.length - 1;

  const slack = { time: "10:00 AM", icon: ICON };
  const teams = { time: "10:00", icon: ICON };
  const pages: { name: string; html: string }[] = [
    { name: "slack-case-card", html: blockKitPage([{ blocks: caseCardBlocks(scenes.caseView) }], { ...slack, channel: "Postbag", topic: "Direct message" }) },
    { name: "slack-digest", html: blockKitPage(threaded, { ...slack, channel: "# casework", labels: replies ? { 1: `${replies} repl${replies === 1 ? "y" : "ies"} in the thread` } : {} }) },
    { name: "slack-report", html: blockKitPage([{ blocks: reportBlocks(layout) }], { ...slack, channel: "# casework-managers" }) },
    { name: "teams-case-card", html: adaptiveCardPage([caseCard(scenes.caseView)], { ...teams, chat: "Postbag" }) },
    { name: "teams-digest", html: adaptiveCardPage(digestCards(scenes.digest), { ...teams, chat: "Casework › General" }) },
    { name: "teams-report", html: adaptiveCardPage([reportCard(layout, { chart, commandLine: `postbag report ${from}..${to}` })], { ...teams, chat: "Postbag" }) },
  ];

  await mkdir(OUT, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), "postbag-pages-"));
  const problems: string[] = [];
  try {
    for (const page of pages) {
      const png = join(OUT, `${page.name}.png`);
      const shot = await screenshot(page.html, join(work, `${page.name}.html`), png);
      problems.push(...shot.problems.map((problem) => `${page.name}: ${problem}`));
      console.log(`${relative(ROOT, png)}  900×${shot.height}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(`Rendering problems:\n${problems.join("\n")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
