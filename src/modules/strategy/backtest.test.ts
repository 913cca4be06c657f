import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { OrderConfig } from '../../config.js';
import { maxDrawdown, runBacktest, sharpeRatio, type BacktestCandle } from './backtest.js';
import { buyQuantity } from './sizing.js';
import { followModelSignal, followModelSignals, indicatorSignals } from './strategy-signals.js';

// No margin, no slippage, the whole bar's volume available, and a flat 1.00 commission per order
// (per-share rate 0, minimum 1), so every number below can be followed by hand.
const config: OrderConfig = {
  marketMargin: 0,
  tickParticipation: 1,
  slippage: { baseBps: 0, impactBps: 0, maxBps: 0 },
  commission: { mode: 'per_share', perShare: 0, bps: 0, minimum: 1 },
};

const day = (n: number) => new Date(Date.UTC(2026, 0, 5 + n, 21));
const bars = (rows: [number, number][]): BacktestCandle[] =>
  rows.map(([open, close], n) => ({ ts: day(n), open: new Decimal(open), close: new Decimal(close), volume: new Decimal(1000) }));

describe('strategy signals', () => {
  it('fires an SMA crossover on the bar the fast average crosses the slow one, once per crossing', () => {
    // fast SMA(1) = the close; slow SMA(2) = mean of two closes. Closes 10, 9, 11, 13, 12, 11:
    // bar 2: fast 9 <= slow 9.5 on bar 1, fast 11 > slow 10 on bar 2 -> BUY (golden cross)
    // bar 3: still above (13 > 12): no new signal
    // bar 4: fast 13 >= slow 12 on bar 3, fast 12 < slow 12.5 -> SELL (death cross)
    // bar 5: 11 < 11.5 but it was below already: nothing
    expect(indicatorSignals({ kind: 'SMA_CROSSOVER', fastPeriod: 1, slowPeriod: 2 }, [10, 9, 11, 13, 12, 11])).toEqual([null, null, 'BUY', null, 'SELL', null]);
  });

  it('fires RSI mean reversion when the RSI first falls below the lower band and first rises above the upper one', () => {
    // RSI(2), Wilder: changes -1, -1 seed gain 0 / loss 1 -> RSI 0 at bar 2 (first value, nothing before it to cross from).
    // bar 3 change +4: gain (0+4)/2 = 2, loss (1+0)/2 = 0.5 -> RSI 80: crosses above 70 -> SELL.
    // bar 4 change -6: gain 1, loss 3.25 -> RSI 23.5: crosses below 30 -> BUY.
    expect(indicatorSignals({ kind: 'RSI_MEAN_REVERSION', period: 2, lower: 30, upper: 70 }, [10, 9, 8, 12, 6])).toEqual([null, null, null, 'SELL', 'BUY']);
  });

  it('follows a model only above its confidence: UP buys, DOWN sells, FLAT does nothing', () => {
    const params = { kind: 'FOLLOW_MODEL' as const, modelId: 'm', minConfidence: 0.6 };
    const asOf = day(0);
    expect(followModelSignal(params, { direction: 'UP', confidence: 0.7, asOf })).toBe('BUY');
    expect(followModelSignal(params, { direction: 'DOWN', confidence: 0.6, asOf })).toBe('SELL');
    expect(followModelSignal(params, { direction: 'UP', confidence: 0.59, asOf })).toBeNull();
    expect(followModelSignal(params, { direction: 'FLAT', confidence: 0.9, asOf })).toBeNull();
    expect(followModelSignal(params, null)).toBeNull();
  });

  it('follows, on every bar, the latest prediction made from closes up to that bar and none made later', () => {
    const params = { kind: 'FOLLOW_MODEL' as const, modelId: 'm', minConfidence: 0.6 };
    const history = [
      { direction: 'UP' as const, confidence: 0.9, asOf: day(1) },
      { direction: 'UP' as const, confidence: 0.2, asOf: day(3) },
      { direction: 'DOWN' as const, confidence: 0.7, asOf: day(4) },
    ];
    expect(followModelSignals(params, [day(0), day(1), day(2), day(3), day(4), day(5)], history)).toEqual([null, 'BUY', 'BUY', null, 'SELL', 'SELL']);
    expect(followModelSignals(params, [day(0), day(1)], [])).toEqual([null, null]);
  });

  it('sizes a percent-of-cash buy in whole shares including the market margin', () => {
    // 50 % of 1000 = 500; per share 30 × 1.02 = 30.6; 500 / 30.6 = 16.34 -> 16
    expect(buyQuantity({ mode: 'PERCENT_OF_CASH', percent: 50 }, new Decimal(1000), new Decimal(30), 0.02).toFixed()).toBe('16');
    expect(buyQuantity({ mode: 'FIXED_QUANTITY', quantity: 7 }, new Decimal(0), new Decimal(30), 0.02).toFixed()).toBe('7');
  });
});

describe('backtest', () => {
  it('replays a hand-computed SMA crossover: trades at the next open, equity, return, Sharpe and drawdown', () => {
    // (open, close): d0 10/10, d1 10/9, d2 9/11, d3 12/13, d4 13/12, d5 11/11; 10 shares a buy, 1000 cash.
    // d2 close: BUY signal (see above); reservation 10 × 11 + 1 = 111 <= 1000.
    // d3 open 12: buy 10 @ 12, commission 1 -> cash 1000 − 120 − 1 = 879.
    // d4 close: SELL signal, sells the 10 held. d5 open 11: sell 10 @ 11, commission 1 -> cash 879 + 110 − 1 = 988.
    // Equity at the closes: 1000, 1000, 1000, 879 + 130 = 1009, 879 + 120 = 999, 988.
    // Return 988 / 1000 − 1 = −0.012.
    // Daily returns 0, 0, 0.009, 999/1009 − 1 = −0.0099108, 988/999 − 1 = −0.0110110;
    // mean −0.00238436, sample sd 0.00824682 -> Sharpe −0.00238436 / 0.00824682 × √252 = −4.58972.
    // Drawdown: peak 1009, trough 988 -> 21 / 1009 = 0.0208127.
    const result = runBacktest({
      params: { kind: 'SMA_CROSSOVER', fastPeriod: 1, slowPeriod: 2 },
      sizing: { mode: 'FIXED_QUANTITY', quantity: 10 },
      candles: new Map([['AAA', bars([[10, 10], [10, 9], [9, 11], [12, 13], [13, 12], [11, 11]])]]),
      initialCash: new Decimal(1000),
      currency: 'USD',
      config,
      riskFreeRate: 0,
    });
    expect(result.trades.map((t) => [t.side, t.quantity.toFixed(), t.price.toFixed(), t.commission.toFixed(), t.signalAt, t.executedAt])).toEqual([
      ['BUY', '10', '12', '1', day(2), day(3)],
      ['SELL', '10', '11', '1', day(4), day(5)],
    ]);
    expect(result.equity.map((p) => p.value.toFixed())).toEqual(['1000', '1000', '1000', '1009', '999', '988']);
    expect(result.totalReturn.toFixed()).toBe('-0.012');
    expect(result.sharpe).toBeCloseTo(-4.58972, 4);
    expect(result.maxDrawdown).toBeCloseTo(21 / 1009, 10);
  });

  it('places nothing for a buy the cash cannot reserve, as the paper path would refuse it', () => {
    const result = runBacktest({
      params: { kind: 'SMA_CROSSOVER', fastPeriod: 1, slowPeriod: 2 },
      sizing: { mode: 'FIXED_QUANTITY', quantity: 10 },
      candles: new Map([['AAA', bars([[10, 10], [10, 9], [9, 11], [12, 13]])]]),
      initialCash: new Decimal(110), // needs 111
      currency: 'USD',
      config,
      riskFreeRate: 0,
    });
    expect(result.trades).toEqual([]);
    expect(result.totalReturn.toFixed()).toBe('0');
    expect(result.sharpe).toBeNull();
  });

  it('subtracts the daily risk-free rate in the Sharpe ratio and measures drawdown from the running peak', () => {
    // Values 100, 110, 99, 108.9: returns 0.1, −0.1, 0.1; with rf 25.2 % a year, 0.001 a day:
    // excess 0.099, −0.101, 0.099; mean 0.0323333; sample sd 0.1154701 -> × √252 = 4.4451.
    expect(sharpeRatio([100, 110, 99, 108.9], 0.252)).toBeCloseTo((0.0323333333 / 0.1154700538) * Math.sqrt(252), 3);
    expect(maxDrawdown([100, 110, 99, 108.9])).toBeCloseTo(0.1, 10);
  });
});
