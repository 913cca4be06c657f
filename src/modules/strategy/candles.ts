import { Decimal } from 'decimal.js';
import type { StockClient } from '../../db/database.js';
import type { BacktestCandle } from './backtest.js';

/** Stored daily candles of the symbols (within [from, to] when given), oldest first, one statement. */
export async function readDailyCandles(db: StockClient, symbols: readonly string[], range?: { from: Date; to: Date }): Promise<Map<string, BacktestCandle[]>> {
  const rows = await db.stockPrice.findMany({
    where: { symbol: { in: [...symbols] }, interval: 'DAY', ...(range ? { ts: { gte: range.from, lte: range.to } } : {}) },
    orderBy: [{ symbol: 'asc' }, { ts: 'asc' }],
    select: { symbol: true, ts: true, open: true, close: true, volume: true },
  });
  const out = new Map<string, BacktestCandle[]>();
  for (const row of rows) {
    const bars = out.get(row.symbol) ?? [];
    bars.push({ ts: row.ts, open: new Decimal(row.open.toString()), close: new Decimal(row.close.toString()), volume: new Decimal(row.volume.toString()) });
    out.set(row.symbol, bars);
  }
  return out;
}
