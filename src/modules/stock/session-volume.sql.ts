// Volumes of complete New York sessions, as SQL scalar expressions over a stock aliased `s`:
// shared by Stock.averageVolume (stock.loaders.ts) and the screener (screener.sql.ts), so the
// two always agree.

import { Prisma } from '../../generated/stock/client.js';
import { AVERAGE_VOLUME_SESSIONS, type SessionWindow } from '../market/calendar/session-window.js';

function dayCandles(window: SessionWindow, bounded: boolean): Prisma.Sql {
  const lower = bounded ? Prisma.sql` AND p.ts > ${window.after}` : Prisma.empty;
  return Prisma.sql`FROM stock_price p
      WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval${lower} AND p.ts <= ${window.lastSession}
      ORDER BY p.ts DESC`;
}

/**
 * The volume of the latest DAY candle on or before the last complete session. The first subquery
 * looks only inside the window, so PostgreSQL prunes the month partitions; the second, unbounded,
 * runs only for a stock with nothing in the window (COALESCE evaluates it only when needed).
 */
export function sessionVolume(window: SessionWindow): Prisma.Sql {
  return Prisma.sql`COALESCE(
    (SELECT p.volume ${dayCandles(window, true)} LIMIT 1),
    (SELECT p.volume ${dayCandles(window, false)} LIMIT 1))`;
}

/** Mean volume of the latest 20 DAY candles on or before the last complete session; the window first, as above. */
export function averageSessionVolume(window: SessionWindow): Prisma.Sql {
  return Prisma.sql`COALESCE(
    (SELECT avg(v.volume) FROM (SELECT p.volume ${dayCandles(window, true)} LIMIT ${AVERAGE_VOLUME_SESSIONS}) v
      HAVING count(*) = ${AVERAGE_VOLUME_SESSIONS}),
    (SELECT avg(v.volume) FROM (SELECT p.volume ${dayCandles(window, false)} LIMIT ${AVERAGE_VOLUME_SESSIONS}) v))`;
}
