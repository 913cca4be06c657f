import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What every log line written while serving one request carries (see createLogger's mixin). */
export interface RequestScope {
  requestId: string;
  /** From a valid W3C `traceparent` header: the trace this request belongs to. */
  traceId?: string;
  /** The caller's span id from `traceparent` (our parent). */
  parentSpanId?: string;
}

/**
 * A caller's id is echoed only when it is short and made of safe characters: it goes into a response header and
 * into every log line, so a newline or a 10 kB value must not get through (log and header injection).
 */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** version-traceid-parentid-flags; all-zero ids are invalid (W3C Trace Context, section 3.2). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function parseTraceparent(header: string | undefined): Pick<RequestScope, 'traceId' | 'parentSpanId'> {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return {};
  return { traceId: match[2], parentSpanId: match[3] };
}

/** A request header's first value (Node joins some repeated headers, others arrive as arrays). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const scopes = new WeakMap<IncomingMessage, RequestScope>();

/** The request's scope, made once: `x-request-id` when the caller sent an acceptable one, else a new UUID. */
export function requestScopeOf(req: IncomingMessage): RequestScope {
  let scope = scopes.get(req);
  if (!scope) {
    const sent = headerOf(req, 'x-request-id');
    scope = { requestId: sent && ACCEPTED_REQUEST_ID.test(sent) ? sent : randomUUID(), ...parseTraceparent(headerOf(req, 'traceparent')) };
    scopes.set(req, scope);
  }
  return scope;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs fn with `scope` as the current request: every log line written inside carries its ids. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
