import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { natsSubjectOf, NatsTickStream } from '../../../src/modules/market/nats-tick-stream.js';
import { openTickStream } from '../../../src/modules/market/tick-stream.js';
import { Metrics } from '../../../src/observability/metrics.js';
import type { Tick } from '../../../src/providers/market-data-provider.js';
import { testDatabasePrefix } from '../../support/run-id.js';

const natsUrl = process.env.TEST_NATS_URL || undefined;
const tick = (symbol: string, at: string, price: string, volume: number): Tick => ({ symbol, price, volume, timestamp: new Date(at) });

describe.skipIf(!natsUrl)('the NATS JetStream tick stream (needs TEST_NATS_URL)', () => {
  const run = `${testDatabasePrefix()}${process.pid}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const stream = `TICKS_${run}`;
  const subjectPrefix = `ticks_${run}`;
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    const manager = await jetstreamManager(nc);
    await manager.streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  it('creates the stream when absent and stores each tick under ticks.<symbol>, read back by a durable consumer', async () => {
    const metrics = new Metrics();
    const ticks = await openTickStream(
      { mode: 'nats', natsUrl, natsStream: stream, natsSubjectPrefix: subjectPrefix, maxLen: 1000, redisKey: 'unused' },
      { logger: createLogger('silent'), errors: metrics.tickStreamErrors },
    );
    expect(ticks?.kind).toBe('nats');
    await ticks!.append([tick('AAPL', '2025-03-05T14:30:05Z', '190.00', 100), tick('BRK.B', '2025-03-05T14:30:06Z', '480.25', 3)]);
    await ticks!.append([tick('AAPL', '2025-03-05T14:30:20Z', '190.50', 200)]);
    await ticks!.close();

    const manager = await jetstreamManager(nc);
    const info = await manager.streams.info(stream);
    expect(info.config.subjects).toEqual([`${subjectPrefix}.>`]);
    expect(info.config.max_msgs).toBe(1000);
    expect(info.state.messages).toBe(3);

    await manager.consumers.add(stream, { durable_name: 'outside', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    const consumer = await jetstream(nc).consumers.get(stream, 'outside');
    const batch = await consumer.fetch({ max_messages: 3, expires: 2_000 });
    const seen: { subject: string; body: unknown }[] = [];
    for await (const message of batch) {
      seen.push({ subject: message.subject, body: message.json() });
      message.ack();
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([
      { subject: `${subjectPrefix}.AAPL`, body: { symbol: 'AAPL', price: '190.00', volume: 100, ts: '2025-03-05T14:30:05.000Z' } },
      { subject: `${subjectPrefix}.BRK_B`, body: { symbol: 'BRK.B', price: '480.25', volume: 3, ts: '2025-03-05T14:30:06.000Z' } },
      { subject: `${subjectPrefix}.AAPL`, body: { symbol: 'AAPL', price: '190.50', volume: 200, ts: '2025-03-05T14:30:20.000Z' } },
    ]);
    expect((await metrics.tickStreamErrors.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('reuses the stream that exists and counts a publish nobody stores as a failed batch, without throwing', async () => {
    const metrics = new Metrics();
    const failures: unknown[] = [];
    // The stream exists, so it is reused as it is; these subjects lie outside its `<prefix>.>`: no stream answers.
    const options = { url: natsUrl!, stream, subjectPrefix: `${subjectPrefix}_elsewhere`, maxMsgs: 1000 };
    const ticks = await NatsTickStream.connect(options, (error) => { metrics.tickStreamErrors.inc(); failures.push(error); }, createLogger('silent'));
    expect(ticks).not.toBeNull();
    await expect(ticks!.append([tick('AAPL', '2025-03-05T14:31:00Z', '191.00', 1)])).resolves.toBeUndefined();
    await ticks!.close();
    expect(failures).toHaveLength(1);
    expect((await (await jetstreamManager(nc)).streams.info(stream)).state.messages).toBe(3);
    expect((await metrics.tickStreamErrors.get()).values[0]?.value).toBe(1);
    expect(natsSubjectOf('ticks', 'BRK.B')).toBe('ticks.BRK_B');
  });
});
