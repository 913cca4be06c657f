import { describe, expect, it } from 'vitest';
import { createSymbolMatcher, shortCompanyName } from './symbol-matcher.js';

const matcher = createSymbolMatcher([
  { symbol: 'AAPL', name: 'Apple Inc.' },
  { symbol: 'MSFT', name: 'Microsoft Corporation' },
  { symbol: 'DIS', name: 'The Walt Disney Company' },
  { symbol: 'V', name: 'Visa Inc.' },
  { symbol: 'GOOGL', name: 'Alphabet Inc.' },
]);

describe('the symbol matcher', () => {
  it('shortens legal names to the name the press uses', () => {
    expect(shortCompanyName('Apple Inc.')).toBe('Apple');
    expect(shortCompanyName('The Walt Disney Company')).toBe('Walt Disney');
    expect(shortCompanyName('Merck & Co., Inc.')).toBe('Merck');
  });

  it('matches company names as whole words only: Apple is AAPL, pineapple is nothing', () => {
    expect(matcher.match('Apple unveils a new iPhone')).toEqual(['AAPL']);
    expect(matcher.match('Pineapple prices soar in Hawaii')).toEqual([]);
    expect(matcher.match('Applesauce maker expands')).toEqual([]);
    expect(matcher.match('Walt Disney and Microsoft sign a cloud deal')).toEqual(['MSFT', 'DIS']);
  });

  it('reads the ticker forms newsrooms write, and never a bare upper-case word', () => {
    expect(matcher.match('Shares of $MSFT rose')).toEqual(['MSFT']);
    expect(matcher.match('Alphabet (GOOGL) beats estimates')).toEqual(['GOOGL']);
    expect(matcher.match('NASDAQ: AAPL slips before the open')).toEqual(['AAPL']);
    expect(matcher.match('V is for victory, IT spending rises')).toEqual([]);
  });

  it('takes an ambiguous everyday name only in its full legal form or as a ticker', () => {
    expect(matcher.match('Visa fees rise for travellers')).toEqual([]);
    expect(matcher.match('Visa Inc. reports record payment volume')).toEqual(['V']);
    expect(matcher.match('Card networks: NYSE: V gains')).toEqual(['V']);
  });

  it('knows the names the press uses for a company, such as Google for Alphabet', () => {
    expect(matcher.match('Google faces a new antitrust case')).toEqual(['GOOGL']);
  });
});
