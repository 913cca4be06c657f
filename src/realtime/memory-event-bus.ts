import type { Logger } from '../log.js';
import { TopicHandlers, type EventBus, type EventHandler } from './event-bus.js';

/** The embedded default: events reach subscribers of this process only. */
export class MemoryEventBus implements EventBus {
  readonly kind = 'memory';
  private readonly topics = new TopicHandlers();

  constructor(private readonly logger: Logger) {}

  async publish(topic: string, payload: unknown): Promise<void> {
    const json = JSON.stringify(payload);
    // Delivered on a later tick, like Redis: a publisher never runs subscriber code inline.
    setImmediate(() => void this.topics.deliver(topic, json, (err) => this.logger.error({ err, topic }, 'event handler failed')));
  }

  async subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>> {
    this.topics.add(topic, handler);
    return async () => {
      this.topics.remove(topic, handler);
    };
  }

  async close(): Promise<void> {
    this.topics.clear();
  }
}
