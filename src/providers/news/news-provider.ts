/** Headlines as a provider hands them over, before matching, de-duplication and scoring. */
export interface RawArticle {
  title: string;
  url: string;
  /** Publisher or feed name, e.g. "Reuters". */
  source: string;
  summary: string | null;
  publishedAt: Date;
  /** Symbols the provider already knows the article is about (the offline set); matched text adds to them. */
  symbols?: string[];
}

export interface NewsProvider {
  /** offline | rss | newsapi */
  readonly name: string;
  /**
   * What is new since the last call (a feed answering 304 gives nothing). One failing feed is logged and skipped,
   * never thrown, so the others still count; throws only when the provider as a whole cannot work.
   */
  fetch(signal?: AbortSignal): Promise<RawArticle[]>;
}

/** ETag / Last-Modified of the last full answer of a URL, sent back as If-None-Match / If-Modified-Since. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** Where validators live between runs: the shared cache, so another process's run is not refetched in full. */
export interface ValidatorStore {
  get(url: string): Promise<Validators | undefined>;
  set(url: string, validators: Validators): Promise<void>;
}

export function memoryValidatorStore(): ValidatorStore {
  const entries = new Map<string, Validators>();
  return {
    get: async (url) => entries.get(url),
    set: async (url, validators) => void entries.set(url, validators),
  };
}

/** Text squeezed to one line: feeds carry markup and newlines in titles and summaries. */
export function cleanText(value: unknown, max: number): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
