import DataLoader from 'dataloader';
import type { Cache } from '../../cache/cache.js';
import type { StockClient } from '../../db/database.js';
import { Prisma } from '../../generated/stock/client.js';
import { sessionWindow, type SessionWindow } from '../market/calendar/session-window.js';
import { averageSessionVolume } from '../stock/session-volume.sql.js';

/** A day and a half: the figure changes once per session, and every process of the session shares it. */
const TTL_SECONDS = 36 * 3600;
const cacheKey = (session: string, symbol: string) => `alerts:average-volume:${session}:${symbol}`;

/**
 * The 20-session average daily volume of symbols (VOLUME_SPIKE compares a tick's session volume with it), loaded
 * once per session: this process's loader, then the shared cache, then one statement for all the symbols missing
 * from both. The same SQL as Stock.averageVolume and the screener (session-volume.sql.ts): complete sessions only.
 */
export class VolumeAverages {
  private session = '';
  private loader?: DataLoader<string, number | null>;
  /** Statements sent to the stock DB so far (tests count them). */
  queries = 0;

  constructor(
    private readonly stockDb: StockClient,
    private readonly cache: Cache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The symbol's average, null when it has no complete session yet. */
  async get(symbol: string): Promise<number | null> {
    const loader = this.currentLoader();
    try {
      return await loader.load(symbol);
    } catch (error) {
      // A failed read is retried on the next tick rather than remembered for the session.
      loader.clear(symbol);
      throw error;
    }
  }

  private currentLoader(): DataLoader<string, number | null> {
    const window = sessionWindow(this.now());
    const session = window.lastSession.toISOString().slice(0, 10);
    if (session !== this.session || !this.loader) {
      this.session = session;
      this.loader = new DataLoader((symbols) => this.load(session, window, symbols));
    }
    return this.loader;
  }

  private async load(session: string, window: SessionWindow, symbols: readonly string[]): Promise<(number | null)[]> {
    const cached = await this.cache.getMany<{ average: number | null }>(symbols.map((symbol) => cacheKey(session, symbol)));
    const missing = symbols.filter((_, i) => cached[i] === undefined);
    const loaded = new Map<string, number | null>();
    if (missing.length > 0) {
      this.queries += 1;
      const rows = await this.stockDb.$queryRaw<{ symbol: string; average_volume: { toString(): string } | null }[]>(Prisma.sql`
        SELECT s.symbol, ${averageSessionVolume(window)} AS average_volume
        FROM unnest(${[...missing]}::varchar[]) AS s(symbol)`);
      for (const row of rows) {
        const average = row.average_volume == null ? null : Number(row.average_volume.toString());
        loaded.set(row.symbol, average);
        await this.cache.set(cacheKey(session, row.symbol), { average }, TTL_SECONDS);
      }
    }
    return symbols.map((symbol, i) => cached[i]?.average ?? loaded.get(symbol) ?? null);
  }
}
