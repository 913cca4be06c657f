import type { Logger } from '../log.js';
import { isCluster, type RedisClient } from '../redis.js';
import { TopicHandlers, type EventBus, type EventHandler } from './event-bus.js';

/** The current value of a topic, sent to its local subscribers after the bus reconnects (undefined: nothing to send). */
export type ResyncSource = (topic: string) => Promise<unknown>;

/**
 * Redis pub/sub: an event published by any API process reaches subscribers in
 * all of them. A subscribed connection cannot run other commands, hence the
 * dedicated `subscriber` connection. On a Cluster, sharded pub/sub: SPUBLISH
 * goes to the master owning the channel's slot and only that master forwards it
 * (classic PUBLISH is broadcast over the cluster bus to every node); the
 * subscriber is a Cluster with `shardedSubscribers`, one connection per master.
 */
export class RedisEventBus implements EventBus {
  readonly kind = 'redis';
  private readonly topics = new TopicHandlers();
  private connected = true;
  private resyncSource: ResyncSource | undefined;
  /** Times the subscriber connection came back after losing Redis. */
  reconnects = 0;
  /** SPUBLISH/SSUBSCRIBE (a Cluster) instead of PUBLISH/SUBSCRIBE. */
  readonly sharded: boolean;

  constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly logger: Logger,
    private readonly prefix: string,
  ) {
    this.sharded = isCluster(subscriber);
    if (this.sharded !== isCluster(publisher)) throw new Error('the event bus needs both connections on the same Redis topology');
    subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, json: string) => {
      if (!channel.startsWith(prefix)) return;
      const topic = channel.slice(prefix.length);
      void this.topics.deliver(topic, json, (err) => logger.error({ err, topic }, 'event handler failed'));
    });
    // ioredis reconnects with the capped backoff of connectRedis and re-subscribes every channel;
    // events published meanwhile are lost, so each subscriber gets the current value again.
    // On a Cluster a master's subscriber connection can drop while the cluster stays up: its group re-subscribes
    // that master's channels and says so with `subscribersReady`.
    subscriber.on(this.sharded ? '-subscriber' : 'close', () => {
      if (this.connected) logger.warn('event bus lost Redis; reconnecting');
      this.connected = false;
    });
    subscriber.on(this.sharded ? 'subscribersReady' : 'ready', () => {
      if (this.connected) return;
      this.connected = true;
      this.reconnects += 1;
      logger.info({ topics: this.topics.list().length }, 'event bus reconnected to Redis; resyncing subscribers');
      void this.resync();
    });
  }

  /** Whether the subscriber connection is up (for /readyz). */
  get isConnected(): boolean {
    return this.connected && this.subscriber.status === 'ready';
  }

  /** Where the current value of a topic comes from after a reconnect (the app wires the quote cache). */
  onResync(source: ResyncSource): void {
    this.resyncSource = source;
  }

  private async resync(): Promise<void> {
    const source = this.resyncSource;
    if (!source) return;
    for (const topic of this.topics.list()) {
      try {
        const payload = await source(topic);
        if (payload !== undefined) await this.topics.deliver(topic, JSON.stringify(payload), (err) => this.logger.error({ err, topic }, 'event handler failed'));
      } catch (err) {
        this.logger.warn({ err, topic }, 'resync of a topic failed');
      }
    }
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    const channel = this.prefix + topic;
    const json = JSON.stringify(payload);
    await (this.sharded ? this.publisher.spublish(channel, json) : this.publisher.publish(channel, json));
  }

  async subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>> {
    const channel = this.prefix + topic;
    if (this.topics.add(topic, handler)) await (this.sharded ? this.subscriber.ssubscribe(channel) : this.subscriber.subscribe(channel));
    return async () => {
      if (this.topics.remove(topic, handler)) await (this.sharded ? this.subscriber.sunsubscribe(channel) : this.subscriber.unsubscribe(channel));
    };
  }

  async close(): Promise<void> {
    this.topics.clear();
    this.subscriber.disconnect();
  }
}
