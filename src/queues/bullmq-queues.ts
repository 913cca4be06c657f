import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import type { RedisTopology } from '../config.js';
import { openRedisClient, type RedisClient } from '../redis.js';
import type { Logger } from '../log.js';
import { errorText, runHandler, UnknownWorkError, type FailedWork, type JobQueues, type QueueCounts, type QueuedWork, type QueuePolicy, type WorkHandler } from './job-queues.js';
import { QUEUE_NAMES, type QueueName } from './queue-names.js';

export interface BullQueueOptions {
  /** The app's Redis (single node, Sentinel or Cluster). */
  redis: RedisTopology;
  /** A hash tag such as `{mg:queues}` (queuePrefixFor): every key of every queue in one Redis Cluster slot. */
  prefix: string;
  policy: QueuePolicy;
  logger: Logger;
}

/** BullMQ's blocking commands must wait as long as they need: no per-request retry limit, no command timeout. */
const connect = (topology: RedisTopology, name: string) => openRedisClient(topology, name, { blocking: true });

/**
 * The queues on Redis: any number of API and worker processes share them, each job is taken by one consumer,
 * failures are retried with exponential backoff and the last failures kept for `npm run jobs -- failed`.
 */
export class BullJobQueues implements JobQueues {
  readonly kind = 'bullmq';
  private readonly connection: RedisClient;
  /** Made on first use: an app that never touches a queue writes nothing to Redis. */
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers = new Map<QueueName, { worker: Worker; connection: RedisClient }>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly handlers: ReadonlyMap<string, WorkHandler>,
    private readonly options: BullQueueOptions,
  ) {
    // Adding and counting fail fast while Redis is down (no offline queue, a command timeout), as every other Redis
    // command of the app does: with BullMQ's blocking settings a /metrics scrape or a tick's enqueue waited for Redis
    // forever. Only the workers' connections block.
    this.connection = openRedisClient(options.redis, 'marketgraph-queues', { commandTimeoutMs: 2_000 });
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const { attempts, backoffMs } = this.options.policy;
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.options.prefix,
        defaultJobOptions: { attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } },
      });
      queue.on('error', (err) => this.options.logger.warn({ err, queue: name }, 'job queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add(work: readonly QueuedWork[]): Promise<void> {
    const byQueue = new Map<QueueName, QueuedWork[]>();
    for (const item of work) byQueue.set(item.queue, [...(byQueue.get(item.queue) ?? []), item]);
    await Promise.all(
      // Ids unique across queues, so `npm run jobs -- retry <id>` needs no queue name.
      [...byQueue].map(([queue, items]) => this.queue(queue).addBulk(items.map((item) => ({ name: item.name, data: item.data, opts: { jobId: randomUUID(), ...(item.dedupeKey ? { deduplication: { id: item.dedupeKey } } : {}) } })))),
    );
  }

  consume(queues: readonly QueueName[]): void {
    for (const name of queues) {
      if (this.workers.has(name)) continue;
      const connection = connect(this.options.redis, `marketgraph-worker-${name}`);
      const worker = new Worker(name, (job) => this.process(job), { connection, prefix: this.options.prefix, concurrency: this.options.policy.concurrency[name] });
      worker.on('error', (err) => this.options.logger.warn({ err, queue: name }, 'queue consumer error'));
      worker.on('failed', (job, err) => {
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
          this.options.logger.error({ err, queue: name, job: job.name, id: job.id, attempts: job.attemptsMade }, 'queued job failed for good');
        }
      });
      this.workers.set(name, { worker, connection });
    }
  }

  consuming(): readonly QueueName[] {
    return [...this.workers.keys()];
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const counts = await this.queue(name).getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
        return { name, waiting: counts.waiting ?? 0, active: counts.active ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0, delayed: counts.delayed ?? 0 };
      }),
    );
  }

  async failed(queue?: QueueName, limit = 100): Promise<FailedWork[]> {
    const lists = await Promise.all(
      (queue ? [queue] : QUEUE_NAMES).map(async (name) =>
        (await this.queue(name).getFailed(0, limit - 1)).map((job) => ({
          id: String(job.id),
          queue: name,
          name: job.name,
          error: job.failedReason ?? '',
          attempts: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
        })),
      ),
    );
    return lists.flat().sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0)).slice(0, limit);
  }

  async retry(id: string, queue?: QueueName): Promise<boolean> {
    for (const name of queue ? [queue] : QUEUE_NAMES) {
      const job = await this.queue(name).getJob(id);
      if (!job || (await job.getState()) !== 'failed') continue;
      // A fresh set of attempts, as the in-process queues give.
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    }
    return false;
  }

  /** Running jobs get `graceMs` to finish (their signals are aborted at once); then the consumers stop regardless. */
  async close(graceMs = 10_000): Promise<void> {
    this.stopping.abort();
    const workers = [...this.workers.values()].map(({ worker }) => worker);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), graceMs)));
    const outcome = await Promise.race([Promise.allSettled(workers.map((worker) => worker.close())), graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace-over') await Promise.allSettled(workers.map((worker) => worker.close(true)));
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    for (const { connection } of this.workers.values()) connection.disconnect();
    this.workers.clear();
    this.connection.disconnect();
  }

  private async process(job: BullJob): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(errorText(new UnknownWorkError(`no handler for ${job.name}`)));
    return runHandler(handler, job.data, job.attemptsMade + 1, this.options.policy.timeoutMs, (more) => this.add(more), this.stopping.signal);
  }
}
