import { parseQueueList, type QueueName } from './queue-names.js';

/** `npm run worker -- --queues market-data,indicators` (or `--queues=…`): the queues this worker consumes; all by default. */
export function workerQueues(argv: readonly string[]): QueueName[] {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--queues') {
      const list = argv[i + 1];
      if (!list || list.startsWith('--')) throw new Error('--queues needs a comma-separated list, e.g. --queues market-data,indicators');
      return parseQueueList(list);
    }
    if (arg.startsWith('--queues=')) return parseQueueList(arg.slice('--queues='.length));
    throw new Error(`unknown argument ${arg} (the worker takes --queues q1,q2)`);
  }
  return parseQueueList(undefined);
}
