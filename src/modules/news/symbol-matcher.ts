// Which stocks an article names: by ticker in one of the forms newsrooms write it ($AAPL, (AAPL), NASDAQ: AAPL),
// and by company name as whole words ("Apple" names AAPL, "pineapple" does not). A bare upper-case word is never
// taken for a ticker: T, F, V, ON and IT are words too.

const SUFFIXES = /(?:,|\s)+(?:inc\.?|incorporated|corp\.?|corporation|co\.?|company|plc|ltd\.?|limited|n\.v\.|s\.a\.|se|ag|llc|l\.p\.|and|&)$/i;

/** "Apple Inc." -> "Apple", "The Walt Disney Company" -> "Walt Disney", "Merck & Co., Inc." -> "Merck". */
export function shortCompanyName(name: string): string {
  let short = name.trim().replace(/^the\s+/i, '');
  for (let previous = ''; previous !== short; ) {
    previous = short;
    short = short.replace(SUFFIXES, '').replace(/[\s,]+$/, '');
  }
  return short || name.trim();
}

/** Names that are everyday words as well: only the ticker forms or the full legal name count for these. */
const AMBIGUOUS_NAMES = new Set(['dow', 'shell', 'visa', 'target', 'public storage']);

/** Other names the press uses for a few seeded companies. */
const ALIASES: Record<string, string[]> = {
  GOOGL: ['Google'],
  AMZN: ['Amazon'],
  META: ['Facebook'],
  JPM: ['JPMorgan', 'JP Morgan'],
  F: ['Ford'],
  BRK: ['Berkshire'],
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole words: no letter or digit right before or after (so "Apple's" matches, "Pineapple" does not). */
const words = (phrase: string) => `(?<![\\p{L}\\p{N}])${escape(phrase).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`;

export interface MatchableStock {
  symbol: string;
  name: string;
}

export interface SymbolMatcher {
  /** The symbols named in the text, in the order of the stock list given to the matcher. */
  match(text: string): string[];
  /**
   * Runs every name pattern once, a few at a time with a yield between: V8 compiles a regular expression on its first
   * runs (about 1 ms each, measured), so the first `match` of a fresh process would otherwise hold the event loop for
   * a few hundred milliseconds.
   */
  prepare(): Promise<void>;
}

const TICKER = String.raw`[A-Z][A-Z0-9]{0,5}(?:[.-][A-Z]{1,2})?`;
const EXCHANGES = String.raw`NASDAQ|Nasdaq|NYSE|NYSEARCA|NYSE\s?American|AMEX|LSE|XETRA|EURONEXT|OTC`;
const TICKER_FORMS = new RegExp(
  String.raw`\$(${TICKER})(?![A-Za-z0-9])|\((${TICKER})\)|(?:${EXCHANGES})\s?:\s?(${TICKER})(?![A-Za-z0-9])`,
  'g',
);

export function createSymbolMatcher(stocks: readonly MatchableStock[]): SymbolMatcher {
  const bySymbol = new Map(stocks.map((s) => [s.symbol.toUpperCase(), s.symbol]));
  const order = new Map(stocks.map((s, i) => [s.symbol, i]));
  const names = stocks.flatMap((stock) => {
    const short = shortCompanyName(stock.name);
    const phrases = AMBIGUOUS_NAMES.has(short.toLowerCase()) ? [stock.name.trim()] : [short, ...(ALIASES[stock.symbol.split(/[.-]/)[0]!] ?? [])];
    return phrases.map((phrase) => ({ symbol: stock.symbol, pattern: new RegExp(words(phrase), 'giu') }));
  });

  return {
    match(text) {
      const found = new Set<string>();
      for (const m of text.matchAll(TICKER_FORMS)) {
        const ticker = (m[1] ?? m[2] ?? m[3])!.toUpperCase();
        const symbol = bySymbol.get(ticker) ?? bySymbol.get(ticker.replace('-', '.'));
        if (symbol) found.add(symbol);
      }
      for (const { symbol, pattern } of names) {
        if (found.has(symbol)) continue;
        pattern.lastIndex = 0;
        for (const m of text.matchAll(pattern)) {
          // "apple pie" is not Apple: a name counts only when written with a capital.
          if (m[0] !== m[0].toLowerCase()) {
            found.add(symbol);
            break;
          }
        }
      }
      return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
    },
    async prepare() {
      for (let i = 0; i < names.length; i += 5) {
        // Twice: the first run compiles to bytecode, the second tiers up to native code.
        for (const { pattern } of names.slice(i, i + 5)) for (let k = 0; k < 2; k++) [...'Warm Up warm up'.matchAll(pattern)];
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      [...'Warm $UP (UP) NYSE: UP'.matchAll(TICKER_FORMS)];
    },
  };
}
