import { runOperation } from '../db/read-replicas.js';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { cronLogger } from '../observability/console.js';
import type { JobLock } from './job-lock.js';

export interface Job {
  name: string;
  /** node-cron expression, seconds field first when six fields are given. */
  cron: string;
  /** IANA zone the expression is read in, e.g. America/New_York for market hours. @default UTC */
  timezone?: string;
  /** How long the cross-process lock is held at most; longer than a normal run. */
  lockTtlMs: number;
  run(): Promise<unknown>;
}

/** How long a claimed tick stays claimed: far longer than processes' cron timers drift apart. */
const TICK_CLAIM_MS = 60_000;

export type TickOutcome = 'ran' | 'failed' | 'still-running' | 'locked-elsewhere';

/** Told of every tick: the job metrics (runs by outcome, durations of runs). `ms` is set when the job ran. */
export type TickObserver = (job: string, outcome: TickOutcome, ms?: number) => void;

/**
 * node-cron with the two guarantees jobs need: a tick whose previous run is
 * still going is skipped (no pile-up when a run is slow), and each tick takes
 * the job's lock so that with N processes it runs once. A failing run is
 * logged and the schedule carries on.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly lock: JobLock,
    private readonly logger: Logger,
    /** @default none */
    private readonly observe: TickObserver = () => undefined,
  ) {
    // node-cron's own warnings ("missed execution …") in the JSON log, not as coloured text on the console.
    cron.setLogger(cronLogger(logger));
  }

  add(job: Job): void {
    const task = cron.schedule(job.cron, (context) => void this.tick(job, context.date), { name: job.name, timezone: job.timezone ?? 'UTC', logger: cronLogger(this.logger) });
    this.tasks.push(task);
  }

  /**
   * One tick of a job, as the schedule runs it; exposed so tests and `npm run worker -- --once` can drive it.
   * `scheduledAt` (the cron's firing time) makes the tick claimable once across processes; without it (start-up
   * runs, tests) only the run lock applies.
   */
  async tick(job: Job, scheduledAt?: Date): Promise<TickOutcome> {
    if (this.running.has(job.name)) {
      this.logger.debug({ job: job.name }, 'previous run still going; skipping this tick');
      this.observe(job.name, 'still-running');
      return 'still-running';
    }
    // Claimed synchronously, before the first await, so two ticks cannot both get past the check.
    const outcome = this.runLocked(job, scheduledAt);
    this.running.set(job.name, outcome);
    try {
      return await outcome;
    } finally {
      this.running.delete(job.name);
    }
  }

  private async runLocked(job: Job, scheduledAt?: Date): Promise<TickOutcome> {
    // Released at the end of a run, the run lock alone let a process whose cron fired a few ms after another's run the
    // same tick again once the first (now a quick enqueue) had finished: two quotes runs in one second.
    if (scheduledAt && this.lock.claimOnce) {
      const claimed = await this.lock.claimOnce(`tick:${job.name}:${Math.round(scheduledAt.getTime() / 1000)}`, TICK_CLAIM_MS).catch((err: unknown) => {
        this.logger.warn({ err, job: job.name }, 'could not claim the job tick; skipping it');
        return false;
      });
      if (!claimed) return (this.observe(job.name, 'locked-elsewhere'), 'locked-elsewhere');
    }
    const release = await this.lock.tryAcquire(`job:${job.name}`, job.lockTtlMs).catch((err: unknown) => {
      this.logger.warn({ err, job: job.name }, 'could not take the job lock; skipping this tick');
      return null;
    });
    if (!release) return (this.observe(job.name, 'locked-elsewhere'), 'locked-elsewhere');
    const started = Date.now();
    try {
      // One operation: after a write, the job's reads go to the primary (read replicas, src/db/read-replicas.ts).
      const result = await runOperation(() => job.run());
      this.logger.debug({ job: job.name, ms: Date.now() - started, result }, 'job ran');
      this.observe(job.name, 'ran', Date.now() - started);
      return 'ran';
    } catch (err) {
      this.logger.error({ err, job: job.name }, 'job failed; the schedule continues');
      this.observe(job.name, 'failed', Date.now() - started);
      return 'failed';
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.destroy();
    await Promise.allSettled([...this.running.values()]);
  }
}

/** A node-cron expression for "every `seconds` seconds". */
export function everySeconds(seconds: number): string {
  if (seconds < 60) return `*/${seconds} * * * * *`;
  return `0 */${Math.max(1, Math.round(seconds / 60))} * * * *`;
}
