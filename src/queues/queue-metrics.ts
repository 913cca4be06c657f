import { Gauge } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';
import type { JobQueues } from './job-queues.js';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

/** marketgraph_queue_jobs{queue,state}: read from the queues when /metrics is scraped (a few Redis round trips). */
export function gaugeQueueJobs(queues: JobQueues, metrics: Metrics): void {
  new Gauge({
    name: 'marketgraph_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, completed and failed as kept, delayed for a retry)',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    async collect() {
      // A scrape must answer while Redis is down: the gauge is left out then.
      const counts = await Promise.race([queues.counts(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref())]).catch(() => []);
      for (const queue of counts) for (const state of STATES) this.set({ queue: queue.name, state }, queue[state]);
    },
  });
}
