import type { Logger } from '../log.js';
import { backoffDelay, errorText, runHandler, UnknownWorkError, type FailedWork, type JobQueues, type QueueCounts, type QueuedWork, type QueuePolicy, type WorkHandler } from './job-queues.js';
import { QUEUE_NAMES, type QueueName } from './queue-names.js';

interface Entry {
  id: string;
  work: QueuedWork;
  attemptsMade: number;
  error?: string;
  failedAt?: Date;
}

interface Lane {
  waiting: Entry[];
  active: number;
  delayed: Set<NodeJS.Timeout>;
  completed: number;
  failed: Entry[];
}

/** Failed jobs kept for `npm run jobs -- failed`-style listing (the oldest drop out). */
const KEEP_FAILED = 1_000;

/**
 * The embedded default: the same queues, retries, backoff and timeout as on BullMQ, in this
 * process's memory. Nothing survives a restart, as with node-cron before it.
 */
export class InProcessJobQueues implements JobQueues {
  readonly kind = 'in-process';
  private readonly lanes = new Map<QueueName, Lane>(QUEUE_NAMES.map((name) => [name, { waiting: [], active: 0, delayed: new Set(), completed: 0, failed: [] }]));
  private readonly consumed = new Set<QueueName>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  /** dedupeKeys of jobs not yet completed or failed. */
  private readonly pendingKeys = new Set<string>();
  private nextId = 1;

  constructor(
    private readonly handlers: ReadonlyMap<string, WorkHandler>,
    private readonly policy: QueuePolicy,
    private readonly logger: Logger,
  ) {}

  async add(work: readonly QueuedWork[]): Promise<void> {
    if (this.stopping.signal.aborted) return;
    for (const item of work) {
      if (item.dedupeKey !== undefined) {
        if (this.pendingKeys.has(item.dedupeKey)) continue;
        this.pendingKeys.add(item.dedupeKey);
      }
      this.lanes.get(item.queue)!.waiting.push({ id: String(this.nextId++), work: item, attemptsMade: 0 });
    }
    for (const queue of new Set(work.map((item) => item.queue))) this.pump(queue);
  }

  consume(queues: readonly QueueName[]): void {
    for (const queue of queues) {
      this.consumed.add(queue);
      this.pump(queue);
    }
  }

  consuming(): readonly QueueName[] {
    return [...this.consumed];
  }

  async counts(): Promise<QueueCounts[]> {
    return QUEUE_NAMES.map((name) => {
      const lane = this.lanes.get(name)!;
      return { name, waiting: lane.waiting.length, active: lane.active, completed: lane.completed, failed: lane.failed.length, delayed: lane.delayed.size };
    });
  }

  async failed(queue?: QueueName, limit = 100): Promise<FailedWork[]> {
    const lanes = queue ? [queue] : QUEUE_NAMES;
    return lanes
      .flatMap((name) => this.lanes.get(name)!.failed.map((entry) => ({ id: entry.id, queue: name, name: entry.work.name, error: entry.error ?? '', attempts: entry.attemptsMade, failedAt: entry.failedAt ?? null })))
      .slice(-limit)
      .reverse();
  }

  async retry(id: string, queue?: QueueName): Promise<boolean> {
    for (const name of queue ? [queue] : QUEUE_NAMES) {
      const lane = this.lanes.get(name)!;
      const index = lane.failed.findIndex((entry) => entry.id === id);
      if (index < 0) continue;
      const [entry] = lane.failed.splice(index, 1);
      lane.waiting.push({ id: entry!.id, work: entry!.work, attemptsMade: 0 });
      if (entry!.work.dedupeKey !== undefined) this.pendingKeys.add(entry!.work.dedupeKey);
      this.pump(name);
      return true;
    }
    return false;
  }

  async close(graceMs = 10_000): Promise<void> {
    this.stopping.abort();
    this.consumed.clear();
    for (const lane of this.lanes.values()) for (const timer of lane.delayed) clearTimeout(timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  private finished(entry: Entry): void {
    if (entry.work.dedupeKey !== undefined) this.pendingKeys.delete(entry.work.dedupeKey);
  }

  private pump(queue: QueueName): void {
    if (!this.consumed.has(queue)) return;
    const lane = this.lanes.get(queue)!;
    while (lane.active < this.policy.concurrency[queue] && lane.waiting.length > 0) {
      const entry = lane.waiting.shift()!;
      lane.active++;
      const run = this.attempt(lane, entry).finally(() => {
        lane.active--;
        this.running.delete(run);
        this.pump(queue);
      });
      this.running.add(run);
    }
  }

  private async attempt(lane: Lane, entry: Entry): Promise<void> {
    const handler = this.handlers.get(entry.work.name);
    entry.attemptsMade++;
    try {
      if (!handler) throw new UnknownWorkError(`no handler for ${entry.work.name}`);
      await runHandler(handler, entry.work.data, entry.attemptsMade, this.policy.timeoutMs, (more) => this.add(more), this.stopping.signal);
      lane.completed++;
      this.finished(entry);
    } catch (error) {
      entry.error = errorText(error);
      if (handler && entry.attemptsMade < this.policy.attempts && !this.stopping.signal.aborted) {
        const timer = setTimeout(() => {
          lane.delayed.delete(timer);
          lane.waiting.push(entry);
          this.pump(entry.work.queue);
        }, backoffDelay(this.policy.backoffMs, entry.attemptsMade));
        lane.delayed.add(timer);
        return;
      }
      entry.failedAt = new Date();
      this.finished(entry);
      lane.failed.push(entry);
      if (lane.failed.length > KEEP_FAILED) lane.failed.shift();
      this.logger.error({ err: error, queue: entry.work.queue, job: entry.work.name, attempts: entry.attemptsMade }, 'queued job failed for good');
    }
  }
}
