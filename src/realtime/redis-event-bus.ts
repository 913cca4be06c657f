import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { TopicHandlers, type EventBus, type EventHandler } from './event-bus.js';

/**
 * Redis pub/sub: an event published by any API process reaches subscribers in
 * all of them. A subscribed connection cannot run other commands, hence the
 * dedicated `subscriber` connection.
 */
export class RedisEventBus implements EventBus {
  readonly kind = 'redis';
  private readonly topics = new TopicHandlers();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, json: string) => {
      if (!channel.startsWith(prefix)) return;
      const topic = channel.slice(prefix.length);
      void this.topics.deliver(topic, json, (err) => logger.error({ err, topic }, 'event handler failed'));
    });
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.publisher.publish(this.prefix + topic, JSON.stringify(payload));
  }

  async subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>> {
    if (this.topics.add(topic, handler)) await this.subscriber.subscribe(this.prefix + topic);
    return async () => {
      if (this.topics.remove(topic, handler)) await this.subscriber.unsubscribe(this.prefix + topic);
    };
  }

  async close(): Promise<void> {
    this.topics.clear();
    this.subscriber.disconnect();
  }
}
