import type { JobQueues, QueueCounts } from '../../queues/job-queues.js';

export class JobQueueService {
  constructor(private readonly queues: JobQueues | undefined) {}

  /** Every queue's counts; none when the app runs without queues (narrow tests). */
  counts(): Promise<QueueCounts[]> {
    return this.queues ? this.queues.counts() : Promise.resolve([]);
  }
}
