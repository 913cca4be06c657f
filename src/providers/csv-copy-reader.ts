// Reads a daily-candle CSV file (csv-parser.ts's format) straight into COPY
// text chunks for stock_price, working on the file's bytes: no string, object
// or Date per row. A line is checked once, here: one the byte scanner can
// prove good is copied field by field into the chunk; any other line (quotes,
// spaces, lower-case symbols, more than 15 significant digits, anything
// wrong) goes through parseCsvRow, which gives the exact reason and line
// number, or the candle to write. Both paths accept exactly the same rows.

import { createReadStream } from 'node:fs';
import { copyField } from '../db/copy-text.js';
import { CsvHeaderError, parseCsvRow, parseHeader, splitCsvLine, REQUIRED_COLUMNS, type CsvColumn } from './csv-parser.js';
import type { CandleIntervalName } from './market-data-provider.js';

/** stock_price's columns of a chunk built from rows (interval and source come last, the same on every line). */
export const CANDLE_COPY_COLUMNS = ['symbol', 'ts', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'interval', 'source'] as const;

/** One symbol's rows in a chunk. */
export interface CopyChunkSymbol {
  symbol: string;
  /** Its rows' times (ms), distinct and ascending. */
  times: number[];
  /** Rows of it in the chunk (more than times.length when a (symbol, day) repeats). */
  rows: number;
}

/**
 * Up to `chunkRows` good rows as COPY text. A DAY row's ts is its date as written (YYYY-MM-DD): the
 * COPY must run with TimeZone UTC (candle-sql.ts sets it) to store UTC midnight.
 */
export interface CandleCopyChunk {
  /** stock_price's columns of each line, in order: the file's own (its lines are copied as they are), then interval and source. */
  columns: readonly string[];
  bytes: Buffer;
  rows: number;
  /** End offset in `bytes` of each row (its start is the previous row's end). */
  rowEnd: Int32Array;
  /** Index into `symbols` of each row. */
  rowSymbol: Int32Array;
  symbols: CopyChunkSymbol[];
  minTs: number;
  maxTs: number;
}

export interface CopyChunkOptions {
  /** Rows of symbols outside this set are problems ("unknown symbol X"); null: every symbol is known. */
  known: ReadonlySet<string> | null;
  /** Good rows of symbols outside this set are counted as skipped; null: every symbol is wanted. */
  requested: ReadonlySet<string> | null;
  /** Good rows before `from` or after `to` are counted as skipped. */
  from: Date | null;
  to: Date | null;
  interval: CandleIntervalName;
  /** stock_price.source of every row. */
  source: string;
  /** Rows per chunk. */
  chunkRows: number;
}

/** Told, in file order, about rows that are not in any chunk. */
export interface CopyChunkSink {
  problem(problem: { line?: number; symbol?: string; reason: string }): void;
  skipped(rows: number): void;
}

const NL = 10, CR = 13, TAB = 9, COMMA = 44, DOT = 46, DASH = 45, ZERO = 48, NINE = 57, UPPER_A = 65, UPPER_Z = 90, UPPER_N = 78, BACKSLASH = 92;
const DAY_MS = 86_400_000;
const NULL_FIELD = Buffer.from('\\N');
/** Longest line the fast path accepts; longer ones take parseCsvRow (the chunk's room per row is sized from this). */
const MAX_FAST_LINE = 256;
/** Offsets of the digits in YYYY-MM-DD. */
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9] as const;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const isDigit = (b: number) => b >= ZERO && b <= NINE;

/**
 * The value of a DECIMAL field of at most 15 significant digits (1-12 before the point), or -1 when
 * the field is not one the fast path may take. With ≤ 15 digits the double is the correctly rounded
 * value, so comparing two of them orders the decimals exactly (DBL_DIG is 15).
 */
function fastDecimal(buf: Buffer, start: number, end: number): number {
  let value = 0;
  let intDigits = 0;
  let fracDigits = 0;
  let i = start;
  for (; i < end && isDigit(buf[i]!); i++) {
    value = value * 10 + (buf[i]! - ZERO);
    intDigits++;
  }
  if (intDigits === 0 || intDigits > 12) return -1;
  if (i < end) {
    if (buf[i] !== DOT) return -1;
    for (i++; i < end && isDigit(buf[i]!); i++) {
      value = value * 10 + (buf[i]! - ZERO);
      fracDigits++;
    }
    if (i < end || fracDigits === 0) return -1;
  }
  if (intDigits + fracDigits > 15) return -1;
  return fracDigits === 0 ? value : value / 10 ** fracDigits;
}

interface SymbolState {
  symbol: string;
  bytes: Buffer;
  /** 0 load, 1 unknown (a problem), 2 not requested (skipped when good) */
  status: 0 | 1 | 2;
  /** The chunk this entry belongs to, and its index there. */
  chunk: number;
  index: number;
  entry: CopyChunkSymbol | null;
  lastTime: number;
  sorted: boolean;
}

/** Where each column sits in a line of the file (-1: absent), from its header. */
interface Layout {
  fields: number;
  symbol: number;
  date: number;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number;
  volume: number;
  /** stock_price's columns of the lines written: the file's order, `date` as `ts`. */
  columns: readonly string[];
}

function layoutOf(header: Map<CsvColumn, number>): Layout {
  const at = (c: CsvColumn) => header.get(c) ?? -1;
  const names = [...header].sort((a, b) => a[1] - b[1]).map(([name]) => (name === 'date' ? 'ts' : name));
  return {
    fields: header.size, symbol: at('symbol'), date: at('date'), open: at('open'), high: at('high'), low: at('low'),
    close: at('close'), adjClose: at('adj_close'), volume: at('volume'), columns: [...names, 'interval', 'source'],
  };
}

/**
 * Reads `file` (header first, as csv-parser.ts describes) and yields its good rows in chunks; bad and
 * skipped rows go to `sink` as met. Throws CsvHeaderError for a bad or missing header.
 */
export async function* readCandleCopyChunks(file: string, options: CopyChunkOptions, sink: CopyChunkSink): AsyncGenerator<CandleCopyChunk> {
  // 256 KiB a read: parsing one holds the event loop ~2-3 ms (the API shares it), then it yields.
  const input = createReadStream(file, { highWaterMark: 1 << 18 });
  const tail = Buffer.from(`\t${options.interval}\t${copyField(options.source)}\n`);
  const from = options.from?.getTime() ?? -Infinity;
  const to = options.to?.getTime() ?? Infinity;
  const symbols = new Map<string, SymbolState>();
  // A good line grows by a \N for an empty adj_close and the tail.
  const rowRoom = MAX_FAST_LINE + NULL_FIELD.length + tail.length;

  let header: Map<CsvColumn, number> | null = null;
  let layout: Layout | null = null;
  // A header has at most 8 columns (csv-parser.ts rejects repeated and unknown ones).
  const fieldStart = new Int32Array(9);
  const fieldEnd = new Int32Array(9);

  let chunkNumber = 0;
  let out = Buffer.allocUnsafe(0);
  let pos = 0;
  let rows = 0;
  let rowEnd = new Int32Array(0);
  let rowSymbol = new Int32Array(0);
  let chunkSymbols: CopyChunkSymbol[] = [];
  let minTs = Infinity;
  let maxTs = -Infinity;
  const startChunk = () => {
    chunkNumber++;
    out = Buffer.allocUnsafe(Math.min(options.chunkRows, 1 << 16) * 80 + rowRoom);
    pos = 0;
    rows = 0;
    rowEnd = new Int32Array(options.chunkRows);
    rowSymbol = new Int32Array(options.chunkRows);
    chunkSymbols = [];
    minTs = Infinity;
    maxTs = -Infinity;
  };
  const finishChunk = (): CandleCopyChunk => {
    for (const state of symbols.values()) {
      if (state.chunk !== chunkNumber || state.sorted) continue;
      const times = state.entry!.times.sort((a, b) => a - b);
      let n = 0;
      for (let i = 0; i < times.length; i++) if (i === 0 || times[i] !== times[n - 1]) times[n++] = times[i]!;
      times.length = n;
    }
    return {
      columns: layout!.columns, bytes: out.subarray(0, pos), rows, rowEnd: rowEnd.subarray(0, rows), rowSymbol: rowSymbol.subarray(0, rows),
      symbols: chunkSymbols, minTs, maxTs,
    };
  };
  const ensureRoom = (bytes: number) => {
    if (pos + bytes <= out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, pos + bytes));
    out.copy(bigger, 0, 0, pos);
    out = bigger;
  };
  const stateOf = (symbol: string): SymbolState => {
    let state = symbols.get(symbol);
    if (!state) {
      const status = options.known && !options.known.has(symbol) ? 1 : options.requested && !options.requested.has(symbol) ? 2 : 0;
      state = { symbol, bytes: Buffer.from(symbol, 'latin1'), status, chunk: 0, index: -1, entry: null, lastTime: -Infinity, sorted: true };
      symbols.set(symbol, state);
    }
    return state;
  };
  /** Counts a row of `state` at `ms` that ends at `end` in `out`. */
  const noteRow = (state: SymbolState, ms: number, end: number) => {
    if (state.chunk !== chunkNumber) {
      state.chunk = chunkNumber;
      state.index = chunkSymbols.length;
      state.entry = { symbol: state.symbol, times: [], rows: 0 };
      state.lastTime = -Infinity;
      state.sorted = true;
      chunkSymbols.push(state.entry);
    }
    const entry = state.entry!;
    entry.rows++;
    if (ms !== state.lastTime) {
      if (ms < state.lastTime) state.sorted = false;
      entry.times.push(ms);
      state.lastTime = ms;
    }
    if (ms < minTs) minTs = ms;
    if (ms > maxTs) maxTs = ms;
    pos = end;
    rowEnd[rows] = end;
    rowSymbol[rows] = state.index;
    rows++;
  };

  /** A line parseCsvRow decides (its reason is the report's). */
  const slowLine = (buf: Buffer, start: number, end: number, line: number) => {
    const text = buf.toString('utf8', start, end);
    if (text.trim() === '') return;
    const record = parseCsvRow(header!, splitCsvLine(text), line, { symbols: options.known });
    if (record.kind === 'problem') return sink.problem({ line, symbol: record.symbol, reason: record.reason });
    const { symbol, candle: c } = record;
    const state = stateOf(symbol);
    const ms = c.ts.getTime();
    if (state.status === 2 || ms < from || ms > to) return sink.skipped(1);
    const byColumn: Record<string, string> = {
      symbol, ts: c.ts.toISOString(), open: c.open, high: c.high, low: c.low, close: c.close, adj_close: c.adjClose ?? '\\N', volume: c.volume,
    };
    const written = layout!.columns.slice(0, -2).map((name) => byColumn[name]!).join('\t');
    ensureRoom(written.length + tail.length);
    // Every field is ASCII by now (checked digits, [A-Z0-9.-] symbols).
    let p = pos + out.write(written, pos, 'latin1');
    for (let i = 0; i < tail.length; i++) out[p++] = tail[i]!;
    noteRow(state, ms, p);
  };

  let previous: SymbolState | null = null;
  /**
   * One data line [start, end) without its line break, decided without parseCsvRow when it can be:
   * copied into `out` (commas to tabs) while its fields are found, then checked; only a good row
   * moves `pos` past it. False when parseCsvRow must decide.
   */
  const fastLine = (buf: Buffer, start: number, end: number, line: number): boolean => {
    if (end - start > MAX_FAST_LINE) return false;
    const L = layout!;
    ensureRoom(rowRoom);
    const o = out;
    let p = pos;
    let n = 0;
    fieldStart[0] = start;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b !== COMMA) {
        o[p++] = b;
        continue;
      }
      if (n === L.adjClose && i === fieldStart[n]) (o[p++] = BACKSLASH), (o[p++] = UPPER_N);
      fieldEnd[n++] = i;
      if (n >= L.fields) return false;
      fieldStart[n] = i + 1;
      o[p++] = TAB;
    }
    if (n === L.adjClose && end === fieldStart[n]) (o[p++] = BACKSLASH), (o[p++] = UPPER_N);
    fieldEnd[n++] = end;
    if (n !== L.fields) return false;

    const symbolStart = fieldStart[L.symbol]!, symbolEnd = fieldEnd[L.symbol]!;
    const symbolLength = symbolEnd - symbolStart;
    if (symbolLength < 1 || symbolLength > 10) return false;
    let state = previous;
    let same = state !== null && state.bytes.length === symbolLength;
    for (let i = symbolStart; i < symbolEnd; i++) {
      const b = buf[i]!;
      if (!((b >= UPPER_A && b <= UPPER_Z) || isDigit(b) || b === DOT || b === DASH)) return false;
      if (same && state!.bytes[i - symbolStart] !== b) same = false;
    }
    if (!same) previous = state = stateOf(buf.toString('latin1', symbolStart, symbolEnd));
    if (state!.status === 1) {
      sink.problem({ line, symbol: state!.symbol, reason: `unknown symbol ${state!.symbol}` });
      return true;
    }

    const d = fieldStart[L.date]!;
    if (fieldEnd[L.date]! - d !== 10 || buf[d + 4] !== DASH || buf[d + 7] !== DASH) return false;
    for (const k of DATE_DIGITS) if (!isDigit(buf[d + k]!)) return false;
    const year = (buf[d]! - ZERO) * 1000 + (buf[d + 1]! - ZERO) * 100 + (buf[d + 2]! - ZERO) * 10 + (buf[d + 3]! - ZERO);
    const month = (buf[d + 5]! - ZERO) * 10 + (buf[d + 6]! - ZERO);
    const day = (buf[d + 8]! - ZERO) * 10 + (buf[d + 9]! - ZERO);
    // Years before 100 are not dates to Date.UTC (it maps them to 19xx): parseCsvRow decides those.
    if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
    const ms = daysFromCivil(year, month, day) * DAY_MS;

    if (fastDecimal(buf, fieldStart[L.open]!, fieldEnd[L.open]!) <= 0) return false;
    if (fastDecimal(buf, fieldStart[L.close]!, fieldEnd[L.close]!) <= 0) return false;
    const high = fastDecimal(buf, fieldStart[L.high]!, fieldEnd[L.high]!);
    const low = fastDecimal(buf, fieldStart[L.low]!, fieldEnd[L.low]!);
    if (high <= 0 || low <= 0 || high < low) return false;
    const adj = L.adjClose;
    if (adj >= 0 && fieldEnd[adj]! > fieldStart[adj]! && fastDecimal(buf, fieldStart[adj]!, fieldEnd[adj]!) <= 0) return false;
    const v = fieldStart[L.volume]!, vEnd = fieldEnd[L.volume]!;
    // A leading zero is written as shares() would (0099 -> 99): parseCsvRow does that.
    if (vEnd - v < 1 || vEnd - v > 18 || (buf[v] === ZERO && vEnd - v > 1)) return false;
    for (let i = v; i < vEnd; i++) if (!isDigit(buf[i]!)) return false;

    if (state!.status === 2 || ms < from || ms > to) {
      sink.skipped(1);
      return true;
    }
    for (let k = 0; k < tail.length; k++) o[p++] = tail[k]!;
    noteRow(state!, ms, p);
    return true;
  };

  startChunk();
  let lineNumber = 0;
  let rest: Buffer | null = null;
  try {
    for await (const read of input as AsyncIterable<Buffer>) {
      const buf: Buffer = rest ? Buffer.concat([rest, read]) : read;
      let start = 0;
      for (let end = buf.indexOf(NL, start); end !== -1; start = end + 1, end = buf.indexOf(NL, start)) {
        const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
        lineNumber++;
        if (header === null) {
          header = parseHeader(buf.toString('utf8', start, stop));
          layout = layoutOf(header);
          continue;
        }
        if (stop === start) continue;
        if (!fastLine(buf, start, stop, lineNumber)) slowLine(buf, start, stop, lineNumber);
        if (rows === options.chunkRows) {
          yield finishChunk();
          startChunk();
        }
      }
      rest = start < buf.length ? buf.subarray(start) : null;
      // Parsing a read never waits on I/O: let a chunk being COPYed meanwhile have the loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (rest && rest.length > 0) {
      lineNumber++;
      const stop = rest[rest.length - 1] === CR ? rest.length - 1 : rest.length;
      if (header === null) header = parseHeader(rest.toString('utf8', 0, stop));
      else if (stop > 0 && !fastLine(rest, 0, stop, lineNumber)) slowLine(rest, 0, stop, lineNumber);
    }
    if (header === null) throw new CsvHeaderError(`the file is empty; expected the header ${REQUIRED_COLUMNS.join(',')}`);
    if (rows > 0) yield finishChunk();
  } finally {
    input.destroy();
  }
}
