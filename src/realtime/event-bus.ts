export type EventHandler = (payload: unknown) => void;

/**
 * Carries events between the jobs that produce them and the subscriptions that
 * deliver them: in this process, or over Redis pub/sub to every API process.
 * Payloads must be JSON-serialisable; both implementations hand subscribers a
 * parsed copy so that behaviour does not depend on which one runs.
 */
export interface EventBus {
  readonly kind: 'memory' | 'redis';
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
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

  deliver(topic: string, json: string, onError: (error: unknown) => void): void {
    const set = this.handlers.get(topic);
    if (!set) return;
    for (const handler of set) {
      try {
        handler(JSON.parse(json));
      } catch (error) {
        // One failing subscriber must not stop delivery to the others.
        onError(error);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
