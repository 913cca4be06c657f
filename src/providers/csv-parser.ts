// Streams a daily-candle CSV file line by line (never whole into memory):
//   symbol,date,open,high,low,close,volume[,adj_close]   (columns in any order)
// Each data line becomes a candle or a problem naming the line and the reason;
// a bad line never stops the file. A bad header does (CsvHeaderError).

import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { HistoryRecord } from './market-data-provider.js';

const REQUIRED = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume'] as const;
const OPTIONAL = ['adj_close'] as const;
export type CsvColumn = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
type Column = CsvColumn;
export const REQUIRED_COLUMNS: readonly CsvColumn[] = REQUIRED;

/** DECIMAL(18,6): at most 12 digits before the point. */
const DECIMAL = /^(\d{1,12})(\.\d+)?$/;
const INTEGER = /^\d{1,18}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SYMBOL = /^[A-Z0-9.-]{1,10}$/;

export class CsvHeaderError extends Error {
  override name = 'CsvHeaderError';
  readonly line = 1;
}

/** Splits one CSV line: commas, fields optionally in double quotes ("" is a quote). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) {
    const fields = line.split(',');
    for (let i = 0; i < fields.length; i++) fields[i] = fields[i]!.trim();
    return fields;
  }
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** The header line's column positions; throws CsvHeaderError when it is not the format's. */
export function parseHeader(line: string): Map<Column, number> {
  const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((n) => n.toLowerCase());
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const unknown = names.filter((n) => !known.has(n));
  const missing = REQUIRED.filter((n) => !names.includes(n));
  const duplicate = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length || unknown.length || duplicate.length) {
    const problems = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `unknown ${unknown.join(', ')}` : '',
      duplicate.length ? `repeated ${duplicate.join(', ')}` : '',
    ].filter(Boolean);
    throw new CsvHeaderError(`header must be ${REQUIRED.join(',')}[,adj_close] in any order: ${problems.join('; ')}`);
  }
  return new Map(names.map((n, i) => [n as Column, i]));
}

/** UTC midnight of a real calendar date written YYYY-MM-DD, else null (2024-02-30 is null). */
export function parseCsvDate(text: string): Date | null {
  // A file repeats each date once per symbol: parse each only once.
  const known = dateCache.get(text);
  if (known !== undefined) return known === null ? null : new Date(known);
  if (dateCache.size >= 50_000) dateCache.clear();
  const date = parseDate(text);
  dateCache.set(text, date ? date.getTime() : null);
  return date;
}

const dateCache = new Map<string, number | null>();
const sharedDates = new Map<string, Date | null>();

/** parseCsvDate, one Date per distinct text (a file's rows share them; nothing mutates a candle's ts). */
function sharedCsvDate(text: string): Date | null {
  let date = sharedDates.get(text);
  if (date === undefined) {
    if (sharedDates.size >= 50_000) sharedDates.clear();
    sharedDates.set(text, (date = parseCsvDate(text)));
  }
  return date;
}

function parseDate(text: string): Date | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** The price as written, or why it is not one (a string of digits is checked first: the common case). */
function price(name: string, text: string): string | { reason: string } {
  if (DECIMAL.test(text)) return Number(text) === 0 ? { reason: `${name} must be greater than 0` } : text;
  if (/^-\d/.test(text) && DECIMAL.test(text.slice(1))) return { reason: `negative price in ${name}: ${text}` };
  return { reason: `unparsable number in ${name}: ${JSON.stringify(text)}` };
}

/** Whole shares without leading zeros (as String(BigInt(text)) would write them). */
function shares(text: string): string {
  return text.length > 1 && text.charCodeAt(0) === 48 ? String(BigInt(text)) : text;
}

function field(header: Map<Column, number>, fields: string[], column: Column): string {
  const i = header.get(column);
  return i === undefined ? '' : fields[i]!;
}

/** a < b for two DECIMAL strings; exact where doubles cannot tell them apart. */
function isBelow(a: string, b: string): boolean {
  const [x, y] = [Number(a), Number(b)];
  if (x !== y) return x < y;
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  const intA = ai!.replace(/^0+(?=\d)/, '');
  const intB = bi!.replace(/^0+(?=\d)/, '');
  if (intA.length !== intB.length) return intA.length < intB.length;
  if (intA !== intB) return intA < intB;
  const width = Math.max(af.length, bf.length);
  return af.padEnd(width, '0') < bf.padEnd(width, '0');
}

export interface CsvParseOptions {
  /** When given, rows of other symbols are reported as unknown. */
  symbols?: ReadonlySet<string> | null;
}

/** One data line (1-based line number) as a candle record or a problem. */
export function parseCsvRow(header: Map<Column, number>, fields: string[], line: number, options: CsvParseOptions = {}): HistoryRecord {
  if (fields.length !== header.size) return { kind: 'problem', line, reason: `expected ${header.size} columns, got ${fields.length}` };
  const written = field(header, fields, 'symbol');
  const symbol = written.toUpperCase();
  if (!SYMBOL.test(symbol)) return { kind: 'problem', line, reason: `invalid symbol ${JSON.stringify(written)}` };
  if (options.symbols && !options.symbols.has(symbol)) return { kind: 'problem', line, symbol, reason: `unknown symbol ${symbol}` };
  const date = field(header, fields, 'date');
  const ts = sharedCsvDate(date);
  if (!ts) return { kind: 'problem', line, symbol, reason: `unknown date ${JSON.stringify(date)}: expected YYYY-MM-DD` };

  const open = price('open', field(header, fields, 'open'));
  if (typeof open !== 'string') return { kind: 'problem', line, symbol, reason: open.reason };
  const high = price('high', field(header, fields, 'high'));
  if (typeof high !== 'string') return { kind: 'problem', line, symbol, reason: high.reason };
  const low = price('low', field(header, fields, 'low'));
  if (typeof low !== 'string') return { kind: 'problem', line, symbol, reason: low.reason };
  const close = price('close', field(header, fields, 'close'));
  if (typeof close !== 'string') return { kind: 'problem', line, symbol, reason: close.reason };
  let adjClose: string | null = null;
  const adjusted = field(header, fields, 'adj_close');
  if (adjusted !== '') {
    const value = price('adj_close', adjusted);
    if (typeof value !== 'string') return { kind: 'problem', line, symbol, reason: value.reason };
    adjClose = value;
  }
  const volume = field(header, fields, 'volume');
  if (!INTEGER.test(volume)) {
    return { kind: 'problem', line, symbol, reason: `unparsable number in volume: ${JSON.stringify(volume)} (expected a whole number of shares)` };
  }
  if (isBelow(high, low)) return { kind: 'problem', line, symbol, reason: `high ${high} is below low ${low}` };
  return { kind: 'candle', line, symbol, candle: { ts, open, high, low, close, adjClose, volume: shares(volume) } };
}

/**
 * Reads `source` (a file path, or any readable stream of UTF-8 text) as a stream; yields a record
 * per non-blank data line. Throws CsvHeaderError for a bad or missing header. Destroys the stream
 * when the caller stops early.
 */
export async function* readCandleCsv(source: string | Readable, options: CsvParseOptions = {}): AsyncGenerator<HistoryRecord> {
  for await (const batch of readCandleCsvBatches(source, options)) yield* batch;
}

/** readCandleCsv a read chunk at a time (thousands of records per step: no await per row). */
export async function* readCandleCsvBatches(source: string | Readable, options: CsvParseOptions = {}): AsyncGenerator<HistoryRecord[]> {
  const input = typeof source === 'string' ? createReadStream(source, { encoding: 'utf8', highWaterMark: 1 << 18 }) : source;
  // Lines are cut from whole chunks (faster than readline): \n or \r\n ends a line.
  const decoder = new StringDecoder('utf8');
  let header: Map<Column, number> | null = null;
  let lineNumber = 0;
  let rest = '';
  try {
    let done = false;
    const chunks = input[Symbol.asyncIterator]();
    while (!done) {
      const next = await chunks.next();
      let text: string;
      if (next.done) {
        done = true;
        text = rest + decoder.end();
        if (text !== '' && !text.endsWith('\n')) text += '\n';
      } else {
        text = rest + (typeof next.value === 'string' ? next.value : decoder.write(next.value as Buffer));
      }
      const batch: HistoryRecord[] = [];
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
        const line = text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
        lineNumber++;
        if (header === null) {
          header = parseHeader(line);
          continue;
        }
        if (line.trim() === '') continue;
        batch.push(parseCsvRow(header, splitCsvLine(line), lineNumber, options));
      }
      rest = text.slice(start);
      if (batch.length > 0) yield batch;
    }
    if (header === null) throw new CsvHeaderError(`the file is empty; expected the header ${REQUIRED.join(',')}`);
  } finally {
    input.destroy();
  }
}
