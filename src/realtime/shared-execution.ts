import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

import { markShared } from './serialize-once.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Per bus event: the result of each distinct (document, variables, viewer) already executed for it. */
const resultsByEvent = new WeakMap<object, Map<string, Result>>();
const printed = new WeakMap<DocumentNode, string>();

function executionKey(args: ExecutionArgs): string {
  let text = printed.get(args.document);
  if (text === undefined) printed.set(args.document, (text = print(args.document)));
  const viewer = (args.contextValue as { viewer?: { accountId: string } | null } | undefined)?.viewer?.accountId ?? '';
  return JSON.stringify([text, args.operationName ?? null, args.variableValues ?? null, viewer]);
}

/** Runs `execute` once per distinct key for a shared event; other subscribers reuse that result. */
function executeShared(args: ExecutionArgs, key: string, event: unknown): Result {
  // Only bus events are shared objects (frozen, one per publish); initial values are per subscriber.
  if (typeof event !== 'object' || event === null || !Object.isFrozen(event)) return execute({ ...args, rootValue: event });
  let perKey = resultsByEvent.get(event);
  if (!perKey) resultsByEvent.set(event, (perKey = new Map()));
  let result = perKey.get(key);
  if (!result) {
    result = Promise.resolve(execute({ ...args, rootValue: event })).then((executed) => {
      if (executed.data && !executed.errors) markShared(executed.data);
      return executed;
    });
    perKey.set(key, result);
  }
  return result;
}

/**
 * graphql-js's `subscribe`, except that one event is executed once per
 * distinct subscription document, variables and viewer, however many sockets
 * subscribed with them: 10,000 dashboards on the same ticker cost one
 * execution per tick, not 10,000. The bus hands every subscriber the same
 * frozen event object, which keys the memo (a WeakMap, so it is freed with
 * the event).
 */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream as AsyncIterableIterator<unknown>;
  const key = executionKey(args);
  // A plain iterator, not an async generator: a generator queues return() behind
  // its pending next(), so an idle subscription would only be cleaned up at the
  // next tick. Here return() reaches the source at once.
  const results: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await source.next();
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await executeShared(args, key, step.value) };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}
