import DataLoader from 'dataloader';
import type { IndicatorService } from './indicator.service.js';
import type { IndicatorPoint } from './indicator.type.js';
import type { IndicatorSeriesArgs } from './indicator.validation.js';
import { recordingReads } from '../../lib/recording-reads.js';

export interface IndicatorLoaders {
  /** Through IndicatorService.latest, the cache seam. */
  latestBySymbol: DataLoader<string, IndicatorPoint | null>;
  /** One loader per distinct argument set, so `indicatorSeries(last: 30)` on 50 stocks is one query. */
  series(args: IndicatorSeriesArgs): DataLoader<string, IndicatorPoint[]>;
}

/** `onRead`: told of every symbol asked for (the response cache records what an answer read). */
export function createIndicatorLoaders(indicators: IndicatorService, onRead?: (symbol: string) => void): IndicatorLoaders {
  const seriesLoaders = new Map<string, DataLoader<string, IndicatorPoint[]>>();
  return {
    latestBySymbol: recordingReads(new DataLoader((symbols) => indicators.latest(symbols)), onRead),
    series(args) {
      const key = JSON.stringify([args.from?.toISOString(), args.to?.toISOString(), args.last]);
      let loader = seriesLoaders.get(key);
      if (!loader) {
        loader = recordingReads(new DataLoader((symbols) => indicators.series(symbols, args)), onRead);
        seriesLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
