// GET a document with a per-attempt timeout, retries with backoff (network errors, timeouts, 429, 5xx) and
// conditional requests: the validators of the last 200 are sent back, and a 304 means "nothing new".

import { DEFAULT_RETRY_POLICY, fetchWithRetries, type RetryPolicy } from '../http-json.js';
import type { Validators, ValidatorStore } from './news-provider.js';

export const NEWS_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries: 2, timeoutMs: 10_000 };

export type ConditionalResult = { status: 304 } | { status: number; text: string };

export interface ConditionalGetOptions {
  provider: string;
  policy: RetryPolicy;
  validators: ValidatorStore;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
}

function conditionalHeaders(validators: Validators | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

/** Validators are stored only after the body was read in full (and the caller parses it: see `commit`). */
export async function conditionalGet(
  url: string,
  options: ConditionalGetOptions,
): Promise<ConditionalResult & { commit(): Promise<void> }> {
  const known = await options.validators.get(url);
  const { response, text } = await fetchWithRetries(url, { ...options, headers: { ...options.headers, ...conditionalHeaders(known) } });
  if (response.status === 304) return { status: 304, commit: async () => undefined };
  const fresh: Validators = {
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
  };
  const ok = response.status >= 200 && response.status < 300 && (fresh.etag || fresh.lastModified);
  return { status: response.status, text, commit: async () => (ok ? options.validators.set(url, fresh) : undefined) };
}
