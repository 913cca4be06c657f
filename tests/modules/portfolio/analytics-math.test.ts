import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { dailyReturns, moneyWeightedReturn, timeWeightedReturn, totalReturn, xirrOf, type DayValue } from '../../../src/modules/portfolio/performance-math.js';
import {
  annualisedVolatility,
  beta,
  correlation,
  historicalVaR95,
  maxDrawdown,
  quantile,
  sharpeRatio,
  sortinoRatio,
} from '../../../src/modules/portfolio/risk-math.js';

const day = (date: string, value: number, flow = 0): DayValue => ({ date, value: new Decimal(value), flow: new Decimal(flow) });

/*
 * The worked portfolio (base USD, no fees):
 *   03-03 anchor: nothing yet                                       V0 = 0
 *   03-04 deposit 10,000 at the start, buy 10 AAPL @ 180 (close 180): 8,200 + 1,800          V1 = 10,000
 *   03-05 AAPL closes 190: 8,200 + 1,900                                                      V2 = 10,100
 *   03-06 buy 5 MSFT @ 400 (cash 6,200); AAPL 185, MSFT 404: 6,200 + 1,850 + 2,020            V3 = 10,070
 *   03-07 withdraw 2,000 at the start (cash 4,200); AAPL 195, MSFT 410: 4,200 + 1,950 + 2,050 V4 = 8,200
 */
const WORKED = [day('2025-03-03', 0), day('2025-03-04', 10_000, 10_000), day('2025-03-05', 10_100), day('2025-03-06', 10_070), day('2025-03-07', 8_200, -2_000)];
// r_t = V_t / (V_{t-1} + F_t) − 1:
//   r1 = 10,000 / (0 + 10,000) − 1 = 0
//   r2 = 10,100 / 10,000 − 1 = 0.01
//   r3 = 10,070 / 10,100 − 1 = −30 / 10,100 = −0.00297029702970…
//   r4 = 8,200 / (10,070 − 2,000) − 1 = 130 / 8,070 = 0.01610904584882…
const R = [0, 0.01, -30 / 10_100, 130 / 8_070];

describe('the worked portfolio: a deposit, two trades, a withdrawal', () => {
  it('has daily returns with each day’s flow invested from the start of the day', () => {
    const returns = dailyReturns(WORKED).map((r) => r.value.toNumber());
    returns.forEach((r, i) => expect(r).toBeCloseTo(R[i]!, 14));
  });

  it('chains them into the time-weighted return', () => {
    // 1 × 1.01 × (10,070 / 10,100) × (8,200 / 8,070) − 1 = 1.007 × 8,200 / 8,070 − 1 = 187.4 / 8,070 = 0.0232218091…
    expect(timeWeightedReturn(WORKED)!.toNumber()).toBeCloseTo(187.4 / 8_070, 14);
  });

  it('has a total return of the gain over the capital put in', () => {
    // gain = 8,200 − 0 − (10,000 − 2,000) = 200; capital = 0 + 10,000; 200 / 10,000 = 0.02
    expect(totalReturn(WORKED)!.toNumber()).toBe(0.02);
  });

  it('has a money-weighted return solving 10,000 (1 + r)^(3/365) = 2,000 + 8,200', () => {
    // Flows: −10,000 on 03-04; +2,000 and +8,200 on 03-07, three days later: r = 1.02^(365/3) − 1 ≈ 10.13 (annualised).
    expect(moneyWeightedReturn(WORKED)!).toBeCloseTo(1.02 ** (365 / 3) - 1, 6);
  });

  it('has volatility, Sharpe and Sortino from the daily returns, annualised by 252', () => {
    // mean m = (0 + 0.01 − 0.0029703 + 0.0161090) / 4; sample variance s² = Σ(r − m)² / 3
    const m = R.reduce((a, b) => a + b) / 4;
    const s = Math.sqrt(R.reduce((a, r) => a + (r - m) ** 2, 0) / 3);
    expect(annualisedVolatility(R)!).toBeCloseTo(s * Math.sqrt(252), 12);
    // risk-free 5 % a year: 0.05 / 252 a day
    const rf = 0.05 / 252;
    expect(sharpeRatio(R, 0.05)!).toBeCloseTo(((m - rf) / s) * Math.sqrt(252), 12);
    // downside: every return is below rf except r2 and r4; d = √((0 − rf)² + (r3 − rf)²) / 4)
    const d = Math.sqrt(((0 - rf) ** 2 + (R[2]! - rf) ** 2) / 4);
    expect(sortinoRatio(R, 0.05)!).toBeCloseTo(((m - rf) / d) * Math.sqrt(252), 12);
  });

  it('has beta and correlation to a benchmark that moved 1 %, 1 %, −1 %, 2 %', () => {
    const b = [0.01, 0.01, -0.01, 0.02];
    // mean b = 0.0075; deviations 0.0025, 0.0025, −0.0175, 0.0125; var b = (2 × 0.0025² + 0.0175² + 0.0125²) / 3 = 0.00015833…
    const mr = R.reduce((a, x) => a + x) / 4;
    const devB = [0.0025, 0.0025, -0.0175, 0.0125];
    const cov = R.reduce((a, r, i) => a + (r - mr) * devB[i]!, 0) / 3;
    const varB = (2 * 0.0025 ** 2 + 0.0175 ** 2 + 0.0125 ** 2) / 3;
    const varR = R.reduce((a, r) => a + (r - mr) ** 2, 0) / 3;
    expect(beta(R, b)!).toBeCloseTo(cov / varB, 12);
    expect(correlation(R, b)!).toBeCloseTo(cov / Math.sqrt(varR * varB), 12);
    expect(beta(R, [0.01, 0.01, 0.01, 0.01])).toBeNull();
  });

  it('has its max drawdown from the 03-05 peak to the 03-06 trough on the time-weighted index', () => {
    // wealth 1, 1, 1.01, 1.007, 1.02322: the only fall is 1.01 → 1.007, i.e. 1.007 / 1.01 − 1 = −0.0029703
    const daily = dailyReturns(WORKED).map((r) => ({ date: r.date, value: r.value.toNumber() }));
    const dd = maxDrawdown('2025-03-03', daily);
    expect(dd.value).toBeCloseTo(1.007 / 1.01 - 1, 12);
    expect(dd).toMatchObject({ from: '2025-03-05', to: '2025-03-06' });
    expect(maxDrawdown('2025-03-03', [{ date: '2025-03-04', value: 0.01 }])).toEqual({ value: 0, from: null, to: null });
  });

  it('has a one-day 95 % historical VaR at the interpolated 5th percentile', () => {
    // sorted: −0.0029703, 0, 0.01, 0.0161090; h = (4 − 1) × 0.05 = 0.15 → −0.0029703 + 0.15 × (0 + 0.0029703) = −0.85 × 0.0029703
    expect(historicalVaR95(R)!).toBeCloseTo(0.85 * (30 / 10_100), 12);
    // in money, on the last value of 8,200: 8,200 × 0.0025248 = 20.70
    expect(historicalVaR95(R)! * 8_200).toBeCloseTo(20.703, 3);
    expect(historicalVaR95([0.01, 0.02])).toBe(0);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});

describe('published examples', () => {
  it('TWR: 100,000 → 112,000, +30,000 → 125,000, −42,000 → 100,000 is 18.78 %', () => {
    // Source: https://www.mathcelebrity.com/intweighttimeinst.htm ("Time Weighted Rate of Interest"):
    // (112,000 / 100,000) × (125,000 / 142,000) × (100,000 / 83,000) − 1 = 18.78 %.
    const days = [day('2024-01-01', 100_000), day('2024-03-01', 112_000), day('2024-08-01', 125_000, 30_000), day('2025-01-01', 100_000, -42_000)];
    expect(timeWeightedReturn(days)!.toNumber()).toBeCloseTo(0.1878, 4);
    expect(timeWeightedReturn(days)!.toNumber()).toBeCloseTo(1.12 * (125 / 142) * (100 / 83) - 1, 14);
  });

  it('XIRR: Microsoft’s Excel XIRR example is 0.373362535', () => {
    // Source: Microsoft Support, "XIRR function" (Excel): −10,000 on 2008-01-01, 2,750 on 2008-03-01,
    // 4,250 on 2008-10-30, 3,250 on 2009-02-15, 2,750 on 2009-04-01 → 0.373362535 (37.34 %).
    const rate = xirrOf([
      { date: '2008-01-01', amount: -10_000 },
      { date: '2008-03-01', amount: 2_750 },
      { date: '2008-10-30', amount: 4_250 },
      { date: '2009-02-15', amount: 3_250 },
      { date: '2009-04-01', amount: 2_750 },
    ]);
    expect(rate!).toBeCloseTo(0.373362535, 8);
  });

  it('has no TWR, total return or XIRR when nothing was ever invested', () => {
    const empty = [day('2025-03-03', 0), day('2025-03-04', 0)];
    expect(timeWeightedReturn(empty)).toBeNull();
    expect(totalReturn(empty)).toBeNull();
    expect(moneyWeightedReturn(empty)).toBeNull();
    expect(xirrOf([{ date: '2025-01-01', amount: 100 }, { date: '2025-02-01', amount: 100 }])).toBeNull();
  });
});
