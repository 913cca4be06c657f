export interface PushIteratorOptions {
  /** Values kept for a consumer that has not pulled them; beyond that the oldest are dropped. @default 1000 */
  maxQueued?: number;
  /** Called once when the queue first overflows: the consumer has stopped keeping up. */
  onOverflow?: () => void;
  /** Called for every value dropped because the queue was full (the events-dropped counter). @default none */
  onDrop?: () => void;
  /** Called once when the consumer stops (return, throw) or end() is called: release subscriptions here. */
  onFinish?: () => Promise<void> | void;
}

export interface PushIterator<T> {
  /** The iterator a subscription resolver returns. */
  readonly iterator: AsyncIterableIterator<T>;
  /** Queues a value for the consumer (ignored once finished). */
  push(value: T): void;
  /** Puts values ahead of everything queued (the current state, read after listening began). */
  pushFirst(values: readonly T[]): void;
  /** True once the consumer has stopped. */
  readonly finished: boolean;
}

/**
 * Takes a value straight from push() instead of the queue; false when it cannot (the value is then queued
 * for the iterator as usual). See setDirectSink.
 */
export type DirectSink<T> = (value: T) => boolean;

const sinks = new WeakMap<object, (sink: DirectSink<never> | undefined) => void>();

/**
 * Lets `sink` take the values pushed to `iterator` (a pushIterator's) while its consumer is parked in next() with
 * nothing queued, i.e. once everything pushed before has been pulled and handled: the consumer and the sink then see
 * the values in push order. A value the sink refuses, and every value pushed while the consumer is busy, goes through
 * the iterator. False when `iterator` is not a pushIterator's.
 */
export function setDirectSink<T>(iterator: AsyncIterator<T>, sink: DirectSink<T> | undefined): boolean {
  const set = sinks.get(iterator);
  set?.(sink as DirectSink<never> | undefined);
  return set !== undefined;
}

/**
 * A bounded queue with an async iterator on its far end: the one mechanism every subscription stream is built on
 * (bus events, recomputed values). Oldest values go first when the consumer falls behind, so a stalled consumer
 * cannot grow memory without bound.
 */
export function pushIterator<T>({ maxQueued = 1000, onOverflow, onDrop, onFinish }: PushIteratorOptions = {}): PushIterator<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let overflowed = false;
  let sink: DirectSink<T> | undefined;

  const finish = async (): Promise<IteratorResult<T>> => {
    if (!finished) {
      finished = true;
      wake?.();
      await onFinish?.();
    }
    return { value: undefined, done: true };
  };

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (!finished) {
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
  sinks.set(iterator, (next) => (sink = next as DirectSink<T> | undefined));

  return {
    iterator,
    push(value) {
      if (finished) return;
      // `wake` is set only while the consumer waits in next(); with the queue empty it has handled every earlier value.
      if (sink && wake && queue.length === 0 && sink(value)) return;
      if (queue.length >= maxQueued) {
        queue.shift();
        onDrop?.();
        if (!overflowed) {
          overflowed = true;
          onOverflow?.();
        }
      }
      queue.push(value);
      wake?.();
    },
    pushFirst(values) {
      queue.unshift(...values);
      if (values.length > 0) wake?.();
    },
    get finished() {
      return finished;
    },
  };
}
