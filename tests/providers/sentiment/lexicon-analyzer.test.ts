import { describe, expect, it } from 'vitest';
import { createLexiconAnalyzer, scoreText } from '../../../src/providers/sentiment/lexicon-analyzer.js';

describe('lexicon sentiment analyzer', () => {
  it('scores finance verbs the general lexicon ignores or gets wrong', () => {
    expect(scoreText('Acme shares fall sharply after guidance cut').label).toBe('NEGATIVE');
    expect(scoreText('Acme beats estimates on record revenue').label).toBe('POSITIVE');
    expect(scoreText('Analyst downgrade hits Acme').label).toBe('NEGATIVE');
  });

  it('treats share, gross and crude as neutral finance nouns', () => {
    expect(scoreText('Acme reports gross margin and share count').label).toBe('NEUTRAL');
    expect(scoreText('Crude oil inventories reported for the week').label).toBe('NEUTRAL');
  });

  it('flips a finance term after a negation', () => {
    expect(scoreText('Acme fails to beat estimates').label).toBe('NEGATIVE');
    expect(scoreText('Acme did not miss estimates').score).toBeGreaterThan(0);
  });

  it('makes sharply stronger and slightly weaker than the bare term', () => {
    const bare = scoreText('Acme stock falls').score;
    expect(scoreText('Acme stock falls sharply').score).toBeLessThan(bare);
    expect(scoreText('Acme stock falls slightly').score).toBeGreaterThan(bare);
  });

  it('returns one lexicon score per text in order', async () => {
    const scores = await createLexiconAnalyzer().score(['Acme upgraded', 'Acme bankruptcy filing']);
    expect(scores.map((s) => s.label)).toEqual(['POSITIVE', 'NEGATIVE']);
    expect(scores.every((s) => s.analyzer === 'lexicon')).toBe(true);
  });
});
