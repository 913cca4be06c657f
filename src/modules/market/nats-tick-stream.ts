// The NATS JetStream adapter of the tick stream: subject `<prefix>.<symbol>` in a stream created (with limits) when
// absent. One publish per tick, all of a batch in flight at once, their acks awaited together.

import { jetstream, jetstreamManager, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../log.js';
import type { Tick } from '../../providers/market-data-provider.js';
import { tickJson, TickStreamBacklogError, type TickStream, type TickStreamFailure } from './tick-stream.js';

export interface NatsTickStreamOptions {
  url: string;
  /** e.g. TICKS_mg */
  stream: string;
  /** e.g. ticks: a tick of AAPL goes to ticks.AAPL */
  subjectPrefix: string;
  /** Messages kept at most; the oldest go first. */
  maxMsgs: number;
  /** Oldest message kept, in days. @default 7 */
  maxAgeDays?: number;
}

/** NATS subjects are dot-separated tokens: a symbol like BRK.B becomes BRK_B. */
export function natsSubjectOf(prefix: string, symbol: string): string {
  return `${prefix}.${symbol.replace(/[.\s*>]/g, '_')}`;
}

/** Stream names allow no dots, spaces, `*`, `>` or slashes. */
export function natsStreamName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

export async function ensureTickStream(nc: NatsConnection, options: NatsTickStreamOptions): Promise<void> {
  const manager = await jetstreamManager(nc);
  const config = {
    name: options.stream,
    subjects: [`${options.subjectPrefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_msgs: options.maxMsgs,
    max_age: (options.maxAgeDays ?? 7) * 86_400 * 1e9,
  };
  try {
    await manager.streams.info(options.stream);
  } catch {
    await manager.streams.add(config);
  }
}

export class NatsTickStream implements TickStream {
  readonly kind = 'nats';
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly options: NatsTickStreamOptions,
    private readonly onFailure: TickStreamFailure,
  ) {}

  static async connect(options: NatsTickStreamOptions, onFailure: TickStreamFailure, logger: Logger): Promise<NatsTickStream | null> {
    try {
      const nc = await connect({ servers: options.url, name: 'marketgraph-ticks', reconnect: true, maxReconnectAttempts: -1 });
      await ensureTickStream(nc, options);
      return new NatsTickStream(nc, jetstream(nc), options, onFailure);
    } catch (error) {
      onFailure(error, 0);
      logger.warn({ err: error, url: options.url }, 'cannot reach NATS JetStream: the tick stream is off');
      return null;
    }
  }

  async append(ticks: readonly Tick[]): Promise<void> {
    if (ticks.length === 0) return;
    const acks = ticks.map((tick) => this.js.publish(natsSubjectOf(this.options.subjectPrefix, tick.symbol), tickJson(tick), { timeout: 2_000 }));
    const results = await Promise.allSettled(acks);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) this.onFailure(failed[0]!.reason, failed.length);
  }

  dropped(ticks: number): void {
    this.onFailure(new TickStreamBacklogError('the tick stream is too far behind: batch dropped'), ticks);
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }
}
