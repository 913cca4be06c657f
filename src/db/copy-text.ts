// PostgreSQL's COPY text format: one line per row, fields separated by tabs,
// NULL as \N, and backslash, newline, carriage return and tab escaped.

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field in COPY text format (null is \N). */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]!) : value;
}

/** Rows as one COPY text payload (each row ends with a newline). */
export function copyText(rows: Iterable<readonly (string | null)[]>): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) text += (i === 0 ? '' : '\t') + copyField(row[i]!);
    text += '\n';
  }
  return text;
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `COPY "table" ("a","b") FROM <source>` for text format. */
export function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(',')}) FROM ${source}`;
}
