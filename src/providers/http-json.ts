// GET a JSON document with a per-attempt timeout and retries (exponential
// backoff with full jitter) on network errors, timeouts, 429 and 5xx. Other
// statuses are returned to the caller, which knows what a 404 means for it.

import { ProviderError } from './market-data-provider.js';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** Backoff before retry n (0-based) is random in [0, min(maxDelayMs, baseDelayMs * 2^n)]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per attempt, covering the response body too. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 8_000, timeoutMs: 10_000 };

export interface JsonResponse {
  status: number;
  /** The parsed body, or null when it was not JSON. */
  body: unknown;
}

export interface GetJsonOptions {
  provider: string;
  symbol?: string;
  policy: RetryPolicy;
  headers?: Record<string, string>;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Seconds or an HTTP date, as Retry-After allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}

/** A URL without its query string, for messages. */
function shortUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export interface FetchWithRetriesOptions {
  provider: string;
  symbol?: string;
  policy: RetryPolicy;
  headers?: Record<string, string>;
  /** Ends the attempts early (with the usual "failed after" error); each attempt also has policy.timeoutMs. */
  signal?: AbortSignal;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * The attempts loop every provider GET shares: a per-attempt timeout, retries with backoff (full jitter, or the
 * server's Retry-After when longer) on network errors, timeouts, 429 and 5xx; the first other answer is returned
 * with its body read, and exhausting the attempts throws a retryable ProviderError naming the last failure.
 */
export async function fetchWithRetries(url: string, options: FetchWithRetriesOptions): Promise<{ response: Response; text: string }> {
  const { policy, provider, symbol } = options;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const subject = symbol ? `${symbol}: ` : '';
  let lastFailure = '';
  let lastStatus: number | undefined;

  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (options.signal?.aborted) break;
    let hint: number | undefined;
    try {
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      const response = await fetch(url, { headers: options.headers, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
      const text = await response.text();
      if (!isRetryableStatus(response.status)) return { response, text };
      lastStatus = response.status;
      lastFailure = `HTTP ${response.status}`;
      hint = retryAfterMs(response.headers.get('retry-after'));
    } catch (error) {
      lastStatus = undefined;
      lastFailure = describe(error, policy.timeoutMs);
    }
    if (attempt < policy.retries) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await sleep(Math.min(policy.maxDelayMs, Math.max(hint ?? 0, random() * ceiling)));
    }
  }
  const attempts = policy.retries + 1;
  throw new ProviderError(provider, `${provider}: ${subject}GET ${shortUrl(url)} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${lastFailure}`, {
    symbol,
    status: lastStatus,
    retryable: true,
  });
}

export async function getJson(url: string, options: GetJsonOptions): Promise<JsonResponse> {
  const { response, text } = await fetchWithRetries(url, { ...options, headers: { accept: 'application/json', ...options.headers } });
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: response.status, body };
}
