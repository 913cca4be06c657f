import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { Decimal } from 'decimal.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { newYorkDate, newYorkInstant } from '../market/calendar/new-york-calendar.js';
import { CURRENCIES, minorUnit } from './money.js';

/**
 * Per-field limits on `csv`. Pass it as a variable: inlined in the query it
 * counts against the document-size guard (GRAPHQL_MAX_DOCUMENT_CHARS), and
 * over HTTP the variables' JSON is capped at 100,000 characters
 * (MAX_VARIABLES_CHARS), which these limits stay under for a plain export
 * (about 2,000 rows of 40 bytes; JSON escaping adds a little per line).
 */
export const MAX_IMPORT_BYTES = 90_000;
export const MAX_IMPORT_ROWS = 2_000;
const MAX_RECORD_CHARS = 4_096;
/** Fed to the parser in slices, so a large file yields to the event loop between them. */
const CHUNK_CHARS = 16 * 1024;

export const ACTIVITY_SIDES = ['BUY', 'SELL', 'DIVIDEND', 'FEE', 'DEPOSIT', 'WITHDRAWAL'] as const;
export type ActivitySide = (typeof ACTIVITY_SIDES)[number];

/** Header names (lower case, spaces and underscores dropped) and the column each means. */
const HEADER_ALIASES: Readonly<Record<string, Column>> = {
  date: 'date', tradedate: 'date', executedat: 'date',
  symbol: 'symbol', ticker: 'symbol',
  side: 'side', type: 'side', action: 'side',
  quantity: 'quantity', shares: 'quantity', qty: 'quantity',
  price: 'price', unitprice: 'price',
  fee: 'fee', fees: 'fee', commission: 'fee',
  currency: 'currency',
  amount: 'amount',
};
type Column = 'date' | 'symbol' | 'side' | 'quantity' | 'price' | 'fee' | 'currency' | 'amount';
const REQUIRED: readonly Column[] = ['date', 'symbol', 'side', 'quantity', 'price'];

export interface LineError {
  line: number;
  field: string | null;
  message: string;
  code: string;
}

/** One line that parsed and passed every check that needs no database. */
export interface ParsedActivity {
  line: number;
  side: ActivitySide;
  executedAt: Date;
  /** Upper case; null for DEPOSIT / WITHDRAWAL and a FEE without one. */
  symbol: string | null;
  quantity: Decimal | null;
  price: Decimal | null;
  fee: Decimal;
  /** As written (upper case), or null: the listing's currency for trades and dividends, the base currency otherwise. */
  currency: string | null;
  /** Cash lines: the `amount` cell, else as described in cashAmount. */
  amount: Decimal | null;
}

class LineProblem extends Error {
  constructor(readonly field: string | null, message: string) {
    super(message);
  }
}

const DECIMAL = /^\d+(\.\d+)?$/;

function decimalCell(text: string, field: string, places: number, unit: string, allowZero = false): Decimal | null {
  if (text === '') return null;
  if (!DECIMAL.test(text)) throw new LineProblem(field, `${field}: "${text}" is not a plain decimal number (digits and one point, no sign or separators)`);
  const value = new Decimal(text);
  if (!allowZero && value.isZero()) throw new LineProblem(field, `${field}: must be positive`);
  if (value.gt('1e15')) throw new LineProblem(field, `${field}: is too large`);
  if (value.decimalPlaces() > places) throw new LineProblem(field, `${field}: must have at most ${places} decimal places (${unit})`);
  return value;
}

/** A calendar date (YYYY-MM-DD, booked at 16:00 New York, or now if that is still ahead) or an ISO 8601 instant with a zone. */
function dateCell(text: string, now: Date): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const parsed = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) throw new LineProblem('date', `date: ${text} is not a calendar date`);
    if (text > newYorkDate(now)) throw new LineProblem('date', `date: ${text} is in the future`);
    if (text < '1970-01-01') throw new LineProblem('date', `date: ${text} is before 1970`);
    const close = newYorkInstant(text, 16, 0);
    return close.getTime() > now.getTime() ? now : close;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new LineProblem('date', `date: ${text} is not a valid instant`);
    if (at.getTime() > now.getTime() + 60_000) throw new LineProblem('date', `date: ${text} is in the future`);
    if (at.getUTCFullYear() < 1970) throw new LineProblem('date', `date: ${text} is before 1970`);
    return at;
  }
  throw new LineProblem('date', `date: "${text}" is not YYYY-MM-DD or an ISO 8601 time with a zone`);
}

function activityOf(cells: Partial<Record<Column, string>>, line: number, now: Date): ParsedActivity {
  const cell = (column: Column) => (cells[column] ?? '').trim();
  const sideText = cell('side').toUpperCase();
  if (!(ACTIVITY_SIDES as readonly string[]).includes(sideText)) {
    throw new LineProblem('side', `side: "${cell('side')}" is not one of ${ACTIVITY_SIDES.join(', ')}`);
  }
  const side = sideText as ActivitySide;
  const executedAt = dateCell(cell('date'), now);
  const currencyText = cell('currency').toUpperCase();
  if (currencyText && !CURRENCIES.includes(currencyText)) throw new LineProblem('currency', `currency: ${currencyText} is not one of ${CURRENCIES.join(', ')}`);
  const currency = currencyText || null;
  const symbolText = cell('symbol').toUpperCase();
  if (symbolText && !/^[A-Z0-9.\-]{1,10}$/.test(symbolText)) throw new LineProblem('symbol', `symbol: "${cell('symbol')}" is not a ticker`);
  const symbol = side === 'DEPOSIT' || side === 'WITHDRAWAL' ? null : symbolText || null;
  if ((side === 'BUY' || side === 'SELL' || side === 'DIVIDEND') && !symbol) throw new LineProblem('symbol', `symbol: a ${side} line needs one`);

  const quantity = decimalCell(cell('quantity'), 'quantity', 6, 'shares are held to 6 places');
  const price = decimalCell(cell('price'), 'price', 6, 'prices are stored to 6 places');
  // Money cells are checked against the currency's minor unit when it is known (here, or once the listing is looked up).
  const places = currency ? minorUnit(currency) : 6;
  const fee = decimalCell(cell('fee'), 'fee', places, `money in ${currency ?? 'the listing currency'}`, true) ?? new Decimal(0);
  const amount = decimalCell(cell('amount'), 'amount', places, `money in ${currency ?? 'the base currency'}`);
  if (side === 'BUY' || side === 'SELL') {
    if (!quantity) throw new LineProblem('quantity', `quantity: a ${side} line needs one`);
    if (!price) throw new LineProblem('price', `price: a ${side} line needs one`);
  } else if (!amount && !(side === 'FEE' && fee.gt(0)) && !quantity) {
    throw new LineProblem('amount', `amount: a ${side} line needs an amount (or quantity × price${side === 'FEE' ? ', or a fee' : ''})`);
  }
  return { line, side, executedAt, symbol, quantity, price, fee, currency, amount };
}

/**
 * The money a non-trade line moves, before the currency's minor unit is checked:
 * the `amount` cell; else for a FEE its `fee` cell; else quantity × price (price
 * 1 when empty), e.g. shares × dividend per share.
 */
export function cashAmount(activity: ParsedActivity): Decimal {
  if (activity.amount) return activity.amount;
  if (activity.side === 'FEE' && activity.fee.gt(0)) return activity.fee;
  return activity.quantity!.mul(activity.price ?? 1);
}

export interface ParsedCsv {
  activities: ParsedActivity[];
  errors: LineError[];
  rows: number;
}

/**
 * Streams `csv` through csv-parse (BOM, CRLF or LF, quoted fields; header
 * columns in any order, names case-insensitive, unknown columns ignored) and
 * validates each row on its own. A row's problems become LineErrors with the
 * line it ends on (line 1 is the header); a file the parser cannot read at all
 * (an unclosed quote), a missing required column or a file over the limits is
 * BAD_USER_INPUT for the whole import.
 */
export async function parseActivities(csv: string, now: Date = new Date()): Promise<ParsedCsv> {
  const bytes = Buffer.byteLength(csv, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) throw new BadUserInputError(`csv: is ${bytes} bytes; at most ${MAX_IMPORT_BYTES} bytes (${MAX_IMPORT_ROWS} rows) per import`, 'csv');
  const chunks: string[] = [];
  for (let i = 0; i < csv.length; i += CHUNK_CHARS) chunks.push(csv.slice(i, i + CHUNK_CHARS));
  const parser = Readable.from(chunks).pipe(
    parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS }),
  );
  let columns: (Column | null)[] | null = null;
  const activities: ParsedActivity[] = [];
  const errors: LineError[] = [];
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = headerOf(record);
        continue;
      }
      rows += 1;
      if (rows > MAX_IMPORT_ROWS) {
        parser.destroy();
        throw new BadUserInputError(`csv: more than ${MAX_IMPORT_ROWS} rows; split the file (at most ${MAX_IMPORT_ROWS} rows, ${MAX_IMPORT_BYTES} bytes per import)`, 'csv');
      }
      if (record.length !== columns.length) {
        errors.push({ line: info.lines, field: null, message: `has ${record.length} fields; the header has ${columns.length}`, code: 'BAD_USER_INPUT' });
        continue;
      }
      const cells: Partial<Record<Column, string>> = {};
      columns.forEach((column, i) => {
        if (column) cells[column] = record[i];
      });
      try {
        activities.push(activityOf(cells, info.lines, now));
      } catch (error) {
        if (!(error instanceof LineProblem)) throw error;
        errors.push({ line: info.lines, field: error.field, message: error.message, code: 'BAD_USER_INPUT' });
      }
    }
  } catch (error) {
    if (error instanceof BadUserInputError) throw error;
    const csvError = error as { code?: string; lines?: number; message?: string };
    if (typeof csvError.code === 'string' && csvError.code.startsWith('CSV_')) {
      throw new BadUserInputError(`csv: line ${csvError.lines ?? '?'}: ${csvError.message ?? 'cannot be parsed'}`, 'csv');
    }
    throw error;
  }
  if (!columns) throw new BadUserInputError('csv: is empty; the first line must be a header (date, symbol, side, quantity, price, fee, currency)', 'csv');
  return { activities, errors, rows };
}

function headerOf(record: string[]): (Column | null)[] {
  const columns = record.map((name) => HEADER_ALIASES[name.trim().toLowerCase().replace(/[\s_]/g, '')] ?? null);
  const seen = new Set<Column>();
  for (const column of columns) {
    if (!column) continue;
    if (seen.has(column)) throw new BadUserInputError(`csv: the header names the ${column} column twice`, 'csv');
    seen.add(column);
  }
  const missing = REQUIRED.filter((column) => !seen.has(column));
  if (missing.length > 0) throw new BadUserInputError(`csv: the header (line 1) lacks ${missing.join(', ')}; expected date, symbol, side, quantity, price, fee, currency`, 'csv');
  return columns;
}
