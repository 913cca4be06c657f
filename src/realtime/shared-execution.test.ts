import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { sharedSubscribe } from './shared-execution.js';

const schema = buildSchema(`type Tick { symbol: String! price: Float! } type Query { ok: Boolean } type Subscription { ticks: Tick! }`);

/** A field resolver that counts how often `price` is resolved, i.e. how often an event is executed. */
function countingResolver(calls: { count: number }) {
  return (source: any, _args: unknown, _ctx: unknown, info: { fieldName: string }) => {
    if (info.fieldName === 'price') calls.count += 1;
    return source[info.fieldName];
  };
}

async function collect(iterator: AsyncIterableIterator<ExecutionResult> | ExecutionResult): Promise<ExecutionResult[]> {
  const out: ExecutionResult[] = [];
  for await (const result of iterator as AsyncIterableIterator<ExecutionResult>) out.push(result);
  return out;
}

describe('sharedSubscribe', () => {
  it('executes a shared event once for many subscribers of the same document and variables', async () => {
    const events = [Object.freeze({ ticks: Object.freeze({ symbol: 'AAPL', price: 1 }) }), Object.freeze({ ticks: Object.freeze({ symbol: 'AAPL', price: 2 }) })];
    const calls = { count: 0 };
    const document = parse('subscription { ticks { symbol price } }');
    const subscribers = Array.from({ length: 50 }, () =>
      sharedSubscribe({ schema, document, rootValue: { ticks: async function* () { yield* events; } }, fieldResolver: countingResolver(calls) }),
    );
    const results = await Promise.all(subscribers.map(async (s) => collect(await s)));
    expect(results.every((r) => JSON.stringify(r) === JSON.stringify(results[0]))).toBe(true);
    expect(results[0]!.map((r) => r.data)).toEqual([{ ticks: { symbol: 'AAPL', price: 1 } }, { ticks: { symbol: 'AAPL', price: 2 } }]);
    // 2 events x 1 distinct document, not 2 x 50.
    expect(calls.count).toBe(2);
  });

  it('executes separately for different documents, and for events that are not shared objects', async () => {
    const shared = Object.freeze({ ticks: Object.freeze({ symbol: 'MSFT', price: 3 }) });
    const calls = { count: 0 };
    const fieldResolver = countingResolver(calls);
    const run = (text: string, event: object) =>
      sharedSubscribe({ schema, document: parse(text), rootValue: { ticks: async function* () { yield event; } }, fieldResolver }).then(collect);
    await Promise.all([run('subscription { ticks { price } }', shared), run('subscription { ticks { price symbol } }', shared)]);
    expect(calls.count).toBe(2);
    await Promise.all([run('subscription { ticks { price } }', { ticks: { symbol: 'X', price: 1 } }), run('subscription { ticks { price } }', { ticks: { symbol: 'X', price: 1 } })]);
    expect(calls.count).toBe(4);
  });

  it('passes return() straight to the source, even while it waits for an event', async () => {
    let cleanedUp = false;
    const source: AsyncIterableIterator<unknown> = {
      next: () => new Promise(() => undefined),
      return: async () => ((cleanedUp = true), { done: true, value: undefined }),
      [Symbol.asyncIterator]: () => source,
    };
    const iterator = (await sharedSubscribe({ schema, document: parse('subscription { ticks { price } }'), rootValue: { ticks: () => source } })) as AsyncIterableIterator<ExecutionResult>;
    void iterator.next();
    await iterator.return!();
    expect(cleanedUp).toBe(true);
  });
});
