import { describe, expect, it } from 'vitest';
import { assertTextArguments, findBadText } from './text-input.js';

describe('findBadText', () => {
  it('names the path of the first bad string through input objects and lists', () => {
    const error = findBadText({ name: 'ok', criteria: [{ values: ['a', 'b\u0000'] }] }, ['input']);
    expect(error).toMatchObject({ message: 'input.criteria[0].values[1]: must not contain NUL characters (\\u0000)', extensions: { code: 'BAD_USER_INPUT', field: 'input.criteria[0].values[1]' } });
  });

  it('tells a lone surrogate from a valid pair, at either end of a string', () => {
    expect(findBadText('📈', ['name'])).toBeNull();
    expect(findBadText('\uD83D', ['name'])?.message).toBe('name: must be valid Unicode text (it contains an unpaired UTF-16 surrogate)');
    expect(findBadText('x\uDCA0', ['name'])?.message).toMatch(/unpaired/);
    expect(findBadText('\uDCA0\uD83D', ['name'])?.message).toMatch(/unpaired/);
  });

  it('leaves numbers, booleans, nulls and custom scalar values such as a Date alone', () => {
    expect(findBadText({ at: new Date(0), n: 1, b: true, none: null, list: [1, null] }, ['args'])).toBeNull();
  });
});

describe('assertTextArguments', () => {
  it('throws for the first bad argument and passes good ones', () => {
    expect(() => assertTextArguments({ symbol: 'AAPL', first: 5 })).not.toThrow();
    expect(() => assertTextArguments({ symbol: 'AAPL', after: '\u0000' })).toThrow('after: must not contain NUL characters');
  });
});
