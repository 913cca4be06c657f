// De-duplication of incoming articles: the same story reached through URL variants (tracking parameters,
// fragments, host case, trailing slash) or republished under a near-identical headline on the same day.

/** Lower-case scheme and host, no default port, no fragment, no utm_* (or click-id) parameters, no trailing slash. */
export function canonicalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  parsed.hash = '';
  const kept = [...parsed.searchParams.entries()].filter(([key]) => !/^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$)/i.test(key));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  const path = parsed.pathname.replace(/\/+$/, '');
  // URL already lower-cases scheme and host and drops the default port.
  return `${parsed.protocol}//${parsed.host}${path}${query ? `?${query}` : ''}`;
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'and', 'as', 'at', 'by', 'is', 'its', 'with']);

/** Lower-cased words without punctuation or stop words. */
export function titleTokens(title: string): Set<string> {
  const tokens = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}$]+/u)
    .filter((t) => t && !STOP_WORDS.has(t));
  return new Set(tokens);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Two titles whose word sets overlap this much (Jaccard) on the same UTC day are one story. */
export const NEAR_DUPLICATE_JACCARD = 0.8;

export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

export interface DedupeCandidate {
  canonicalUrl: string;
  title: string;
  publishedAt: Date;
}

/**
 * Keeps the first of each story: drops candidates whose canonical URL is in `knownUrls` or seen earlier in the
 * batch, or whose title is near-identical to a known or earlier title of the same UTC day.
 */
export function dropDuplicates<T extends DedupeCandidate>(
  candidates: readonly T[],
  knownUrls: ReadonlySet<string>,
  knownTitles: readonly { title: string; publishedAt: Date }[],
): T[] {
  const urls = new Set(knownUrls);
  const titlesByDay = new Map<string, Set<string>[]>();
  const remember = (title: string, day: string) => {
    const list = titlesByDay.get(day) ?? [];
    list.push(titleTokens(title));
    titlesByDay.set(day, list);
  };
  for (const known of knownTitles) remember(known.title, utcDay(known.publishedAt));
  const kept: T[] = [];
  for (const candidate of candidates) {
    if (urls.has(candidate.canonicalUrl)) continue;
    const day = utcDay(candidate.publishedAt);
    const tokens = titleTokens(candidate.title);
    if ((titlesByDay.get(day) ?? []).some((other) => jaccard(tokens, other) >= NEAR_DUPLICATE_JACCARD)) continue;
    urls.add(candidate.canonicalUrl);
    remember(candidate.title, day);
    kept.push(candidate);
  }
  return kept;
}
