// Reads the tick stream (TICK_STREAM=nats) through a durable JetStream consumer: it remembers what was acked, so a
// restart carries on where it stopped. A subject filter picks symbols: ticks.AAPL, or ticks.> for all.
//
//   npx tsx examples/tick-consumer/nats-consumer.ts [durable] [subject]
//   NATS_URL=nats://127.0.0.1:4222 TICK_STREAM_NAME=TICKS_mg npx tsx examples/tick-consumer/nats-consumer.ts analytics 'ticks.>'
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
const stream = process.env.TICK_STREAM_NAME ?? 'TICKS_mg';
const durable = process.argv[2] ?? 'tick-consumer';
const subject = process.argv[3] ?? 'ticks.>';

const manager = await jetstreamManager(nc);
await manager.consumers.info(stream, durable).catch(() =>
  manager.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New, filter_subject: subject }),
);
const consumer = await jetstream(nc).consumers.get(stream, durable);
const messages = await consumer.consume({ max_messages: 100 });
process.once('SIGINT', () => void messages.close());
for await (const message of messages) {
  const tick = message.json<{ symbol: string; price: string; volume: number; ts: string }>();
  console.log(`${tick.ts} ${tick.symbol} ${tick.price} x${tick.volume}`);
  message.ack();
}
await nc.drain();
