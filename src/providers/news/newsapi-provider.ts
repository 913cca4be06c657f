import type { Logger } from '../../log.js';
import type { RetryPolicy } from '../http-json.js';
import { conditionalGet, NEWS_RETRY_POLICY } from './conditional-get.js';
import { cleanText, type NewsProvider, type RawArticle, type ValidatorStore } from './news-provider.js';

interface NewsApiArticle {
  source?: { name?: string | null } | null;
  title?: string | null;
  description?: string | null;
  url?: string | null;
  publishedAt?: string | null;
}

/** A NewsAPI `{ status: "ok", articles: [...] }` body into articles; throws with the API's own message on `status: "error"`. */
export function parseNewsApi(body: unknown): RawArticle[] {
  if (!body || typeof body !== 'object') throw new Error('answer is not a JSON object');
  const { status, articles, message, code } = body as { status?: string; articles?: unknown; message?: string; code?: string };
  if (status === 'error') throw new Error(`NewsAPI error ${code ?? ''}: ${message ?? 'no message'}`.trim());
  if (status !== 'ok' || !Array.isArray(articles)) throw new Error('answer has no "articles" list');
  const out: RawArticle[] = [];
  for (const article of articles as NewsApiArticle[]) {
    const title = cleanText(article.title, 500);
    const url = String(article.url ?? '');
    const publishedAt = new Date(String(article.publishedAt ?? ''));
    // NewsAPI marks withdrawn articles this way.
    if (!title || title === '[Removed]' || !/^https?:\/\//i.test(url) || Number.isNaN(publishedAt.getTime())) continue;
    out.push({ title, url, summary: cleanText(article.description, 2_000) || null, publishedAt, source: cleanText(article.source?.name, 100) || new URL(url).hostname });
  }
  return out;
}

/** NEWS_PROVIDER=newsapi: business top headlines (US, English) from NEWS_API_URL with the key in X-Api-Key. */
export class NewsApiProvider implements NewsProvider {
  readonly name = 'newsapi';

  constructor(
    private readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly validators: ValidatorStore,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = NEWS_RETRY_POLICY,
    private readonly sleep?: (ms: number) => Promise<void>,
  ) {}

  async fetch(signal?: AbortSignal): Promise<RawArticle[]> {
    const url = `${this.apiUrl}/top-headlines?category=business&country=us&language=en&pageSize=100`;
    try {
      const result = await conditionalGet(url, {
        provider: 'newsapi',
        policy: this.policy,
        validators: this.validators,
        headers: { accept: 'application/json', 'x-api-key': this.apiKey },
        signal,
        sleep: this.sleep,
      });
      if (result.status === 304) return [];
      if (!('text' in result)) return [];
      let body: unknown;
      try {
        body = JSON.parse(result.text);
      } catch {
        throw new Error(`HTTP ${result.status} with a body that is not JSON`);
      }
      if (result.status !== 200) {
        const message = (body as { message?: string } | null)?.message;
        throw new Error(`HTTP ${result.status}${message ? `: ${message}` : ''}`);
      }
      const articles = parseNewsApi(body);
      await result.commit();
      return articles;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ provider: 'newsapi', reason }, `newsapi headlines skipped: ${reason}`);
      return [];
    }
  }
}
