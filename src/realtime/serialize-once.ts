/**
 * Serialises the data of a shared subscription result once, however many
 * sockets it goes to. graphql-ws builds each `next` message with
 * JSON.stringify(message, jsonMessageReplacer) and hands the string straight to
 * the socket's send, synchronously. The replacer swaps a shared `data` object
 * for a placeholder and remembers its JSON (computed once per object); the
 * socket's send, wrapped by wrapSocketSend, splices the JSON back in. Node 20
 * has no JSON.rawJSON to do this inside one stringify.
 */
const shared = new WeakSet<object>();
const serialized = new WeakMap<object, string>();
const PLACEHOLDER = '\u0000marketgraph:shared-data\u0000';
const QUOTED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);
let pending: string | undefined;

/** Marks a result's `data` as the same for every subscriber (see shared-execution.ts). */
export function markShared(data: object): void {
  shared.add(data);
}

export function jsonMessageReplacer(key: string, value: unknown): unknown {
  if (key !== 'data' || typeof value !== 'object' || value === null || !shared.has(value)) return value;
  let json = serialized.get(value);
  if (json === undefined) serialized.set(value, (json = JSON.stringify(value)));
  pending = json;
  return PLACEHOLDER;
}

/** The message as the client must receive it, with the shared JSON spliced in. */
export function expandSharedData(message: string): string {
  if (pending === undefined) return message;
  const json = pending;
  pending = undefined;
  // The last occurrence: the payload follows the client-chosen id, which could mimic the placeholder.
  const at = message.lastIndexOf(QUOTED_PLACEHOLDER);
  return at < 0 ? message : message.slice(0, at) + json + message.slice(at + QUOTED_PLACEHOLDER.length);
}

/** Routes every string a socket sends through expandSharedData. */
export function wrapSocketSend(socket: { send: (data: never, ...rest: never[]) => void }): void {
  const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
  socket.send = ((data: unknown, ...rest: unknown[]) => send(typeof data === 'string' ? expandSharedData(data) : data, ...rest)) as typeof socket.send;
}
