import { offlineFreshHeadlines, offlineHeadlines } from './offline-headlines.js';
import type { NewsProvider, RawArticle } from './news-provider.js';

/** NEWS_PROVIDER=offline (default): the bundled headlines, plus two new ones each half hour. */
export class OfflineNewsProvider implements NewsProvider {
  readonly name = 'offline';
  constructor(private readonly now: () => Date = () => new Date()) {}

  async fetch(): Promise<RawArticle[]> {
    const now = this.now();
    return [...offlineHeadlines(now), ...offlineFreshHeadlines(now)];
  }
}
