import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Logger } from '../../log.js';
import type { RetryPolicy } from '../http-json.js';
import { conditionalGet, NEWS_RETRY_POLICY } from './conditional-get.js';
import { cleanText, type NewsProvider, type RawArticle, type ValidatorStore } from './news-provider.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
  processEntities: true,
  htmlEntities: true,
});

export class FeedFormatError extends Error {
  override name = 'FeedFormatError';
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const textOf = (value: unknown): string => {
  if (value && typeof value === 'object') return textOf((value as Record<string, unknown>)['#text']);
  return value === undefined || value === null ? '' : String(value);
};

function dateOf(...values: unknown[]): Date | null {
  for (const value of values) {
    const text = textOf(value).trim();
    if (!text) continue;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return null;
}

/** The `href` of an Atom entry's alternate link (or its first link). */
function atomLink(links: unknown): string {
  const list = asArray(links as Record<string, unknown> | Record<string, unknown>[]);
  const alternate = list.find((l) => typeof l === 'object' && (l['@rel'] === undefined || l['@rel'] === 'alternate')) ?? list[0];
  if (!alternate) return '';
  return typeof alternate === 'object' ? String(alternate['@href'] ?? textOf(alternate)) : String(alternate);
}

/** RSS 2.0 (`rss > channel > item`) or Atom (`feed > entry`) into articles; entries without title, link or date are left out. */
export function parseFeed(xml: string, feedUrl: string): RawArticle[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new FeedFormatError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  const doc = parser.parse(xml) as Record<string, any>;
  const fallbackSource = new URL(feedUrl).hostname;
  const articles: RawArticle[] = [];
  const push = (title: string, url: string, summary: string, publishedAt: Date | null, source: string) => {
    const cleanTitle = cleanText(title, 500);
    const link = url.trim();
    if (!cleanTitle || !/^https?:\/\//i.test(link) || !publishedAt) return;
    articles.push({ title: cleanTitle, url: link, summary: cleanText(summary, 2_000) || null, publishedAt, source: cleanText(source, 100) || fallbackSource });
  };
  if (doc.rss?.channel) {
    const channel = asArray(doc.rss.channel)[0] as Record<string, any>;
    const source = textOf(channel.title);
    for (const item of asArray(channel.item) as Record<string, any>[]) {
      const link = asArray(item.link).map(textOf)[0] ?? textOf(item.guid);
      push(textOf(item.title), link, textOf(item.description), dateOf(item.pubDate, item['dc:date']), textOf(item.source) || source);
    }
  } else if (doc.feed) {
    const source = textOf(doc.feed.title);
    for (const entry of asArray(doc.feed.entry) as Record<string, any>[]) {
      push(textOf(entry.title), atomLink(entry.link), textOf(entry.summary ?? entry.content), dateOf(entry.published, entry.updated), source);
    }
  } else {
    throw new FeedFormatError('neither an RSS 2.0 <rss><channel> nor an Atom <feed> document');
  }
  return articles;
}

/** NEWS_PROVIDER=rss: every NEWS_FEEDS URL, conditionally, one after another. */
export class RssNewsProvider implements NewsProvider {
  readonly name = 'rss';

  constructor(
    private readonly feeds: readonly string[],
    private readonly validators: ValidatorStore,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = NEWS_RETRY_POLICY,
    private readonly sleep?: (ms: number) => Promise<void>,
  ) {}

  async fetch(signal?: AbortSignal): Promise<RawArticle[]> {
    const articles: RawArticle[] = [];
    for (const feed of this.feeds) {
      if (signal?.aborted) break;
      try {
        const result = await conditionalGet(feed, {
          provider: 'rss',
          policy: this.policy,
          validators: this.validators,
          headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8' },
          signal,
          sleep: this.sleep,
        });
        if (result.status === 304) {
          this.logger.debug({ feed }, 'news feed not modified');
          continue;
        }
        if (!('text' in result) || result.status !== 200) {
          this.logger.error({ feed, status: result.status }, `news feed ${feed} answered HTTP ${result.status}; skipped`);
          continue;
        }
        const parsed = parseFeed(result.text, feed);
        await result.commit();
        articles.push(...parsed);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.error({ feed, reason }, `news feed ${feed} skipped: ${reason}`);
      }
    }
    return articles;
  }
}
