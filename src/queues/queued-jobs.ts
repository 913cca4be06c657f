import type { Job } from '../jobs/scheduler.js';
import { handlerMap, type JobQueues, type QueuedWork, type WorkHandler } from './job-queues.js';
import { queueForJob, type QueueName } from './queue-names.js';

/**
 * A scheduled job whose tick is split into queue jobs. `run()` (what scheduler.tick, warm-ups and
 * tests call) does the whole tick here and now through the same handlers; `enqueueing()` is what the
 * schedule runs instead, so that the pieces go to whichever process consumes their queue.
 */
export interface QueuedJob extends Job {
  /** The queue jobs of one tick (e.g. one per chunk of symbols). */
  split(): Promise<QueuedWork[]>;
  /** Every handler this job's pieces and their follow-ups need. */
  handlers: WorkHandler[];
}

export interface QueuedJobSpec extends Omit<Job, 'run'> {
  split(): Promise<QueuedWork[]>;
  handlers: WorkHandler[];
  /** Aborted when the app closes. */
  signal?: AbortSignal;
}

/** Runs work and its follow-ups in this process, one after another; every piece runs, the first error is thrown at the end. */
export async function runInline(work: readonly QueuedWork[], handlers: ReadonlyMap<string, WorkHandler>, signal?: AbortSignal): Promise<{ jobs: number }> {
  const pending = [...work];
  let jobs = 0;
  let firstError: unknown;
  while (pending.length > 0) {
    const item = pending.shift()!;
    const handler = handlers.get(item.name);
    if (!handler) throw new Error(`no handler for ${item.name}`);
    try {
      jobs++;
      await handler.run(item.data, { signal: signal ?? new AbortController().signal, attempt: 1, enqueue: async (more) => void pending.push(...more) });
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return { jobs };
}

export function queuedJob(spec: QueuedJobSpec): QueuedJob {
  const { signal, ...job } = spec;
  const handlers = handlerMap(spec.handlers);
  return { ...job, run: async () => runInline(await spec.split(), handlers, signal) };
}

/** Any scheduled job (insight jobs, nightly jobs) as one queue job on the queue its name suggests. */
export function wholeJob(job: Job, queue: QueueName = queueForJob(job.name)): QueuedJob {
  return {
    ...job,
    split: async () => [{ queue, name: job.name, data: {}, dedupeKey: job.name }],
    handlers: [{ name: job.name, queue, run: () => job.run() }],
  };
}

/** A handler whose every queued run passes `observe` (the activity log's performance rows) as a job of the handler's name. */
export function observedHandler(handler: WorkHandler, observe: (job: Job) => Job): WorkHandler {
  return { ...handler, run: (data, context) => observe({ name: handler.name, cron: '', lockTtlMs: 0, run: () => handler.run(data, context) }).run() };
}

export function isQueuedJob(job: Job): job is QueuedJob {
  return typeof (job as Partial<QueuedJob>).split === 'function' && Array.isArray((job as Partial<QueuedJob>).handlers);
}

/** What the schedule ticks: under the scheduler's lock (once across processes) it only enqueues the tick's pieces. */
export function enqueueing(job: QueuedJob, queues: JobQueues): Job {
  return {
    name: job.name,
    cron: job.cron,
    timezone: job.timezone,
    lockTtlMs: job.lockTtlMs,
    async run() {
      const work = await job.split();
      await queues.add(work);
      return { enqueued: work.length };
    },
  };
}
