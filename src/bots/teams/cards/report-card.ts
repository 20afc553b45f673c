import type { ReportLayout, ReportTable } from "../../shared/report-text.ts";
import { adaptiveCard, factSet, heading, MAX_CARD_BYTES, textBlock, type AdaptiveCard, type CardElement } from "./adaptive-card.ts";
import { teamsText } from "./teams-text.ts";

/**
 * A report, audit or log as a card: the text in monospace. Title and text are plain words
 * (names, themes, subjects among them): escaped here.
 */
export function textReportCard(title: string, text: string): AdaptiveCard {
  return adaptiveCard([heading(teamsText(title, 150)), textBlock(teamsText(text, 12_000), { fontType: "Monospace", size: "Small" })]);
}

/** Rows a table shows before it says how many more there are (each cell costs bytes of the card). */
const TABLE_ROWS = 20;

/**
 * The performance report as an Adaptive Card (1.5): each group of figures a FactSet, each table
 * a Table with a header row, and the weekly chart as an Image with a PNG data URI (Teams renders
 * base64 images in cards; Postbag has no public address to point at). Teams refuses cards past
 * its size limit, so the card is built to stay under it: the image is left out (saying so) if it
 * would not fit, then the weekly rows, which the chart and the command line also give.
 */
export function reportCard(layout: ReportLayout, options: { chart?: Buffer; chartFailed?: boolean; commandLine?: string } = {}): AdaptiveCard {
  const { chart: pngChart, commandLine } = options;
  const image: CardElement | undefined = pngChart && { type: "Image", url: `data:image/png;base64,${pngChart.toString("base64")}`, altText: layout.chartTitle, size: "Stretch" };
  const lastTable = layout.tables.length - 1;
  const attempts: { image: boolean; weeks: boolean }[] = [
    { image: true, weeks: true },
    { image: false, weeks: true },
    { image: false, weeks: false },
  ];
  let card = adaptiveCard([]);
  for (const attempt of attempts) {
    const notes: string[] = options.chartFailed ? [`The chart could not be drawn.${commandLine ? ` ${commandLine} --chart weekly.png draws it.` : ""}`] : [];
    if (image && !attempt.image) notes.push(`The chart is left out: with it the card would be too large for Teams.${commandLine ? ` ${commandLine} --chart weekly.png draws it.` : ""}`);
    const tables = layout.tables.filter((_, index) => attempt.weeks || index !== lastTable);
    if (!attempt.weeks) notes.push(`${layout.tables[lastTable]!.title} is left out: the card would be too large for Teams.${commandLine ? ` ${commandLine} lists it.` : ""}`);
    card = adaptiveCard([
      heading(teamsText(layout.title, 150)),
      textBlock(teamsText(layout.asOf), { isSubtle: true, size: "Small", spacing: "None" }),
      ...(image && attempt.image ? [image] : []),
      ...layout.groups.flatMap((group) => [section(group.title), factSet(group.facts.map(([label, value]) => [teamsText(label), teamsText(value, 500)]))]),
      ...tables.flatMap((table) => [section(table.title), ...tableElements(table)]),
      ...notes.map((note) => textBlock(teamsText(note), { size: "Small", isSubtle: true })),
    ]);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  }
  return card;
}

function section(title: string): CardElement {
  return textBlock(teamsText(title), { weight: "Bolder", separator: true, spacing: "Medium" });
}

function tableElements(table: ReportTable): CardElement[] {
  if (table.rows.length === 0) return [textBlock(teamsText(table.empty), { isSubtle: true, spacing: "Small" })];
  const shown = table.rows.slice(0, TABLE_ROWS);
  const cell = (text: string, bold = false): CardElement => ({ type: "TableCell", items: [textBlock(teamsText(text, 200), { size: "Small", ...(bold ? { weight: "Bolder" } : {}) })] });
  const elements: CardElement[] = [
    {
      type: "Table",
      columns: table.columns.map((_, index) => ({ width: index === 0 ? 2 : 1 })),
      firstRowAsHeader: true,
      showGridLines: false,
      rows: [table.columns, ...shown].map((row, index) => ({ type: "TableRow", cells: row.map((text) => cell(text, index === 0)) })),
    },
  ];
  if (table.rows.length > shown.length) elements.push(textBlock(`…and ${table.rows.length - shown.length} more.`, { isSubtle: true, size: "Small", spacing: "None" }));
  return elements;
}
