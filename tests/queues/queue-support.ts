import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/log.js';
import { BullJobQueues } from '../../src/queues/bullmq-queues.js';
import { InProcessJobQueues } from '../../src/queues/in-process-queues.js';
import { handlerMap, type JobQueues, type QueuePolicy, type WorkHandler } from '../../src/queues/job-queues.js';
import { QUEUE_NAMES, queuePrefixFor, type QueueName } from '../../src/queues/queue-names.js';
import { deleteKeys } from '../support/redis-keys.js';

export { deleteKeys };

export const everyQueue = (concurrency: number) => Object.fromEntries(QUEUE_NAMES.map((name) => [name, concurrency])) as Record<QueueName, number>;

export const TEST_POLICY: QueuePolicy = { attempts: 3, backoffMs: 40, timeoutMs: 5_000, concurrency: everyQueue(4) };

/** A prefix of this run's own (`{mgtest:<random>:queues}`), so tests never see each other's jobs. */
export function testQueuePrefix(): { redisKeyPrefix: string; prefix: string } {
  const redisKeyPrefix = `mgtest:${randomBytes(4).toString('hex')}:`;
  return { redisKeyPrefix, prefix: queuePrefixFor(redisKeyPrefix) };
}

export type Backend = 'in-process' | 'bullmq';

export interface QueueFactory {
  make(handlers: readonly WorkHandler[], policy?: Partial<QueuePolicy>): JobQueues;
  /** Closes every queue made and deletes this prefix's keys. */
  cleanUp(): Promise<void>;
  prefix: string;
  redisKeyPrefix: string;
}

export function queueFactory(backend: Backend, redisUrl: string | undefined): QueueFactory {
  const { prefix, redisKeyPrefix } = testQueuePrefix();
  const made: JobQueues[] = [];
  const logger = createLogger('silent');
  return {
    prefix,
    redisKeyPrefix,
    make(handlers, policy = {}) {
      const full = { ...TEST_POLICY, ...policy };
      const queues =
        backend === 'in-process'
          ? new InProcessJobQueues(handlerMap(handlers), full, logger)
          : new BullJobQueues(handlerMap(handlers), { redis: { kind: 'single', url: redisUrl! }, prefix, policy: full, logger });
      made.push(queues);
      return queues;
    },
    async cleanUp() {
      await Promise.all(made.map((queues) => queues.close()));
      if (backend === 'bullmq') await deleteKeys(redisUrl!, prefix);
    },
  };
}

/** Polls until `condition` holds; throws with `what` after 10 s. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export async function countsOf(queues: JobQueues, name: QueueName) {
  return (await queues.counts()).find((counts) => counts.name === name)!;
}
