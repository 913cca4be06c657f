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
 * Milliseconds of delivery between two yields to the event loop. A tick with
 * 10,000 subscribers delivered in one synchronous loop blocks every socket and
 * timer for 150-200 ms (measured); sliced, other work runs in between. By time,
 * not by count: what a handler costs varies (a direct socket write, a queue
 * push), and the lag a slice adds is what must stay bounded.
 */
export const DELIVERY_SLICE_MS = 5;

let yieldRequested = false;

/**
 * Asks the delivery in progress to yield to the event loop after the current handler, before the next
 * (a handler that started work the following handlers can reuse once it settles: a shared execution
 * whose resolvers return promises, see shared-execution.ts).
 */
export function yieldDeliverySoon(): void {
  yieldRequested = true;
}

interface Delivery {
  topic: string;
  json: string;
  onError: (error: unknown) => void;
  done: () => void;
}

/** The event every handler shares; undefined (reported) when the message is not JSON. */
function parseEvent(delivery: Delivery): unknown {
  try {
    return deepFreeze(JSON.parse(delivery.json) as unknown);
  } catch (error) {
    delivery.onError(error);
    return undefined;
  }
}

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
  private readonly pending: Delivery[] = [];
  private draining = false;

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

  /**
   * Calls every handler of `topic` with the parsed, frozen event; resolves once all have been called. Events are
   * delivered one after another, in the order they arrived: a sliced delivery must not let a later event overtake
   * an earlier one for the subscribers it has not reached yet.
   */
  deliver(topic: string, json: string, onError: (error: unknown) => void): Promise<void> {
    return new Promise((done) => {
      this.pending.push({ topic, json, onError, done });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    let sliceStart = performance.now();
    try {
      for (let delivery = this.pending.shift(); delivery; delivery = this.pending.shift()) {
        const set = this.handlers.get(delivery.topic);
        const payload = set ? parseEvent(delivery) : undefined;
        if (set && payload !== undefined) {
          // A snapshot: handlers added or removed while delivering do not disturb the loop.
          for (const handler of [...set]) {
            try {
              handler(payload);
            } catch (error) {
              // One failing subscriber must not stop delivery to the others.
              delivery.onError(error);
            }
            if (yieldRequested || performance.now() - sliceStart >= DELIVERY_SLICE_MS) {
              yieldRequested = false;
              await yieldToEventLoop();
              sliceStart = performance.now();
            }
          }
        }
        delivery.done();
      }
    } finally {
      this.draining = false;
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
