import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { applyTrade, type PositionFigures } from '../../../src/modules/portfolio/position-math.js';

const d = (value: string | number) => new Decimal(value);
const trade = (side: 'BUY' | 'SELL', quantity: number, price: number, commission = 0) => ({
  side,
  quantity: d(quantity),
  price: d(price),
  notional: d(quantity).mul(price).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
  commission: d(commission),
});
const plain = (p: PositionFigures) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, (v as Decimal).toFixed()]));

/** Replays trades from an empty position; the cash they move, for the conservation check. */
function replay(trades: ReturnType<typeof trade>[]) {
  let position: PositionFigures | null = null;
  let cash = d(0);
  for (const t of trades) {
    position = applyTrade(position, t);
    cash = cash.plus(t.side === 'BUY' ? t.notional.negated() : t.notional).minus(t.commission);
  }
  return { position: position!, cash };
}

describe('applyTrade', () => {
  it('averages buys by volume, commissions excluded, and realises sells against that average', () => {
    // Worked by hand: 10 @ 100 and 10 @ 120 average 110; selling 5 @ 130 realises 5 × (130 - 110) = 100.
    const { position } = replay([trade('BUY', 10, 100, 1), trade('BUY', 10, 120, 1), trade('SELL', 5, 130, 1)]);
    expect(plain(position)).toEqual({ quantity: '15', averageCost: '110', costBasis: '1650', realizedPnl: '100', commissionPaid: '3' });
  });

  it('closes a long and opens a short at the trade price when a sell crosses zero', () => {
    // Long 4 @ 50 (cost 200); sell 10 @ 60: 4 close (realise 4 × 10 = 40), 6 open short at 60 (cost basis -360).
    const { position } = replay([trade('BUY', 4, 50), trade('SELL', 10, 60)]);
    expect(plain(position)).toEqual({ quantity: '-6', averageCost: '60', costBasis: '-360', realizedPnl: '40', commissionPaid: '0' });
  });

  it('realises a profit when a short is bought back lower', () => {
    const { position } = replay([trade('SELL', 10, 100), trade('BUY', 4, 80)]);
    expect(plain(position)).toEqual({ quantity: '-6', averageCost: '100', costBasis: '-600', realizedPnl: '80', commissionPaid: '0' });
  });

  it('keeps the average at the fill price for fractional shares whose notional is rounded to the cent', () => {
    const { position } = replay([trade('BUY', 0.123456, 190)]);
    expect(position.averageCost.toFixed()).toBe('190');
    expect(position.costBasis.toFixed()).toBe('23.46');
  });

  it('conserves cash + cost basis + commissions - realised P&L = 0 over any sequence of trades', () => {
    const trades = [
      trade('BUY', 3.333333, 101.07, 0.35),
      trade('BUY', 7, 99.99, 1),
      trade('SELL', 2.5, 103.41, 0.2),
      trade('SELL', 9, 97.13, 1.1),
      trade('BUY', 1.000001, 120.5, 0),
      trade('SELL', 0.833334, 121, 0.01),
    ];
    for (let n = 1; n <= trades.length; n++) {
      const { position, cash } = replay(trades.slice(0, n));
      expect(cash.plus(position.costBasis).plus(position.commissionPaid).minus(position.realizedPnl).toFixed()).toBe('0');
    }
    // Long, then through zero into a short, partly covered, then shorted further.
    expect(replay(trades).position.quantity.toFixed()).toBe('-1');
  });
});
