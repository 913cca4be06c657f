import { createHash } from 'node:crypto';
import type { EventBus } from '../realtime/event-bus.js';
import type { Cache } from './cache.js';

/** What the HTTP fast path writes back on a hit: the bytes Apollo sent, and what it needs to spend the caller's budget. */
export interface CachedResponse {
  body: Buffer;
  contentType: string;
  cacheControl: string;
  /** The operation's estimated cost when it ran (rate limits spend it again on every hit). */
  cost: { requested: number; limit: number };
  /** When the request that produced it started (epoch ms): a change announced after that makes it stale. */
  startedAt: number;
  expiresAt: number;
  /** Symbols whose ticks (price, indicators) the answer read. */
  symbols: readonly string[];
  /** The operation's name from its document (null when anonymous), for the log line and metrics of a hit. */
  operationName?: string | null;
}

/** The Redis form of an entry (JSON: the body as text). */
interface StoredResponse extends Omit<CachedResponse, 'body'> {
  body: string;
}

/** What identifies one answer: the document (or its persisted-query hash), variables, operation, media type, viewer class. */
export interface ResponseCacheKeyParts {
  query?: string;
  /** APQ sha256 when the request carried no query text. */
  persistedQueryHash?: string;
  operationName?: string;
  variables?: unknown;
  accept?: string;
  viewerClass: string;
}

export interface ResponseCacheOptions {
  /** Most answers kept in this process; the least recently used go first. @default 10_000 */
  maxEntries?: number;
  /** Answers larger than this are not kept (a 1,000-candle chart is not a hot read). @default 262_144 */
  maxEntryBytes?: number;
  /** Bytes of keys and bodies L1 may hold in all; the least recently used go first. @default 67_108_864 */
  maxBytes?: number;
  /** The shared tier: entries written here are read by every process (RedisCache); absent: this process only. */
  shared?: Cache;
  /**
   * Bumped each time the bus's connection came back (RedisEventBus.reconnects), negative while it is down:
   * announcements may have been lost, so everything stored before is dropped and nothing is served meanwhile.
   * @default () => 0
   */
  busGeneration?: () => number;
  /** @default Date.now */
  now?: () => number;
}

/** Bus topics whose events make cached answers stale. Kept here so infrastructure imports no domain module. */
export interface ResponseCacheTopics {
  /** Per-symbol topics (price ticks, indicator updates): an answer that read the symbol is stale after one. */
  perSymbol: readonly ((symbol: string) => string)[];
  /** Topics after which every answer is stale (stock rows, the filter catalogue, screeners changed). */
  global: readonly string[];
}

/** A request's slot: the handler opens it before Apollo runs, resolvers' loaders add symbols, the plugin fills in the policy. */
export interface ResponseCacheSlot {
  key: string;
  startedAt: number;
  symbols: Set<string>;
  /** Set by the plugin when the answer may be stored: PUBLIC, maxAge > 0, a query, no errors. */
  storable?: { maxAgeSeconds: number; cost: { requested: number; limit: number }; operationName?: string | null };
}

/**
 * Whole HTTP answers of public queries, between the changes that would alter them. L1 is a bounded LRU in this
 * process; L2 (when `shared` is Redis) lets N processes share an entry. Invalidation is by time stamps, not by
 * deleting entries: each process records when it last heard a symbol change (a tick on the bus) and when it last
 * heard a global change, and an entry is served only if the request that produced it started after both. An entry
 * written to Redis by another process is judged by the same rule, so one tick invalidates it everywhere without a
 * round trip. A process trusts a symbol's announcements only from the moment its subscription to them is live.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  /** Per symbol: when this process last heard it change, or when it started listening (then nothing older is trusted). */
  private readonly changedAt = new Map<string, number>();
  private readonly pendingSubscriptions = new Set<string>();
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  /** Nothing stored before this is served: start-up, a global change, a bus reconnect. */
  private floor: number;
  private seenGeneration: number;
  private readonly maxEntries: number;
  private readonly maxEntryBytes: number;
  private readonly maxBytes: number;
  private bytes = 0;
  private readonly now: () => number;
  private readonly busGeneration: () => number;
  /** Hits and misses served from here (tests and the benchmark read them). */
  readonly stats = { hits: 0, sharedHits: 0, misses: 0, stores: 0 };

  constructor(
    private readonly bus: EventBus,
    private readonly topics: ResponseCacheTopics,
    private readonly options: ResponseCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxEntryBytes = options.maxEntryBytes ?? 262_144;
    this.maxBytes = options.maxBytes ?? 67_108_864;
    this.now = options.now ?? Date.now;
    this.busGeneration = options.busGeneration ?? (() => 0);
    this.floor = this.now();
    this.seenGeneration = this.busGeneration();
  }

  /** Subscribes to the global topics; resolves once they are live. */
  async start(): Promise<void> {
    for (const topic of this.topics.global) this.unsubscribes.push(await this.bus.subscribe(topic, () => this.invalidateAll()));
    this.floor = this.now();
  }

  async close(): Promise<void> {
    await Promise.all(this.unsubscribes.splice(0).map((unsubscribe) => unsubscribe()));
    this.entries.clear();
    this.bytes = 0;
  }

  /** One key per answer (the L1 key; Redis gets its sha256, so that a long document makes a short key). */
  static keyOf(parts: ResponseCacheKeyParts): string {
    // `{}` and no variables at all ask the same thing.
    const variables = parts.variables && typeof parts.variables === 'object' && Object.keys(parts.variables).length === 0 ? null : (parts.variables ?? null);
    const text = JSON.stringify([parts.query ?? null, parts.persistedQueryHash ?? null, parts.operationName ?? null, variables, parts.accept ?? '', parts.viewerClass]);
    return text;
  }

  private static sharedKeyOf(key: string): string {
    return `response:${createHash('sha256').update(key).digest('base64url')}`;
  }

  /** Opens a request's slot (the request's start time is what staleness is judged by). */
  open(key: string): ResponseCacheSlot {
    return { key, startedAt: this.now(), symbols: new Set() };
  }

  /** A fresh answer for this key from L1, else from L2; undefined on a miss. */
  async get(key: string): Promise<CachedResponse | undefined> {
    return this.getLocal(key) ?? this.getShared(key);
  }

  /** A fresh answer from this process's L1, synchronously (the hot path); undefined when L2 must be asked. */
  getLocal(key: string): CachedResponse | undefined {
    this.checkBus();
    const local = this.entries.get(key);
    if (!local) return undefined;
    if (!this.isFresh(local)) {
      this.forget(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks it most recently used.
    this.entries.delete(key);
    this.entries.set(key, local);
    this.stats.hits += 1;
    return local;
  }

  /** The shared tier (Redis), after an L1 miss; counts the miss when it has nothing fresh either. */
  async getShared(key: string): Promise<CachedResponse | undefined> {
    if (this.options.shared) {
      const stored = await this.options.shared.get<StoredResponse>(ResponseCache.sharedKeyOf(key));
      if (stored) {
        const entry: CachedResponse = { ...stored, body: Buffer.from(stored.body, 'utf8') };
        this.listenTo(entry.symbols);
        if (this.isFresh(entry)) {
          this.remember(key, entry);
          this.stats.sharedHits += 1;
          return entry;
        }
      }
    }
    this.stats.misses += 1;
    return undefined;
  }

  /** Keeps an answer the plugin marked storable. */
  async set(slot: ResponseCacheSlot, body: string, contentType: string, cacheControl: string): Promise<void> {
    if (!slot.storable) return;
    const bytes = Buffer.from(body, 'utf8');
    if (bytes.length > this.maxEntryBytes) return;
    this.checkBus();
    const symbols = [...slot.symbols];
    this.listenTo(symbols);
    const entry: CachedResponse = {
      body: bytes,
      contentType,
      cacheControl,
      cost: slot.storable.cost,
      startedAt: slot.startedAt,
      expiresAt: slot.startedAt + slot.storable.maxAgeSeconds * 1000,
      symbols,
      operationName: slot.storable.operationName,
    };
    // A change heard while it ran: not worth keeping anywhere.
    if (!this.isFresh(entry)) return;
    this.remember(slot.key, entry);
    this.stats.stores += 1;
    const ttlSeconds = Math.max(1, Math.ceil((entry.expiresAt - this.now()) / 1000));
    await this.options.shared?.set(ResponseCache.sharedKeyOf(slot.key), { ...entry, body } satisfies StoredResponse, ttlSeconds);
  }

  /** Every answer that read one of these symbols is stale from now on (in this process; every process hears the tick). */
  invalidateSymbols(symbols: readonly string[]): void {
    const at = this.now();
    for (const symbol of symbols) if (this.changedAt.has(symbol)) this.changedAt.set(symbol, at);
  }

  /** Every answer stored so far is stale. */
  invalidateAll(): void {
    this.floor = this.now();
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, entry: CachedResponse): void {
    this.forget(key);
    this.entries.set(key, entry);
    this.bytes += key.length + entry.body.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) this.forget(this.entries.keys().next().value!);
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= key.length + entry.body.length;
  }

  /** Bytes of keys and bodies held in L1. */
  get heldBytes(): number {
    return this.bytes;
  }

  private isFresh(entry: CachedResponse): boolean {
    const now = this.now();
    if (now >= entry.expiresAt || entry.startedAt <= this.floor) return false;
    for (const symbol of entry.symbols) {
      const changed = this.changedAt.get(symbol);
      // Not listening yet (or not live yet): a tick may have gone unheard.
      if (changed === undefined || entry.startedAt <= changed) return false;
    }
    return true;
  }

  /** After a bus reconnect, announcements may have been lost: nothing older is served. */
  private checkBus(): void {
    const generation = this.busGeneration();
    if (generation === this.seenGeneration && generation >= 0) return;
    this.seenGeneration = generation;
    this.invalidateAll();
  }

  private listenTo(symbols: readonly string[]): void {
    for (const symbol of symbols) {
      if (this.changedAt.has(symbol) || this.pendingSubscriptions.has(symbol)) continue;
      this.pendingSubscriptions.add(symbol);
      void Promise.all(this.topics.perSymbol.map((topic) => this.bus.subscribe(topic(symbol), () => this.invalidateSymbols([symbol])))).then(
        (unsubscribes) => {
          this.unsubscribes.push(...unsubscribes);
          this.pendingSubscriptions.delete(symbol);
          // Live from now: answers that started earlier may have missed a tick.
          this.changedAt.set(symbol, this.now());
        },
        () => this.pendingSubscriptions.delete(symbol),
      );
    }
  }
}
