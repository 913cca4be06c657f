import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { BullJobQueues } from './bullmq-queues.js';
import { InProcessJobQueues } from './in-process-queues.js';
import { handlerMap, type JobQueues, type WorkHandler } from './job-queues.js';

/** BullMQ when REDIS_URL is set (jobs shared by every process), else this process's own queues. */
export function createJobQueues(config: Pick<Config, 'redisUrl' | 'queues'>, handlers: readonly WorkHandler[], logger: Logger): JobQueues {
  const byName = handlerMap(handlers);
  if (!config.redisUrl) return new InProcessJobQueues(byName, config.queues, logger);
  return new BullJobQueues(byName, { redisUrl: config.redisUrl, prefix: config.queues.prefix, policy: config.queues, logger });
}
