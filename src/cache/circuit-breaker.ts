export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * After `threshold` consecutive failures the breaker opens: callers skip the
 * dependency at once for `openMs`. Then one call is let through as a probe;
 * its success closes the breaker, its failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  /** Calls actually attempted against the dependency (tests count them). */
  attempts = 0;

  constructor(
    private readonly threshold = 3,
    private readonly openMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.failures < this.threshold) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half-open' : 'open';
  }

  /** Runs fn unless the breaker is open (or a probe is already out); then returns fallback() without waiting. */
  async run<T>(fn: () => Promise<T>, fallback: (error?: unknown) => T): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) return fallback();
    if (state === 'half-open') this.probing = true;
    this.attempts += 1;
    try {
      const value = await fn();
      this.failures = 0;
      return value;
    } catch (error) {
      this.failures += 1;
      if (this.failures >= this.threshold) this.openedAt = this.now();
      return fallback(error);
    } finally {
      if (state === 'half-open') this.probing = false;
    }
  }
}
