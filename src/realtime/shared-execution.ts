import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

import { yieldDeliverySoon } from './event-bus.js';
import { setDirectSink } from './push-iterator.js';
import { markShared } from './serialize-once.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** One distinct execution of a bus event: its result, and the `next` payload's JSON once known to be sendable as is. */
interface Shared {
  result: Result;
  /** JSON of the `payload` graphql-ws would send for this result; undefined while pending or when it has errors. */
  payloadJson?: string;
  settled: boolean;
}

/**
 * Where a subscription's `next` frames go when they skip graphql-ws's iterator (see directFrames). The transport
 * owns the socket: it checks that the socket is open and reading, and refuses what it cannot send.
 */
export interface DirectChannel {
  /** The subscription id the client chose, spliced into every frame. */
  readonly id: string;
  /** Writes one complete `next` frame; false when it cannot, and the frame then takes graphql-ws's path. */
  send(frame: string): boolean;
}

/** Per bus event: the result of each distinct (document, variables, viewer) already executed for it. */
const resultsByEvent = new WeakMap<object, Map<string, Shared>>();
const printed = new WeakMap<DocumentNode, string>();

function executionKey(args: ExecutionArgs): string {
  let text = printed.get(args.document);
  if (text === undefined) printed.set(args.document, (text = print(args.document)));
  const viewer = (args.contextValue as { viewer?: { accountId: string } | null } | undefined)?.viewer?.accountId ?? '';
  return JSON.stringify([text, args.operationName ?? null, args.variableValues ?? null, viewer]);
}

/** The `payload` of graphql-ws's `next` message for a result without errors (onNext leaves those unchanged). */
function payloadJsonOf(result: ExecutionResult): string | undefined {
  if (result.errors || !result.data) return undefined;
  const { errors: _errors, ...payload } = result;
  return JSON.stringify(payload);
}

function isSharedEvent(event: unknown): event is object {
  // Only bus events are shared objects (frozen, one per publish); initial values are per subscriber.
  return typeof event === 'object' && event !== null && Object.isFrozen(event);
}

/** Runs `execute` once per distinct key for a shared event; other subscribers reuse that result. */
function executeShared(args: ExecutionArgs, key: string, event: object): Shared {
  let perKey = resultsByEvent.get(event);
  if (!perKey) resultsByEvent.set(event, (perKey = new Map()));
  let shared = perKey.get(key);
  if (!shared) {
    const executed = execute({ ...args, rootValue: event });
    const entry: Shared = { result: executed, settled: !(executed instanceof Promise) };
    if (executed instanceof Promise) {
      entry.result = executed.then((result) => {
        if (result.data && !result.errors) markShared(result.data);
        entry.payloadJson = payloadJsonOf(result);
        entry.settled = true;
        return result;
      });
    } else {
      if (executed.data && !executed.errors) markShared(executed.data);
      entry.payloadJson = payloadJsonOf(executed);
    }
    perKey.set(key, (shared = entry));
  }
  return shared;
}

/**
 * `next` frames for one subscription, built from the shared payload JSON: exactly the bytes graphql-ws sends
 * (JSON.stringify of { id, type, payload } in that key order), with only the id differing per subscriber.
 */
function directFrames(channel: DirectChannel, args: ExecutionArgs, key: string) {
  const prefix = `{"id":${JSON.stringify(channel.id)},"type":"next","payload":`;
  return (event: unknown): boolean => {
    if (!isSharedEvent(event)) return false;
    let shared: Shared;
    try {
      shared = executeShared(args, key, event);
    } catch {
      // execute threw (bad arguments): next() throws it again, and graphql-ws sends the error.
      return false;
    }
    if (shared.payloadJson !== undefined) return channel.send(`${prefix}${shared.payloadJson}}`);
    // Still running: type-graphql resolvers with arguments return promises even when they do no I/O, so the
    // first subscriber of each distinct execution usually lands here. It takes graphql-ws's path, and the
    // delivery yields once so that the execution settles before the next subscriber, who then goes direct.
    if (!shared.settled) yieldDeliverySoon();
    // With errors: graphql-ws's path formats and sends them (onNext), in order.
    return false;
  };
}

/**
 * graphql-js's `subscribe`, except that one event is executed once per
 * distinct subscription document, variables and viewer, however many sockets
 * subscribed with them: 10,000 dashboards on the same ticker cost one
 * execution per tick, not 10,000. The bus hands every subscriber the same
 * frozen event object, which keys the memo (a WeakMap, so it is freed with
 * the event).
 *
 * With a `channel`, bus events skip graphql-ws's per-message path (an async
 * iterator step and an awaited send per subscriber): the bus's delivery loop
 * writes the pre-serialised `next` frame straight to the socket. Only while
 * graphql-ws has sent everything it pulled (the stream is parked), so frames
 * stay in order with the initial values and with anything that takes the
 * iterator (errors, async results); return() still ends the stream at once,
 * and graphql-ws still sends `complete` and `error`.
 */
export async function sharedSubscribe(args: ExecutionArgs, channel?: DirectChannel): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream as AsyncIterableIterator<unknown>;
  const key = executionKey(args);
  if (channel) setDirectSink(source, directFrames(channel, args, key));
  // A plain iterator, not an async generator: a generator queues return() behind
  // its pending next(), so an idle subscription would only be cleaned up at the
  // next tick. Here return() reaches the source at once.
  const results: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await source.next();
      if (step.done) return { done: true, value: undefined };
      const event = step.value;
      if (!isSharedEvent(event)) return { done: false, value: await execute({ ...args, rootValue: event }) };
      return { done: false, value: await executeShared(args, key, event).result };
    },
    async return() {
      setDirectSink(source, undefined);
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}
