import type { EventBus } from './event-bus.js';

export interface EventStreamOptions {
  /** Events queued for a consumer that has not pulled them. @default 1000 */
  maxQueued?: number;
  /** Called once when the queue first overflows: the consumer has stopped keeping up. */
  onOverflow?: () => void;
}

/**
 * An async iterator over `initial` values and then every event published on
 * `topics`, for a GraphQL subscription resolver. Subscribes before yielding
 * anything, so no event between "read the current value" and "listen" is lost.
 * Events a consumer has not pulled yet are queued up to `maxQueued`; beyond
 * that the oldest are dropped (a price stream only cares about the latest), so
 * a stalled consumer cannot grow memory without bound, and `onOverflow` lets
 * the transport close it.
 */
export async function eventStream<T>(
  bus: EventBus,
  topics: readonly string[],
  initial: () => Promise<readonly T[]>,
  { maxQueued = 1000, onOverflow }: EventStreamOptions = {},
): Promise<AsyncIterableIterator<T>> {
  let overflowed = false;
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const unsubscribes = await Promise.all(
    topics.map((topic) =>
      bus.subscribe(topic, (event) => {
        if (done) return;
        if (queue.length >= maxQueued) {
          queue.shift();
          if (!overflowed) {
            overflowed = true;
            onOverflow?.();
          }
        }
        queue.push(event as T);
        wake?.();
      }),
    ),
  );
  queue.unshift(...(await initial()));

  const finish = async (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      wake?.();
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
    }
    return { value: undefined, done: true };
  };

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (!done) {
        if (queue.length > 0) return { value: queue.shift()!, done: false };
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return { value: undefined, done: true };
    },
    return: finish,
    async throw(error: unknown): Promise<IteratorResult<T>> {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
