import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLexiconAnalyzer } from '../../../src/providers/sentiment/lexicon-analyzer.js';
import type { SentimentLabel } from '../../../src/providers/sentiment/sentiment-analyzer.js';

/** ~100 finance headlines labelled by a reader (fixtures/headlines.tsv); written for this test, not for tuning. */
const LABELLED = readFileSync(new URL('./fixtures/headlines.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [label, text] = line.split('\t') as [SentimentLabel, string];
    return { label, text };
  });

const LABELS: SentimentLabel[] = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'];

describe('lexicon analyzer on the labelled headlines', () => {
  it('has a set of about a hundred headlines of every label', () => {
    expect(LABELLED.length).toBeGreaterThanOrEqual(95);
    for (const label of LABELS) expect(LABELLED.filter((h) => h.label === label).length).toBeGreaterThanOrEqual(25);
  });

  it('labels well above chance (accuracy and confusion printed)', async () => {
    const scores = await createLexiconAnalyzer().score(LABELLED.map((h) => h.text));
    const confusion = Object.fromEntries(LABELS.map((truth) => [truth, Object.fromEntries(LABELS.map((got) => [got, 0]))]));
    scores.forEach((score, i) => confusion[LABELLED[i]!.label]![score.label]!++);
    const correct = LABELS.reduce((sum, label) => sum + confusion[label]![label]!, 0);
    const accuracy = correct / LABELLED.length;
    console.log(`lexicon accuracy: ${correct}/${LABELLED.length} = ${(accuracy * 100).toFixed(1)}%`);
    console.table(confusion);
    // A floor well below what it reaches (three labels: chance is about a third), so it catches a broken analyzer only.
    expect(accuracy).toBeGreaterThan(0.5);
    // Negative headlines must not read as positive on the whole (a sign flip would).
    expect(confusion.NEGATIVE!.NEGATIVE!).toBeGreaterThan(confusion.NEGATIVE!.POSITIVE! * 2);
    expect(confusion.POSITIVE!.POSITIVE!).toBeGreaterThan(confusion.POSITIVE!.NEGATIVE! * 2);
  });
});
