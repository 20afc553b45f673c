import type { RenderedImage } from "@resvg/resvg-js";
import type { TopLevelSpec } from "vega-lite";
import { formatDate } from "../domain/calendar/local-date.ts";
import type { PerformanceReport } from "../domain/reports/report.ts";
import { BUNDLED_FONTS, FONT_FAMILY } from "../fonts.ts";

/**
 * The report's picture: items received against items answered on time, and those whose
 * response is not yet due (neither a success nor a failure yet), per week of receipt. Rendered on the server (vega → SVG, resvg → PNG) so it needs no browser; the
 * bar labels carry the numbers, so the image reads without colour too.
 */
const SERIES = ["Received", "Responded on time", "Response not yet due"];


export function weeklyChartSpec(report: PerformanceReport): TopLevelSpec {
  const values = report.weeks.flatMap((week) => {
    const label = formatDate(week.weekOf).slice(4, -5); // "2 Nov"
    return [
      { week: label, order: week.weekOf, series: "Received", count: week.received },
      { week: label, order: week.weekOf, series: "Responded on time", count: week.respondedOnTime },
      { week: label, order: week.weekOf, series: "Response not yet due", count: week.responseNotYetDue },
    ];
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Received vs responded on time — ${report.period.label}`, fontSize: 14 },
    width: Math.max(240, report.weeks.length * 90),
    height: 180,
    background: "white",
    config: { font: FONT_FAMILY },
    data: { values },
    encoding: {
      x: { field: "week", type: "ordinal", sort: { field: "order" }, title: "Week of receipt (from Monday)", axis: { labelAngle: 0 } },
      xOffset: { field: "series", sort: SERIES },
      y: { field: "count", type: "quantitative", title: "Items", axis: { tickMinStep: 1 } },
      color: { field: "series", type: "nominal", sort: SERIES, scale: { range: ["#4c78a8", "#54a24b", "#bab0ac"] }, legend: { orient: "bottom", title: null, labelLimit: 0 } },
    },
    layer: [{ mark: "bar" }, { mark: { type: "text", dy: -6, fontSize: 10 }, encoding: { text: { field: "count", type: "quantitative" } } }],
  };
}

/** `scale` 2 for a crisp upload; 0.75 keeps a card-embedded image small (Teams cards stay under 28 KB). */
export async function renderWeeklyChart(report: PerformanceReport, scale = 2): Promise<Buffer> {
  return Buffer.from((await rasterWeeklyChart(report, scale)).asPng());
}

/** The chart as pixels (vega → SVG → resvg with the bundled font). */
export async function rasterWeeklyChart(report: PerformanceReport, scale = 2): Promise<RenderedImage> {
  // vega-lite's own warnings would go to the console, outside our logs; the spec is fixed, so drop them.
  // Loaded with the first chart drawn, not at start: vega alone takes a fifth of a second to load.
  const [vega, { compile }, { Resvg }] = await Promise.all([import("vega"), import("vega-lite"), import("@resvg/resvg-js")]);
  const quiet = vega.logger(vega.None);
  const view = new vega.View(vega.parse(compile(weeklyChartSpec(report), { logger: quiet }).spec), { renderer: "none", logger: quiet });
  try {
    const svg = await view.toSVG();
    // The bundled font only: system fonts are never consulted, so every machine draws the same words.
    const font = { loadSystemFonts: false, fontFiles: [BUNDLED_FONTS.regular, BUNDLED_FONTS.bold], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY };
    return new Resvg(svg, { fitTo: { mode: "zoom", value: scale }, font }).render();
  } finally {
    view.finalize();
  }
}
