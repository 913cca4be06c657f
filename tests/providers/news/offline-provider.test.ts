import { describe, expect, it } from 'vitest';
import { SEED_STOCKS } from '../../../src/db/seed/stocks.data.js';
import { offlineFreshHeadlines, offlineHeadlines } from '../../../src/providers/news/offline-headlines.js';
import { OfflineNewsProvider } from '../../../src/providers/news/offline-provider.js';

const NOW = new Date('2026-12-02T12:10:00Z');
const DAY_MS = 86_400_000;
const companies = SEED_STOCKS.filter((s) => (s.assetClass ?? 'EQUITY') === 'EQUITY').map((s) => s.symbol);

describe('the offline headlines', () => {
  it('hold a few hundred headlines of the last 30 days, at least three for every seeded company', () => {
    const headlines = offlineHeadlines(NOW);
    expect(headlines.length).toBeGreaterThanOrEqual(300);
    const perSymbol = new Map<string, number>();
    for (const h of headlines) {
      expect(h.publishedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(h.publishedAt.getTime()).toBeGreaterThan(NOW.getTime() - 31 * DAY_MS);
      expect(h.title.length).toBeGreaterThan(20);
      expect(h.summary?.length ?? 0).toBeGreaterThan(20);
      for (const symbol of h.symbols ?? []) perSymbol.set(symbol, (perSymbol.get(symbol) ?? 0) + 1);
    }
    for (const symbol of companies) expect(perSymbol.get(symbol) ?? 0, symbol).toBeGreaterThanOrEqual(3);
    expect(new Set(headlines.map((h) => h.url)).size).toBe(headlines.length);
    // Spread over the month, with recent news for most companies.
    expect(headlines.filter((h) => h.publishedAt.getTime() > NOW.getTime() - 3 * DAY_MS).length).toBeGreaterThanOrEqual(companies.length);
  });

  it('keep the same URLs when loaded again later, so a second ingestion recognises them', () => {
    const later = new Date(NOW.getTime() + 6 * 3_600_000);
    expect(offlineHeadlines(later).map((h) => h.url)).toEqual(offlineHeadlines(NOW).map((h) => h.url));
  });

  it('add two fresh headlines per half hour, the same ones for any moment of that half hour', async () => {
    const a = offlineFreshHeadlines(NOW);
    expect(a).toHaveLength(2);
    expect(offlineFreshHeadlines(new Date(NOW.getTime() + 60_000))).toEqual(a);
    expect(offlineFreshHeadlines(new Date(NOW.getTime() + 30 * 60_000)).map((h) => h.url)).not.toEqual(a.map((h) => h.url));
    const all = await new OfflineNewsProvider(() => NOW).fetch();
    expect(all).toHaveLength(offlineHeadlines(NOW).length + 2);
  });
});
