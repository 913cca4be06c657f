import { describe, expect, it } from 'vitest';
import { canonicalUrl, dropDuplicates, jaccard, titleTokens } from './dedupe.js';

describe('news de-duplication', () => {
  it('gives URL variants of one story the same canonical URL', () => {
    const canonical = 'https://news.example.com/markets/apple-beats';
    for (const variant of [
      'https://NEWS.example.com/markets/apple-beats/',
      'https://news.example.com:443/markets/apple-beats#comments',
      'https://news.example.com/markets/apple-beats?utm_source=rss&utm_medium=feed',
      ' https://news.example.com/markets/apple-beats?fbclid=abc ',
    ]) {
      expect(canonicalUrl(variant)).toBe(canonical);
    }
    // Parameters that pick another page are kept, in a stable order.
    expect(canonicalUrl('https://x.example/a?page=2&id=7')).toBe('https://x.example/a?id=7&page=2');
    expect(canonicalUrl('https://x.example/a?id=7')).not.toBe(canonicalUrl('https://x.example/a?id=8'));
  });

  it('scores titles by shared words without stop words or punctuation', () => {
    // {apple, beats, estimates, record, revenue} against {apple, beats, estimates, record, sales}: 4 shared of 6.
    expect(jaccard(titleTokens('Apple beats estimates on record revenue'), titleTokens('Apple Beats Estimates, Record Sales'))).toBeCloseTo(4 / 6);
  });

  it('keeps the first of each story: known URLs, URL variants and near-identical titles of the same day are dropped', () => {
    const day = new Date('2026-12-01T14:00:00Z');
    const story = (title: string, url: string, publishedAt = day) => ({ title, canonicalUrl: canonicalUrl(url), publishedAt });
    const kept = dropDuplicates(
      [
        story('Apple beats estimates on record revenue', 'https://a.example/1'),
        story('Apple beats estimates on record revenue!', 'https://b.example/2'),
        story('Microsoft cuts guidance', 'https://a.example/3?utm_campaign=x'),
        story('Microsoft cuts guidance', 'https://a.example/3'),
        story('Apple beats estimates on record revenue', 'https://c.example/4', new Date('2026-12-02T14:00:00Z')),
        story('Already stored headline here', 'https://known.example/5'),
      ],
      new Set(['https://known.example/5']),
      [],
    );
    expect(kept.map((k) => k.canonicalUrl)).toEqual(['https://a.example/1', 'https://a.example/3', 'https://c.example/4']);
  });

  it('drops a candidate that repeats a stored title of the same day', () => {
    const publishedAt = new Date('2026-12-01T09:00:00Z');
    const kept = dropDuplicates([{ title: 'Tesla recalls 100,000 cars', canonicalUrl: 'https://n.example/t', publishedAt }], new Set(), [
      { title: 'Tesla Recalls 100,000 Cars', publishedAt: new Date('2026-12-01T20:00:00Z') },
    ]);
    expect(kept).toEqual([]);
  });
});
