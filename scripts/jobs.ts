// npm run jobs -- failed [--queue market-data] [--limit 50]   failed jobs, newest first: id, queue, job, attempts, error
// npm run jobs -- retry <id> [--queue market-data]             moves a failed job back to waiting
// npm run jobs -- counts                                       jobs per queue by state (as the jobQueues query)
// Reads the BullMQ queues on REDIS_URL under REDIS_KEY_PREFIX, as the API and workers use them.
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { BullJobQueues } from '../src/queues/bullmq-queues.js';
import { isQueueName, QUEUE_NAMES, type QueueName } from '../src/queues/queue-names.js';
import { connectRedis } from '../src/redis.js';
import { runScript } from './script-support.js';

const USAGE = 'usage: npm run jobs -- failed [--queue <name>] [--limit <n>] | retry <id> [--queue <name>] | counts';

class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

function options(args: string[]): { positional: string[]; queue?: QueueName; limit: number } {
  const positional: string[] = [];
  let queue: QueueName | undefined;
  let limit = 50;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--queue') {
      const name = args[++i] ?? '';
      if (!isQueueName(name)) throw new UsageError(`unknown queue "${name}" (known: ${QUEUE_NAMES.join(', ')})`);
      queue = name;
    } else if (arg === '--limit') {
      limit = Number(args[++i]);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new UsageError('--limit takes a whole number from 1 to 1000');
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else positional.push(arg);
  }
  return { positional, queue, limit };
}

await runScript(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const { positional, queue, limit } = options(rest);
  const config = loadConfig();
  if (!config.redis) {
    throw new Error('No Redis is configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES): without Redis the queues live inside the API process; ask it with the admin query { jobQueues { name failed } }');
  }
  // One line instead of waiting forever on a Redis that is not there (BullMQ's own connections retry without end).
  (await connectRedis(config.redis, 'marketgraph-jobs-cli')).disconnect();
  const queues = new BullJobQueues(new Map(), { redis: config.redis, prefix: config.queues.prefix, policy: config.queues, logger: createLogger('silent') });
  try {
    if (command === 'failed') {
      if (positional.length > 0) throw new UsageError(`unexpected ${positional.join(' ')}`);
      const failed = await queues.failed(queue, limit);
      if (failed.length === 0) return void console.log(`no failed jobs${queue ? ` in ${queue}` : ''}`);
      for (const job of failed) {
        console.log(`${job.id}  ${job.queue}/${job.name}  attempts=${job.attempts}  failedAt=${job.failedAt?.toISOString() ?? '-'}  error=${JSON.stringify(job.error)}`);
      }
    } else if (command === 'retry') {
      if (positional.length !== 1) throw new UsageError('expected exactly one job id');
      if (!(await queues.retry(positional[0]!, queue))) throw new Error(`no failed job with id ${positional[0]}${queue ? ` in ${queue}` : ''}`);
      console.log(`job ${positional[0]} is waiting again`);
    } else if (command === 'counts') {
      for (const counts of await queues.counts()) {
        console.log(`${counts.name.padEnd(15)} waiting=${counts.waiting} active=${counts.active} completed=${counts.completed} failed=${counts.failed} delayed=${counts.delayed}`);
      }
    } else {
      throw new UsageError(`expected failed, retry or counts, got ${command ?? 'nothing'}`);
    }
  } finally {
    await queues.close();
  }
});
