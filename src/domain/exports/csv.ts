import { stringify } from "csv-stringify/sync";

/**
 * Spreadsheet-safe CSV. A cell starting with = + - @ (or a tab or carriage return, which
 * some spreadsheets skip before reading a formula) would run as a formula when the file is
 * opened, so it is written with a leading apostrophe, which spreadsheets show as text.
 * Cells that already start with apostrophes before such a character get one more, so
 * `restoreCell` undoes exactly what `neutraliseCell` did and import round-trips.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function restoreCell(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** CSV text with a header row; every cell neutralised, quoting left to csv-stringify. */
export function toCsv(columns: readonly string[], rows: Record<string, string>[], options: { header: boolean }): string {
  return stringify(
    rows.map((row) => columns.map((column) => neutraliseCell(row[column] ?? ""))),
    { header: options.header, columns: [...columns], record_delimiter: "\r\n", quoted_match: /^\s|\s$/ },
  );
}
