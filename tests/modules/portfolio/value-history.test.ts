import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { anchorOf, closesAt, rebuildDayValues, seriesDates } from '../../../src/modules/portfolio/value-history.js';
import type { BookDay, BookHistory } from '../../../src/modules/portfolio/value-history.sql.js';

const D = (n: number | string) => new Decimal(n);
const bookDay = (date: string, cash: number, flow: number, trades: [string, number, number][] = []): BookDay => ({
  date,
  cash: new Map([['USD', D(cash)]]),
  flows: flow ? new Map([['USD', D(flow)]]) : new Map(),
  trades: new Map(trades.map(([symbol, quantity, price]) => [symbol, { currency: 'USD', quantity: D(quantity), dayPrice: D(price) }])),
});

describe('range anchors (New York calendar)', () => {
  it('anchor each range on the session on or before today minus the period', () => {
    // 2025-03-10 is a Monday.
    expect(anchorOf('ONE_DAY', '2025-03-10')).toBe('2025-03-07'); // the previous session (Friday)
    expect(anchorOf('ONE_WEEK', '2025-03-10')).toBe('2025-03-03');
    expect(anchorOf('ONE_MONTH', '2025-03-10')).toBe('2025-02-10');
    expect(anchorOf('THREE_MONTHS', '2025-03-31')).toBe('2024-12-31');
    expect(anchorOf('YTD', '2025-03-10')).toBe('2024-12-31');
    // 2024-02-29 minus a year is 2023-02-28 (a Tuesday); 2021-01-01 was a holiday, so FIVE_YEARS from 2026-01-01 is 2020-12-31.
    expect(anchorOf('ONE_YEAR', '2024-02-29')).toBe('2023-02-28');
    expect(anchorOf('FIVE_YEARS', '2026-01-01')).toBe('2020-12-31');
    expect(anchorOf('MAX', '2025-03-10')).toBeNull();
  });

  it('start a young portfolio the day before its first entry and skip weekends and holidays', () => {
    const history: BookHistory = { days: [bookDay('2025-03-06', 1000, 1000)], snapshots: new Map() };
    expect(seriesDates(history, 'ONE_MONTH', '2025-03-11')).toEqual(['2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10', '2025-03-11']);
    // Good Friday 2025-04-18 is closed; a Saturday "today" is still the last point (the live value).
    expect(seriesDates(history, 'ONE_WEEK', '2025-04-19')).toEqual(['2025-04-11', '2025-04-14', '2025-04-15', '2025-04-16', '2025-04-17', '2025-04-19']);
    expect(seriesDates({ days: [], snapshots: new Map() }, 'MAX', '2025-03-11')).toBeNull();
  });
});

describe('rebuilding daily values from the books', () => {
  // Thu 03-06: deposit 1,000, buy 2 X @ 100 (day price); Sat 03-08: deposit 500; Mon 03-10: sell 1 X.
  const history: BookHistory = {
    days: [bookDay('2025-03-06', 800, 1000, [['X', 2, 100]]), bookDay('2025-03-08', 500, 500), bookDay('2025-03-10', 110, 0, [['X', -1, 110]])],
    snapshots: new Map(),
  };
  const closes = new Map([['X', new Map([['2025-03-07', D(105)], ['2025-03-10', D(110)]])]]);

  it('values positions at the close on or before each date, the day price before the first close', () => {
    const days = rebuildDayValues(history, ['2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10'], { closes, rates: new Map(), known: new Map() });
    expect(days.map((d) => [d.date, d.value.toNumber(), d.flow.toNumber(), d.cash.toNumber()])).toEqual([
      ['2025-03-05', 0, 0, 0],
      ['2025-03-06', 1000, 1000, 800], // 800 + 2 × 100 (no close yet: the day's price)
      ['2025-03-07', 1010, 0, 800], // 800 + 2 × 105
      ['2025-03-10', 1520, 500, 1410], // the Saturday deposit counts at the start of Monday: 1,410 + 1 × 110
    ]);
  });

  it('prefers a known value (a pnl_book snapshot, today’s live value) and converts other currencies', () => {
    const days = rebuildDayValues(history, ['2025-03-06', '2025-03-07'], { closes, rates: new Map([['USD', D('0.5')]]), known: new Map([['2025-03-07', D(999)]]) });
    expect(days.map((d) => d.value.toNumber())).toEqual([500, 999]);
    // Flows at the anchor are part of its value, not a flow into the range.
    expect(days[0]!.flow.toNumber()).toBe(0);
  });

  it('carries a benchmark close forward and uses today’s quote on today', () => {
    const spy = new Map([['2025-03-06', D(500)], ['2025-03-10', D(510)]]);
    expect(closesAt(spy, ['2025-03-05', '2025-03-07', '2025-03-10', '2025-03-11'], { date: '2025-03-11', price: D(512) }).map((c) => c?.toNumber() ?? null)).toEqual([null, 500, 510, 512]);
  });
});
