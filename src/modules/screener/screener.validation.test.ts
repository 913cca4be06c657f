import { describe, expect, it } from 'vitest';
import { parseInput } from '../../graphql/validate.js';
import { decodeScreenerCursor, encodeScreenerCursor } from './screener.cursor.js';
import { ScreenerSortField, SortDirection, type CategoricalFilter, type NumericFilter } from './screener.type.js';
import { customScreenerInputSchema, resolveCriteria, runScreenerSchema } from './screener.validation.js';

const PE: NumericFilter = { id: 2, key: 'pe_ratio', label: 'P/E ratio', unit: 'ratio', min: 0, max: 1000, columnName: 'pe_ratio' };
const SECTOR: CategoricalFilter = { id: 1, key: 'sector', label: 'Sector', options: ['Energy', 'Technology'], columnName: 'sector' };
const CATALOGUE = { numeric: new Map([[2, PE]]), categorical: new Map([[1, SECTOR]]) };

function badInput(run: () => unknown): { message: string; field: unknown } {
  try {
    run();
  } catch (error: any) {
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    return { message: error.message, field: error.extensions.field };
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('runScreenerSchema', () => {
  it('fills in defaults: no criteria, 20 rows, market cap descending', () => {
    expect(parseInput(runScreenerSchema, {})).toEqual({
      numeric: [],
      categorical: [],
      first: 20,
      after: undefined,
      sort: { field: 'MARKET_CAP', direction: 'DESC' },
    });
  });

  it('rounds bounds to the 6 decimals they are stored with', () => {
    const { numeric } = parseInput(runScreenerSchema, { numeric: [{ filterId: '2', min: 0.12345649, max: 1.0000005 }] });
    expect(numeric).toEqual([{ filterId: '2', min: 0.123456, max: 1.000001 }]);
  });

  it.each([
    [{ numeric: [{ filterId: '2', min: 5, max: 1 }] }, 'numeric[0].min: min must not be greater than max'],
    [{ numeric: [{ filterId: '2' }] }, 'numeric[0].min: give min, max or both'],
    [{ numeric: [{ filterId: '2', min: 1e19 }] }, 'numeric[0].min: must be between -1e18 and 1e18'],
    [{ categorical: [{ filterId: '1', values: [] }] }, 'categorical[0].values: pick at least one value'],
    [{ first: 0 }, 'first: must be between 1 and 100'],
    [{ first: 101 }, 'first: must be between 1 and 100'],
    [{ numeric: Array.from({ length: 15 }, () => ({ filterId: '2', min: 1 })), categorical: Array.from({ length: 6 }, () => ({ filterId: '1', values: ['Energy'] })) }, 'categorical: at most 20 criteria in all (numeric + categorical); got 21'],
    [{ numeric: Array.from({ length: 21 }, () => ({ filterId: '2', min: 1 })) }, 'numeric: at most 20 criteria in all (numeric + categorical); got 21'],
  ])('rejects %j', (input, message) => {
    expect(badInput(() => parseInput(runScreenerSchema, input)).message).toBe(message);
  });
});

describe('customScreenerInputSchema', () => {
  it('trims the name and turns a blank description into null', () => {
    expect(parseInput(customScreenerInputSchema, { name: '  Cheap tech ', description: '  ' })).toMatchObject({ name: 'Cheap tech', description: null });
  });

  it.each([['   '], ['x'.repeat(101)]])('rejects the name %j', (name) => {
    expect(badInput(() => parseInput(customScreenerInputSchema, { name })).message).toBe('name: must be 1-100 characters');
  });
});

describe('resolveCriteria', () => {
  it('matches category values in any letter case, keeping the option’s own spelling', () => {
    const resolved = resolveCriteria({ numeric: [], categorical: [{ filterId: '1', values: ['ENERGY', 'technology', 'Energy'] }] }, CATALOGUE);
    expect(resolved.categorical).toEqual([{ filter: SECTOR, values: ['Energy', 'Technology'] }]);
  });

  it('pairs each criterion with its filter and drops repeated values', () => {
    const resolved = resolveCriteria(
      { numeric: [{ filterId: '2', min: 0, max: 15 }], categorical: [{ filterId: '1', values: ['Energy', 'Energy'] }] },
      CATALOGUE,
    );
    expect(resolved).toEqual({ numeric: [{ filter: PE, min: 0, max: 15 }], categorical: [{ filter: SECTOR, values: ['Energy'] }] });
  });

  it.each([
    [{ numeric: [{ filterId: '999', min: 1, max: null }], categorical: [] }, 'numeric[0].filterId: no numeric filter 999', 'numeric[0].filterId'],
    [{ numeric: [{ filterId: '2', min: 1, max: null }, { filterId: 'abc', min: 1, max: null }], categorical: [] }, 'numeric[1].filterId: no numeric filter abc', 'numeric[1].filterId'],
    [{ numeric: [{ filterId: '1', min: 1, max: null }], categorical: [] }, 'numeric[0].filterId: no numeric filter 1', 'numeric[0].filterId'],
    [{ numeric: [], categorical: [{ filterId: '2', values: ['Energy'] }] }, 'categorical[0].filterId: no categorical filter 2', 'categorical[0].filterId'],
    [{ numeric: [], categorical: [{ filterId: '1', values: ['Energy', 'Tech'] }] }, 'categorical[0].values[1]: "Tech" is not an option of Sector (options: Energy, Technology)', 'categorical[0].values[1]'],
  ])('rejects %j naming the field', (criteria, message, field) => {
    expect(badInput(() => resolveCriteria(criteria, CATALOGUE))).toEqual({ message, field });
  });
});

describe('screener cursors', () => {
  const sort = { field: ScreenerSortField.PE_RATIO, direction: SortDirection.ASC };

  it('round-trip a position, including a missing sort value', () => {
    expect(decodeScreenerCursor(encodeScreenerCursor(sort, { value: '12.5000', symbol: 'MSFT' }), sort)).toEqual({ value: '12.5000', symbol: 'MSFT' });
    expect(decodeScreenerCursor(encodeScreenerCursor(sort, { value: null, symbol: 'XOM' }), sort)).toEqual({ value: null, symbol: 'XOM' });
  });

  it('carry only the symbol when sorting by symbol', () => {
    const bySymbol = { field: ScreenerSortField.SYMBOL, direction: SortDirection.DESC };
    expect(decodeScreenerCursor(encodeScreenerCursor(bySymbol, { value: 'MSFT', symbol: 'MSFT' }), bySymbol)).toEqual({ value: null, symbol: 'MSFT' });
  });

  it('refuse a cursor made for another sort order', () => {
    const cursor = encodeScreenerCursor(sort, { value: '1', symbol: 'A' });
    expect(badInput(() => decodeScreenerCursor(cursor, { ...sort, direction: SortDirection.DESC })).message).toBe(
      'after: this cursor was made for a different sort order',
    );
  });

  it.each([
    ['another connection', Buffer.from('stock:AAPL').toString('base64url')],
    ['a value that is not a number', Buffer.from('screener:{"field":"PE_RATIO","direction":"ASC","value":"1; DROP","symbol":"A"}').toString('base64url')],
    ['broken JSON', Buffer.from('screener:{').toString('base64url')],
  ])('refuse a cursor of %s', (_, cursor) => {
    expect(badInput(() => decodeScreenerCursor(cursor, sort)).message).toBe('after: not a cursor of this connection');
  });
});
