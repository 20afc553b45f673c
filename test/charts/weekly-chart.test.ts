import { Resvg, type RenderedImage } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile } from "vega-lite";
import { describe, expect, it } from "vitest";
import { rasterWeeklyChart, weeklyChartSpec } from "../../src/charts/weekly-chart.ts";
import type { PerformanceReport } from "../../src/domain/reports/report.ts";

// Only what the chart draws from: the period's label and the weeks.
const report = {
  period: { label: "November 2026" },
  weeks: [
    { weekOf: "2026-11-02", received: 12, respondedOnTime: 9, responseNotYetDue: 1 },
    { weekOf: "2026-11-09", received: 7, respondedOnTime: 4, responseNotYetDue: 3 },
  ],
} as unknown as PerformanceReport;

/** Pixels dark enough to be text: the bars are blue, green and grey, the axes mid-grey. */
function textPixels(image: RenderedImage): number {
  const rgba = image.pixels; // a fresh copy each time it is read
  let dark = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i]! < 60 && rgba[i + 1]! < 60 && rgba[i + 2]! < 60 && rgba[i + 3]! > 200) dark += 1;
  }
  return dark;
}

describe("the weekly chart", () => {
  it("draws its words with the font shipped in the package, whatever fonts the machine has", async () => {
    const image = await rasterWeeklyChart(report);
    expect(image.width).toBeGreaterThan(400);
    expect(textPixels(image)).toBeGreaterThan(1_000);
  });

  it("would draw no words at all without a font (what a slim image did before)", async () => {
    const quiet = vega.logger(vega.None);
    const view = new vega.View(vega.parse(compile(weeklyChartSpec(report), { logger: quiet }).spec), { renderer: "none", logger: quiet });
    const svg = await view.toSVG();
    view.finalize();
    const bare = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: false } }).render();
    expect(textPixels(bare)).toBeLessThan(50);
  });
});
