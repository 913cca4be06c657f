import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { BullJobQueues } from './bullmq-queues.js';
import { InProcessJobQueues } from './in-process-queues.js';
import { handlerMap, type JobQueues, type WorkHandler } from './job-queues.js';

/** BullMQ when REDIS_URL is set (jobs shared by every process), else this process's own queues. */
export function createJobQueues(config: Pick<Config, 'redis' | 'queues'>, handlers: readonly WorkHandler[], logger: Logger): JobQueues {
  const byName = handlerMap(handlers);
  if (!config.redis) return new InProcessJobQueues(byName, config.queues, logger);
  return new BullJobQueues(byName, { redis: config.redis, prefix: config.queues.prefix, policy: config.queues, logger });
}
