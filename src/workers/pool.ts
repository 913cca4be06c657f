// A small worker-thread pool: a fixed number of workers, started on first use,
// each running one task at a time from a FIFO queue. A worker that dies fails
// its task and is replaced on the next one. Workers load TypeScript through tsx
// when this file is itself TypeScript (dev, tests) and plain JS from dist/.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';

interface Pending<TOut> {
  input: unknown;
  resolve(value: TOut): void;
  reject(error: Error): void;
}

interface Slot<TOut> {
  worker: Worker;
  busy: Pending<TOut> | null;
}

/** The URL of a sibling worker module, `.ts` under tsx/vitest and `.js` in the compiled build. */
export function siblingWorkerUrl(base: string, name: string): URL {
  const extension = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, base);
}

/**
 * Node 20 does not apply `--import tsx` from a worker's execArgv to the
 * worker's own entry, so a small JS bootstrap registers tsx, then imports it.
 */
function typescriptWorker(url: URL): Worker {
  // The ESM entry of tsx's API (its CJS one cannot register hooks from an ESM worker).
  const tsxApi =
    typeof import.meta.resolve === 'function'
      ? import.meta.resolve('tsx/esm/api')
      : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class WorkerPool<TIn, TOut> {
  private readonly slots: Slot<TOut>[] = [];
  private readonly queue: Pending<TOut>[] = [];
  private closed = false;

  constructor(
    private readonly url: URL,
    readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a pool needs at least one worker, got ${size}`);
  }

  /** Workers started so far (they start on demand). */
  get started(): number {
    return this.slots.length;
  }

  run(input: TIn): Promise<TOut> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<TOut>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the worker pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.busy = task;
      slot.worker.postMessage(task.input);
    }
  }

  private spawn(): Slot<TOut> {
    const worker = this.url.pathname.endsWith('.ts') ? typescriptWorker(this.url) : new Worker(this.url);
    const slot: Slot<TOut> = { worker, busy: null };
    worker.unref();
    worker.on('message', (message: { ok: true; value: TOut } | { ok: false; error: string }) => {
      const task = slot.busy;
      slot.busy = null;
      if (task) message.ok ? task.resolve(message.value) : task.reject(new Error(message.error));
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.busy?.reject(error);
      slot.busy = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

/** A computation in worker threads, or on the calling thread when `workers` is 0. */
export interface Compute<TIn, TOut> {
  readonly workers: number;
  run(input: TIn): Promise<TOut>;
  close(): Promise<void>;
}

/** `inline` is what each worker at `workerUrl` runs (its entry calls serveWorker with the same function). */
export function createCompute<TIn, TOut>(workerUrl: URL, workers: number, inline: (input: TIn) => TOut | Promise<TOut>): Compute<TIn, TOut> {
  if (workers === 0) return { workers, run: async (input) => inline(input), close: async () => undefined };
  const pool = new WorkerPool<TIn, TOut>(workerUrl, workers);
  return { workers, run: (input) => pool.run(input), close: () => pool.close() };
}

/** A worker entry's side of the pool's protocol: each message is answered with compute's value or its error message. */
export function serveWorker<TIn, TOut>(compute: (input: TIn) => TOut | Promise<TOut>): void {
  parentPort!.on('message', (input: TIn) => {
    Promise.resolve()
      .then(() => compute(input))
      .then(
        (value) => parentPort!.postMessage({ ok: true, value }),
        (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
}
