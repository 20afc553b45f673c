import type { ReportLayout, ReportTable } from "../../shared/report-text.ts";
import type { KnownBlock } from "./block-kit.ts";
import { clip, LIMITS } from "./limits.ts";
import { escapeMrkdwn, mrkdwn } from "./slack-text.ts";

/**
 * A performance report as Block Kit: a header, then a section per group of figures with each
 * figure as a field, and each table as a section of lines. Names of partners, caseworkers and
 * themes are words people typed: escaped. `notes` say what became of the chart (where it went,
 * or why it did not), as context under the figures.
 */
export function reportBlocks(layout: ReportLayout, notes: string[] = []): KnownBlock[] {
  return [
    { type: "header", text: { type: "plain_text", text: clip(layout.title, LIMITS.header) } },
    { type: "context", elements: [{ type: "mrkdwn", text: mrkdwn(layout.asOf, LIMITS.contextElementText) }] },
    ...layout.groups.map(
      (group): KnownBlock => ({
        type: "section",
        text: { type: "mrkdwn", text: `*${escapeMrkdwn(group.title)}*` },
        fields: group.facts.slice(0, LIMITS.fields).map(([label, value]) => ({ type: "mrkdwn" as const, text: `*${escapeMrkdwn(label)}*\n${mrkdwn(value, LIMITS.fieldText - label.length - 8)}` })),
      }),
    ),
    { type: "divider" },
    ...layout.tables.map((table): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: tableText(table) } })),
    ...notes.map((note): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: mrkdwn(note, LIMITS.contextElementText) }] })),
  ];
}

/** The words a notification shows for the report (Slack's top-level `text`). */
export function reportFallbackText(layout: ReportLayout): string {
  const received = layout.groups[0]?.facts.find(([label]) => label === "Received")?.[1];
  return escapeMrkdwn(`${layout.title}${received === undefined ? "" : `: ${received} received`}`);
}

/** A table as lines, "• *first column* — column value · column value", as many rows as a section holds; the rest counted. */
function tableText(table: ReportTable): string {
  const heading = `*${escapeMrkdwn(table.title)}*`;
  if (table.rows.length === 0) return `${heading}\n${escapeMrkdwn(table.empty)}`;
  const room = LIMITS.sectionText - 120;
  let text = heading;
  let shown = 0;
  for (const row of table.rows) {
    const rest = row.slice(1).map((value, index) => `${escapeMrkdwn(table.columns[index + 1]!)} ${escapeMrkdwn(value)}`).join(" · ");
    const line = `\n• *${mrkdwn(row[0]!, 200)}* — ${rest}`;
    if (text.length + line.length > room) break;
    text += line;
    shown += 1;
  }
  const hidden = table.rows.length - shown;
  return hidden > 0 ? `${text}\n…and ${hidden} more (the report at the command line lists them all).` : text;
}
