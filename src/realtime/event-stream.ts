import type { EventBus } from './event-bus.js';
import { pushIterator } from './push-iterator.js';

export interface EventStreamOptions {
  /** Events queued for a consumer that has not pulled them. @default 1000 */
  maxQueued?: number;
  /** Called once when the queue first overflows: the consumer has stopped keeping up. */
  onOverflow?: () => void;
  /** Called for every event dropped from a full queue. @default none */
  onDrop?: () => void;
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
  { maxQueued = 1000, onOverflow, onDrop }: EventStreamOptions = {},
  /** Only events it accepts are pushed (a topic that carries several kinds, e.g. one per sentiment window). */
  accept: (event: T) => boolean = () => true,
): Promise<AsyncIterableIterator<T>> {
  let unsubscribes: (() => Promise<void>)[] = [];
  const stream = pushIterator<T>({ maxQueued, onOverflow, onDrop, onFinish: () => Promise.all(unsubscribes.map((unsubscribe) => unsubscribe())).then(() => undefined) });
  const push = (event: unknown) => {
    if (accept(event as T)) stream.push(event as T);
  };
  unsubscribes = await Promise.all(topics.map((topic) => bus.subscribe(topic, push)));
  stream.pushFirst(await initial());
  return stream.iterator;
}
