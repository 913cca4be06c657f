import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pushIterator } from './push-iterator.js';
import { sharedSubscribe, type DirectChannel } from './shared-execution.js';

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

  it('writes events to the channel while its consumer waits, and hands it, in order, whatever arrives while it is busy or the channel refuses', async () => {
    const source = pushIterator<object>();
    const frames: string[] = [];
    let refuse = false;
    const channel: DirectChannel = { id: 'x', send: (frame) => !refuse && frames.push(frame) > 0 };
    const iterator = (await sharedSubscribe({ schema, document: parse('subscription { ticks { price } }'), rootValue: { ticks: () => source.iterator } }, channel)) as AsyncIterableIterator<ExecutionResult>;
    const tick = (price: number) => Object.freeze({ ticks: Object.freeze({ symbol: 'A', price }) });
    const price = async (step: Promise<IteratorResult<ExecutionResult>>) => ((await step).value as ExecutionResult<{ ticks: { price: number } }>).data!.ticks.price;

    // Nobody waits yet: queued for the iterator.
    source.push(tick(1));
    expect(await price(iterator.next())).toBe(1);
    // The consumer is busy with 1 (sending it): 2 must follow it through the iterator, not overtake it.
    source.push(tick(2));
    expect(await price(iterator.next())).toBe(2);
    // Now it waits with nothing queued: straight to the channel, exactly as graphql-ws frames them.
    const waiting = iterator.next();
    source.push(tick(3));
    source.push(tick(4));
    expect(frames).toEqual([3, 4].map((p) => JSON.stringify({ id: 'x', type: 'next', payload: { data: { ticks: { price: p } } } })));
    // A refused frame, and what comes after it while the consumer handles it, take the iterator.
    refuse = true;
    source.push(tick(5));
    refuse = false;
    source.push(tick(6));
    expect(await price(waiting)).toBe(5);
    expect(await price(iterator.next())).toBe(6);
    // An event that is not a shared (frozen) object is executed for this subscriber alone, through the iterator.
    const alone = iterator.next();
    source.push({ ticks: { symbol: 'A', price: 7 } });
    expect(await price(alone)).toBe(7);
    expect(frames).toHaveLength(2);

    const ended = iterator.next();
    await iterator.return!();
    source.push(tick(8));
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(frames).toHaveLength(2);
  });
});
