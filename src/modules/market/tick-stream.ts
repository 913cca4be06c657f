// Every stored tick, appended to a durable stream for consumers outside this API (TICK_STREAM): a Redis Stream
// read with consumer groups, or a NATS JetStream stream. Appending never slows or breaks ingestion: one batch per
// ingest batch, failures counted and logged, never thrown.

import type { RedisClient } from '../../redis.js';
import type { Logger } from '../../log.js';
import type { Tick } from '../../providers/market-data-provider.js';

export interface TickStream {
  readonly kind: 'redis' | 'nats';
  /** Appends one ingest batch; resolves when it is stored (or failed, counted and logged); never rejects. */
  append(ticks: readonly Tick[]): Promise<void>;
  /** A batch left out because the stream is too far behind: counted and logged like a failure. */
  dropped(ticks: number): void;
  close(): Promise<void>;
}

export class TickStreamBacklogError extends Error {
  override name = 'TickStreamBacklogError';
}

/** Told of each failed batch (the metrics counter and the log). */
export type TickStreamFailure = (error: unknown, ticks: number) => void;

export interface TickStreamConfig {
  mode: 'off' | 'redis' | 'nats';
  /** Redis: `${REDIS_KEY_PREFIX}ticks`. */
  redisKey: string;
  /** Redis: XADD … MAXLEN ~ maxLen; NATS: the stream's max_msgs. */
  maxLen: number;
  natsUrl?: string;
  /** NATS: stream `TICKS_<name>` holding subjects `ticks.>`. */
  natsStream: string;
  natsSubjectPrefix: string;
}

/** The fields of one stream entry (all text): symbol, price (decimal text), volume, ts (ISO 8601). */
export function tickFields(tick: Tick): string[] {
  return ['symbol', tick.symbol, 'price', tick.price, 'volume', String(tick.volume), 'ts', tick.timestamp.toISOString()];
}

export function tickJson(tick: Tick): string {
  return JSON.stringify({ symbol: tick.symbol, price: tick.price, volume: tick.volume, ts: tick.timestamp.toISOString() });
}

/** A Redis Stream: one pipeline of XADD … MAXLEN ~ N per batch (one round trip). */
export class RedisTickStream implements TickStream {
  readonly kind = 'redis';
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly maxLen: number,
    private readonly onFailure: TickStreamFailure,
  ) {}

  async append(ticks: readonly Tick[]): Promise<void> {
    if (ticks.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const tick of ticks) pipeline.xadd(this.key, 'MAXLEN', '~', this.maxLen, '*', ...tickFields(tick));
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      this.onFailure(error, ticks.length);
    }
  }

  dropped(ticks: number): void {
    this.onFailure(new TickStreamBacklogError('the tick stream is too far behind: batch dropped'), ticks);
  }

  async close(): Promise<void> {
    // The Redis connection belongs to the app.
  }
}

/** At shutdown: lets the appends under way finish, for at most `graceMs`, then closes the stream. */
export async function drainTickStream(idle: Promise<void>, stream: TickStream, graceMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  await stream.close();
}

/** Opens the configured stream, or null when TICK_STREAM=off (or redis is asked for without a Redis connection). */
export async function openTickStream(
  config: TickStreamConfig,
  deps: { redis?: RedisClient; logger: Logger; errors?: { inc(value?: number): void } },
): Promise<TickStream | null> {
  const onFailure: TickStreamFailure = (error, ticks) => {
    deps.errors?.inc();
    deps.logger.warn({ err: error, ticks, stream: config.mode }, 'could not append ticks to the tick stream; ingestion goes on');
  };
  if (config.mode === 'redis') {
    if (!deps.redis) {
      deps.logger.warn('TICK_STREAM=redis needs REDIS_URL: the tick stream is off');
      return null;
    }
    return new RedisTickStream(deps.redis, config.redisKey, config.maxLen, onFailure);
  }
  if (config.mode === 'nats') {
    if (!config.natsUrl) {
      deps.logger.warn('TICK_STREAM=nats needs NATS_URL: the tick stream is off');
      return null;
    }
    const { NatsTickStream } = await import('./nats-tick-stream.js');
    return NatsTickStream.connect({ url: config.natsUrl, stream: config.natsStream, subjectPrefix: config.natsSubjectPrefix, maxMsgs: config.maxLen }, onFailure, deps.logger);
  }
  return null;
}
