import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which browser origins may call the API: any, or an explicit list. */
export type CorsPolicy = { anyOrigin: true } | { anyOrigin: false; origins: ReadonlySet<string> };

// Apollo Client's client-awareness headers and W3C trace context are sent by browsers too; a header missing here fails the preflight.
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'apollographql-client-name',
  'apollographql-client-version',
  'traceparent',
  'tracestate',
].join(', ');

/**
 * Sets CORS headers for the request's origin when the policy allows it.
 * Answers preflight requests itself; returns true when the response is done.
 */
export function applyCors(policy: CorsPolicy, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && (policy.anyOrigin || policy.origins.has(origin));
  if (allowed) {
    res.setHeader('access-control-allow-origin', policy.anyOrigin ? '*' : origin);
    if (!policy.anyOrigin) res.setHeader('vary', 'Origin');
    // Without this a browser app cannot read the id to show next to an error (operators search the log by it).
    res.setHeader('access-control-expose-headers', 'x-request-id');
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', '600');
  }
  res.writeHead(204).end();
  return true;
}

/** `*` allows any origin; otherwise a comma-separated list of exact origins. */
export function parseCorsOrigins(value: string): CorsPolicy {
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  if (origins.includes('*')) return { anyOrigin: true };
  return { anyOrigin: false, origins: new Set(origins) };
}
