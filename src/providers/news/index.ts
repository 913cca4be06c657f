import type { Cache } from '../../cache/cache.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { NewsApiProvider } from './newsapi-provider.js';
import type { NewsProvider, Validators, ValidatorStore } from './news-provider.js';
import { OfflineNewsProvider } from './offline-provider.js';
import { RssNewsProvider } from './rss-provider.js';

export type { NewsProvider, RawArticle } from './news-provider.js';

const VALIDATOR_TTL_SECONDS = 7 * 86_400;

/** Validators in the shared cache, so whichever process runs the next tick sends them. */
export function cacheValidatorStore(cache: Cache): ValidatorStore {
  const key = (url: string) => `news:validators:${url}`;
  return {
    get: (url) => cache.get<Validators>(key(url)),
    set: (url, validators) => cache.set(key(url), validators, VALIDATOR_TTL_SECONDS),
  };
}

export function createNewsProvider(config: Config, logger: Logger, cache: Cache): NewsProvider {
  const { news } = config;
  switch (news.provider) {
    case 'rss':
      return new RssNewsProvider(news.feeds, cacheValidatorStore(cache), logger);
    case 'newsapi':
      return new NewsApiProvider(news.apiUrl, news.apiKey!, cacheValidatorStore(cache), logger);
    default:
      return new OfflineNewsProvider();
  }
}
