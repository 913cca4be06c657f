// The offline default's headlines: written for this project from templates and the seed's companies, so a fresh
// install has a month of plausible news (dated relative to the moment they are loaded) with no network. Every
// article is fictional; the URLs point at a domain of our own that serves nothing.

import { hash3, hashString } from '../../db/seed/random.js';
import { SEED_STOCKS } from '../../db/seed/stocks.data.js';
import { shortCompanyName } from '../../modules/news/symbol-matcher.js';
import type { RawArticle } from './news-provider.js';

type Template = readonly [title: string, summary: string];

// {n}: the company's short name, {s}: its ticker, {x}: its exchange, {i}: its industry.
const POSITIVE: readonly Template[] = [
  ['{n} beats quarterly estimates as revenue climbs ({s})', '{n} reported earnings ahead of analyst expectations, helped by strong demand in {i}.'],
  ['{n} raises full-year outlook after strong quarter', 'Management lifted guidance, citing record orders and improving margins.'],
  ['{n} shares jump after upbeat guidance, {x}: {s}', 'Investors cheered a brighter forecast and a larger buyback programme.'],
  ['Analysts upgrade {n} to buy on improving growth', 'Two brokers upgraded the stock, pointing to solid momentum and a healthy balance sheet.'],
  ['{n} announces $5 billion share buyback and dividend increase', 'The board approved a new repurchase authorisation and raised the quarterly dividend.'],
  ['{n} wins major contract, boosting its {i} backlog', 'The multi-year agreement is expected to add to revenue from next year.'],
  ['$' + '{s} rallies as {n} posts record sales', 'Sales hit an all-time high on strong demand across regions.'],
  ['{n} unveils new products, analysts see a growth catalyst', 'The launch event impressed analysts, several of whom raised their price targets.'],
];

const NEGATIVE: readonly Template[] = [
  ['{n} misses profit forecasts; shares slide ({s})', 'Earnings fell short of expectations as costs rose and demand weakened.'],
  ['{n} cuts guidance, warns of weaker demand', 'The company lowered its outlook, blaming a slowdown in {i}.'],
  ['Regulators open probe into {n} practices', 'Authorities said they are investigating the company; {n} said it will cooperate.'],
  ['{n} to lay off staff in restructuring, {x}: {s}', 'The cost-cutting plan will eliminate jobs and close several sites.'],
  ['Analysts downgrade {n} on valuation and slowing growth', 'A downgrade to sell weighed on the shares amid concerns about margins.'],
  ['$' + '{s} falls after {n} reports a quarterly loss', 'The loss was wider than expected, hurt by write-downs and weak sales.'],
  ['{n} faces lawsuit over product defects', 'Plaintiffs seek damages; the company denies wrongdoing.'],
  ['{n} shares drop as outlook disappoints investors', 'Guidance below consensus sent the stock lower in early trading.'],
];

const NEUTRAL: readonly Template[] = [
  ['{n} to present at industry conference next week ({s})', 'Executives are scheduled to speak about strategy in {i}.'],
  ['{n} names new chief financial officer', 'The appointment takes effect next month; the outgoing CFO will stay on as an adviser.'],
  ['{n} schedules quarterly earnings call', 'The company will publish results before the market opens and host a call afterwards.'],
  ['What to watch for {n} ({s}) this week', 'A look at the events and data that could move the shares in the days ahead.'],
  ['{n} completes previously announced reorganisation, {x}: {s}', 'The company said the new reporting structure takes effect this quarter.'],
  ['{n} holds annual shareholder meeting', 'Shareholders voted on the board and on several routine proposals.'],
];

const SOURCES = ['Market Wire', 'The Daily Ledger', 'Street Signal', 'Capital Courier', 'Ticker Times', 'Finance Desk'] as const;
const HOUR_MS = 3_600_000;
const SEED = hashString('offline-news');

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

interface Company {
  symbol: string;
  name: string;
  exchange: string;
  industry: string;
}

const COMPANIES: readonly Company[] = SEED_STOCKS.filter((s) => (s.assetClass ?? 'EQUITY') === 'EQUITY').map((s) => ({
  symbol: s.symbol,
  name: shortCompanyName(s.name),
  exchange: s.exchange,
  industry: s.industry.toLowerCase(),
}));

function render(template: Template, company: Company): { title: string; summary: string } {
  const fill = (text: string) =>
    text.replaceAll('{n}', company.name).replaceAll('{s}', company.symbol).replaceAll('{x}', company.exchange).replaceAll('{i}', company.industry);
  return { title: fill(template[0]), summary: fill(template[1]) };
}

function pick<T>(list: readonly T[], h: number): T {
  return list[h % list.length]!;
}

function article(company: Company, key: number, publishedAt: Date, idPart: string): RawArticle {
  const h = hash3(SEED ^ hashString(company.symbol), key);
  // Tone leans by company, so summaries differ between symbols: 40% positive, 35% negative, 25% neutral overall.
  const lean = hashString(company.symbol) % 20;
  const roll = (h >>> 8) % 20;
  const tone = roll < 6 + (lean % 5) ? POSITIVE : roll < 15 ? NEGATIVE : NEUTRAL;
  const { title, summary } = render(pick(tone, h >>> 3), company);
  const source = pick(SOURCES, h >>> 13);
  return {
    title,
    summary,
    source,
    publishedAt,
    url: `https://news.marketgraph.invalid/${slug(source)}/${idPart}/${slug(title)}`,
    symbols: [company.symbol],
  };
}

/**
 * The bundled month: three headlines per seeded company (one within the last three days, one within ten, one within
 * thirty), about 340 in all, dated back from `now`.
 */
export function offlineHeadlines(now: Date): RawArticle[] {
  const out: RawArticle[] = [];
  const spans = [72, 240, 720];
  for (const company of COMPANIES) {
    spans.forEach((span, k) => {
      const h = hash3(SEED ^ hashString(company.symbol), 1_000 + k);
      const ageMs = ((h % (span * 60)) + 5) * 60_000;
      out.push(article(company, k, new Date(now.getTime() - ageMs), `${company.symbol.toLowerCase()}-${k}`));
    });
  }
  return out;
}

/** Two fresh headlines per half hour (a pure function of the half hour), so the offline install keeps getting news. */
export function offlineFreshHeadlines(now: Date): RawArticle[] {
  const bucket = Math.floor(now.getTime() / (HOUR_MS / 2));
  return [0, 1].map((i) => {
    const company = pick(COMPANIES, hash3(SEED, bucket, 7 + i));
    return article(company, bucket * 2 + i, new Date(bucket * (HOUR_MS / 2)), `${company.symbol.toLowerCase()}-b${bucket}-${i}`);
  });
}
