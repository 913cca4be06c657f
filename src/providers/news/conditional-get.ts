// GET a document with a per-attempt timeout, retries with backoff (network errors, timeouts, 429, 5xx) and
// conditional requests: the validators of the last 200 are sent back, and a 304 means "nothing new".

import { DEFAULT_RETRY_POLICY, retryAfterMs, type RetryPolicy } from '../http-json.js';
import { ProviderError } from '../market-data-provider.js';
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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
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
  const { policy, provider } = options;
  const sleep = options.sleep ?? defaultSleep;
  const known = await options.validators.get(url);
  const display = (() => {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  })();
  let lastFailure = '';
  let lastStatus: number | undefined;

  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (options.signal?.aborted) break;
    let hint: number | undefined;
    try {
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(policy.timeoutMs)]) : AbortSignal.timeout(policy.timeoutMs);
      const response = await fetch(url, { headers: { ...options.headers, ...conditionalHeaders(known) }, signal });
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: 304, commit: async () => undefined };
      }
      const text = await response.text();
      if (response.status !== 429 && response.status < 500) {
        const fresh: Validators = {
          etag: response.headers.get('etag') ?? undefined,
          lastModified: response.headers.get('last-modified') ?? undefined,
        };
        const ok = response.status >= 200 && response.status < 300 && (fresh.etag || fresh.lastModified);
        return { status: response.status, text, commit: async () => (ok ? options.validators.set(url, fresh) : undefined) };
      }
      lastStatus = response.status;
      lastFailure = `HTTP ${response.status}`;
      hint = retryAfterMs(response.headers.get('retry-after'));
    } catch (error) {
      lastStatus = undefined;
      lastFailure = describe(error, policy.timeoutMs);
    }
    if (attempt < policy.retries) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await sleep(Math.min(policy.maxDelayMs, Math.max(hint ?? 0, Math.random() * ceiling)));
    }
  }
  const attempts = policy.retries + 1;
  throw new ProviderError(provider, `${provider}: GET ${display} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${lastFailure}`, {
    status: lastStatus,
    retryable: true,
  });
}
