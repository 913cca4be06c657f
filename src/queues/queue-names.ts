/** Every queue the app knows; a worker consumes all of them unless told otherwise (`npm run worker -- --queues …`). */
export const QUEUE_NAMES = ['market-data', 'indicators', 'scanner', 'news', 'sentiment', 'predictions', 'order-matching', 'default'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}

/**
 * "market-data,indicators" into queue names; throws saying which name is unknown.
 * An empty or absent list means every queue.
 */
export function parseQueueList(list: string | undefined): QueueName[] {
  const names = (list ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) return [...QUEUE_NAMES];
  for (const name of names) if (!isQueueName(name)) throw new Error(`unknown queue "${name}" (known: ${QUEUE_NAMES.join(', ')})`);
  return [...new Set(names)] as QueueName[];
}

/** Concurrency when QUEUE_CONCURRENCY does not name the queue: matching stays serial, the rest take two at a time. */
export const DEFAULT_CONCURRENCY: Readonly<Record<QueueName, number>> = {
  'market-data': 2,
  indicators: 1,
  scanner: 1,
  news: 1,
  sentiment: 1,
  predictions: 1,
  'order-matching': 1,
  default: 2,
};

/** QUEUE_CONCURRENCY=market-data:4,indicators:2 over the defaults; throws on an unknown queue or a bad number. */
export function parseConcurrency(spec: string | undefined): Record<QueueName, number> {
  const result = { ...DEFAULT_CONCURRENCY };
  for (const entry of (spec ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z-]+):(\d{1,3})$/.exec(entry);
    if (!match) throw new Error(`expected queue:number pairs such as market-data:4, got "${entry}"`);
    const [, name, count] = match;
    if (!isQueueName(name!)) throw new Error(`unknown queue "${name}" (known: ${QUEUE_NAMES.join(', ')})`);
    const value = Number(count);
    if (value < 1 || value > 100) throw new Error(`concurrency of ${name} must be 1-100, got ${value}`);
    result[name] = value;
  }
  return result;
}

/**
 * Which queue a whole scheduled job (an insight job, a nightly job) goes to, by its name:
 * scans to scanner, news to news and so on, anything else to default.
 */
export function queueForJob(jobName: string): QueueName {
  const rules: [RegExp, QueueName][] = [
    [/scan/, 'scanner'],
    [/news/, 'news'],
    [/sentiment/, 'sentiment'],
    [/predict|model|training|feature/, 'predictions'],
    [/indicator/, 'indicators'],
    [/quote|fundamental|market-data/, 'market-data'],
    [/order|matching/, 'order-matching'],
  ];
  return rules.find(([pattern]) => pattern.test(jobName))?.[1] ?? 'default';
}

/**
 * Every queue key starts with one hash tag, so on Redis Cluster all of BullMQ's keys (its Lua scripts touch
 * several per call) land in one slot. Derived from REDIS_KEY_PREFIX: tests with their own prefix get their own queues.
 */
export function queuePrefixFor(redisKeyPrefix: string): string {
  return `{${redisKeyPrefix.replace(/:+$/, '')}:queues}`;
}
