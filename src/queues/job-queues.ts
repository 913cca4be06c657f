import type { QueueName } from './queue-names.js';

/** One unit of queued work: `name` picks the handler, `data` must survive JSON (dates as ISO strings). */
export interface QueuedWork<T = unknown> {
  queue: QueueName;
  name: string;
  data: T;
  /**
   * While a job with this key is waiting, delayed or running, adding another is a no-op: a slow
   * consumer sees one pending refresh per key, not a pile of ticks (what "skip while the previous
   * run is going" did under node-cron).
   */
  dedupeKey?: string;
}

export interface WorkContext {
  /** Aborted when the job's timeout passes or the consumer closes. */
  signal: AbortSignal;
  /** 1 on the first attempt. */
  attempt: number;
  /** Follow-up work (e.g. order matching after an ingest): queued, or run at once on the inline path. */
  enqueue(work: readonly QueuedWork[]): Promise<void>;
}

export interface WorkHandler<T = any> {
  name: string;
  queue: QueueName;
  run(data: T, context: WorkContext): Promise<unknown>;
}

export interface QueueCounts {
  name: QueueName;
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

export interface FailedWork {
  id: string;
  queue: QueueName;
  name: string;
  error: string;
  attempts: number;
  failedAt: Date | null;
}

export interface QueuePolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Exponential backoff: attempt n+1 waits backoffMs × 2^(n-1). */
  backoffMs: number;
  /** A run that takes longer fails (and is retried); its signal is aborted. */
  timeoutMs: number;
  concurrency: Record<QueueName, number>;
}

/**
 * Named queues: BullMQ on Redis (any number of processes consume them) or in this
 * process without Redis. The same handlers run either way.
 */
export interface JobQueues {
  readonly kind: 'bullmq' | 'in-process';
  add(work: readonly QueuedWork[]): Promise<void>;
  /** Starts taking jobs of these queues (a worker started with --queues takes only those). */
  consume(queues: readonly QueueName[]): void;
  /** The queues this process consumes. */
  consuming(): readonly QueueName[];
  counts(): Promise<QueueCounts[]>;
  failed(queue?: QueueName, limit?: number): Promise<FailedWork[]>;
  /** Moves a failed job back to waiting; false when no failed job has that id. */
  retry(id: string, queue?: QueueName): Promise<boolean>;
  /** Stops consuming (running jobs get graceMs to finish, their signals aborted) and disconnects. */
  close(graceMs?: number): Promise<void>;
}

export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

export class UnknownWorkError extends Error {
  override name = 'UnknownWorkError';
}

/** Runs one handler under the job timeout; the handler's signal is aborted when the time is up or `outer` aborts. */
export async function runHandler(handler: WorkHandler, data: unknown, attempt: number, timeoutMs: number, enqueue: WorkContext['enqueue'], outer?: AbortSignal): Promise<unknown> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  outer?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before the abort: a handler that returns as soon as it is aborted must not count as a success.
      reject(new JobTimeoutError(`${handler.queue}/${handler.name} took longer than ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([handler.run(data, { signal: controller.signal, attempt, enqueue }), timedOut]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}

export function handlerMap(handlers: readonly WorkHandler[]): Map<string, WorkHandler> {
  const map = new Map<string, WorkHandler>();
  for (const handler of handlers) {
    if (map.has(handler.name)) throw new Error(`two queue handlers are named ${handler.name}`);
    map.set(handler.name, handler);
  }
  return map;
}

/** Exponential backoff before attempt `attemptsMade + 1`, as BullMQ computes it. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round(2 ** (attemptsMade - 1) * backoffMs);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}
