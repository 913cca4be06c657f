import vader from 'vader-sentiment';
import type { SentimentAnalyzer, SentimentLabel, SentimentScore } from './sentiment-analyzer.js';

/** compound >= 0.05 is POSITIVE, <= -0.05 NEGATIVE, otherwise NEUTRAL (VADER's own published thresholds). */
export const POSITIVE_THRESHOLD = 0.05;
export const NEGATIVE_THRESHOLD = -0.05;

/** Finance phrases with a valence on VADER's -4..4 scale. Multi-word phrases are matched before single words. */
export const FINANCE_TERMS: Readonly<Record<string, number>> = {
  'record revenue': 2.5, 'record profit': 2.5, 'raises guidance': 2.5, 'guidance raise': 2.5, 'beats estimates': 2.5,
  beat: 2, beats: 2, upgrade: 2, upgraded: 2, upgrades: 2, outperform: 2, outperforms: 2, rally: 1.8, rallies: 1.8,
  surge: 2, surges: 2, soar: 2.2, soars: 2.2, jump: 1.5, jumps: 1.5, rise: 1, rises: 1, gain: 1.2, gains: 1.2,
  buyback: 1.2, dividend: 0.8, bullish: 2, overweight: 1.5,
  'guidance cut': -2.5, 'cuts guidance': -2.5, 'lowers guidance': -2.5, 'profit warning': -2.5,
  miss: -2, misses: -2, missed: -2, downgrade: -2, downgraded: -2, downgrades: -2, underperform: -2,
  bankruptcy: -3, bankrupt: -3, default: -2, recall: -1.8, recalls: -1.8, layoffs: -2, 'job cuts': -2,
  plunge: -2.2, plunges: -2.2, slump: -2, slumps: -2, tumble: -2, tumbles: -2, fall: -1.2, falls: -1.2,
  drop: -1.2, drops: -1.2, decline: -1.2, declines: -1.2, probe: -1.5, lawsuit: -1.8, fraud: -3, bearish: -2,
  underweight: -1.5, selloff: -2, 'sell-off': -2,
};

/** Words general lexicons score but which are neutral in finance ("share price", "gross margin", "crude oil"). */
export const FINANCE_NEUTRAL = new Set(['share', 'shares', 'gross', 'liability', 'liabilities', 'crude', 'stock', 'interest']);

const NEGATIONS = [['fails', 'to'], ['failed', 'to'], ['not'], ['no'], ['never'], ["didn't"], ["doesn't"], ['without']];
export const INTENSIFIERS: Readonly<Record<string, number>> = {
  sharply: 1.5, strongly: 1.4, steeply: 1.5, significantly: 1.3, massive: 1.4, sharp: 1.5, steep: 1.5,
  slightly: 0.5, modestly: 0.6, marginally: 0.5, slight: 0.5, modest: 0.6,
};
const WINDOW = 3;

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+(?:['-][a-z]+)*/g) ?? [];
}

function negatedAt(tokens: string[], start: number): boolean {
  for (let i = Math.max(0, start - WINDOW); i < start; i++) {
    for (const neg of NEGATIONS) if (neg.every((w, k) => tokens[i + k] === w) && i + neg.length <= start) return true;
  }
  return false;
}

function intensityAt(tokens: string[], start: number, end: number): number {
  let factor = 1;
  for (const i of [start - 2, start - 1, end, end + 1]) {
    const m = tokens[i] !== undefined ? INTENSIFIERS[tokens[i]] : undefined;
    if (m !== undefined) factor *= m;
  }
  return factor;
}

/** Sum of finance-term valences with negation (flip, damped like VADER's 0.74) and intensifiers applied. */
export function financeValence(tokens: string[]): number {
  let sum = 0;
  for (let i = 0; i < tokens.length; ) {
    const two = `${tokens[i]} ${tokens[i + 1] ?? ''}`;
    const len = FINANCE_TERMS[two] !== undefined ? 2 : FINANCE_TERMS[tokens[i]] !== undefined ? 1 : 0;
    if (len === 0) { i++; continue; }
    let v = (len === 2 ? FINANCE_TERMS[two] : FINANCE_TERMS[tokens[i]]) * intensityAt(tokens, i, i + len);
    if (negatedAt(tokens, i)) v *= -0.74;
    sum += v;
    i += len;
  }
  return sum;
}

/** The label of a -1..1 score (also of a mean of scores: Stock.sentiment). */
export function labelOf(score: number): SentimentLabel {
  return score >= POSITIVE_THRESHOLD ? 'POSITIVE' : score <= NEGATIVE_THRESHOLD ? 'NEGATIVE' : 'NEUTRAL';
}

export function scoreText(text: string): SentimentScore {
  const tokens = tokenize(text);
  const general = vader.SentimentIntensityAnalyzer.polarity_scores(tokens.filter((t) => !FINANCE_NEUTRAL.has(t)).join(' ')).compound;
  const f = financeValence(tokens);
  const finance = f / Math.sqrt(f * f + 15); // VADER's normalisation to -1..1
  const score = Math.max(-1, Math.min(1, f === 0 ? general : 0.7 * finance + 0.3 * general));
  return { label: labelOf(score), score, analyzer: 'lexicon' };
}

export function createLexiconAnalyzer(): SentimentAnalyzer {
  return { name: 'lexicon', score: async (texts) => texts.map(scoreText) };
}
