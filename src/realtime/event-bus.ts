import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export type EventHandler = (payload: unknown) => void;

/**
 * Carries events between the jobs that produce them and the subscriptions that
 * deliver them: in this process, or over Redis pub/sub to every API process.
 * Payloads must be JSON-serialisable. Both implementations hand every
 * subscriber of one event the same parsed, frozen object, so behaviour does
 * not depend on which one runs and per-event work can be shared (see
 * shared-execution.ts).
 */
export interface EventBus {
  readonly kind: 'memory' | 'redis';
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Handlers called between two yields to the event loop. A tick with 10,000
 * subscribers delivered in one synchronous loop blocks every socket and timer
 * for 150-200 ms (measured); in slices, other work runs in between.
 */
export const DELIVERY_SLICE = 100;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Handlers per topic, shared by both implementations. */
export class TopicHandlers {
  private readonly handlers = new Map<string, Set<EventHandler>>();

  /** Adds a handler; true when it is the topic's first. */
  add(topic: string, handler: EventHandler): boolean {
    let set = this.handlers.get(topic);
    const first = !set;
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return first;
  }

  /** Removes a handler; true when the topic has none left. */
  remove(topic: string, handler: EventHandler): boolean {
    const set = this.handlers.get(topic);
    if (!set) return false;
    set.delete(handler);
    if (set.size > 0) return false;
    this.handlers.delete(topic);
    return true;
  }

  /** Topics with at least one handler. */
  list(): string[] {
    return [...this.handlers.keys()];
  }

  count(topic: string): number {
    return this.handlers.get(topic)?.size ?? 0;
  }

  async deliver(topic: string, json: string, onError: (error: unknown) => void): Promise<void> {
    const set = this.handlers.get(topic);
    if (!set) return;
    const payload = deepFreeze(JSON.parse(json) as unknown);
    let sinceYield = 0;
    // A snapshot: handlers added or removed while delivering do not disturb the loop.
    for (const handler of [...set]) {
      try {
        handler(payload);
      } catch (error) {
        // One failing subscriber must not stop delivery to the others.
        onError(error);
      }
      if (++sinceYield === DELIVERY_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
